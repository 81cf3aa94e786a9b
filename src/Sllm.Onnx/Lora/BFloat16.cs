namespace Sllm.Onnx.Lora;

/// <summary>bfloat16 bit conversions: the upper half of a float32, rounded to nearest even.</summary>
internal static class BFloat16
{
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Keep it a NaN: rounding could carry the payload into the exponent and make it infinity.
            return (ushort)((bits >> 16) | 0x40);
        }

        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + rounding) >> 16);
    }
}

namespace Sllm.Onnx.Quantization;

/// <summary>
/// Round-to-nearest block-wise quantization of one weight matrix into <c>MatMulNBits</c>' <c>B</c>, <c>scales</c> and
/// <c>zero_points</c>, reproducing MLAS's <c>BlockwiseQuantizer::quantizeAndTranspose</c> bit for bit.
/// </summary>
/// <remarks>
/// The rules that decide the bytes: asymmetric blocks widen [min, max] to include 0, take <c>scale = (max - min) / (2^bits - 1)</c>
/// and <c>zp = roundf(-min / scale)</c> clamped; symmetric blocks take the value of largest magnitude (keeping its sign)
/// over <c>-2^(bits-1)</c> so it lands exactly on 0. Values then become <c>clamp(roundf(w / scale + zp))</c> computed as
/// <c>w * (1 / scale) + zp</c> in float, with the scale first rounded to the stored type (float16 scales round before
/// use), and <c>roundf</c> rounding halves away from zero. Padding past K in the last block is 0; the unused high nibble
/// of an odd count of int4 zero points is 8, as MLAS leaves it. Stateless and thread-safe.
/// </remarks>
internal static class BlockQuantizer
{
    /// <summary>Quantizes W [N, K] (row n = output feature n, PyTorch Linear layout).</summary>
    public static QuantizedWeight Quantize(ReadOnlySpan<float> weights, int n, int k, int bits, int blockSize, bool symmetric, bool halfScales)
    {
        int blocks = (k + blockSize - 1) / blockSize;
        int blobSize = blockSize * bits / 8;
        int maxQ = (1 << bits) - 1;
        int mid = 1 << (bits - 1);
        var packed = new byte[(long)n * blocks * blobSize];
        var scales = new float[(long)n * blocks];
        int zpRowBytes = ((blocks * bits) + 7) / 8;
        byte[]? zeroPoints = symmetric ? null : new byte[(long)n * zpRowBytes];
        if (zeroPoints is not null)
        {
            // Unused nibbles keep MLAS's initial value, the midpoint.
            zeroPoints.AsSpan().Fill(bits == 4 ? (byte)0x88 : (byte)0x80);
        }

        for (int row = 0; row < n; row++)
        {
            ReadOnlySpan<float> source = weights.Slice(row * k, k);
            for (int block = 0; block < blocks; block++)
            {
                int start = block * blockSize;
                ReadOnlySpan<float> values = source.Slice(start, Math.Min(blockSize, k - start));
                (float scale, int zp) = symmetric ? SymmetricScale(values, mid) : AsymmetricScale(values, maxQ);
                if (halfScales)
                {
                    scale = (float)(Half)scale;
                }

                scales[((long)row * blocks) + block] = scale;
                if (zeroPoints is not null)
                {
                    StoreZeroPoint(zeroPoints.AsSpan((int)((long)row * zpRowBytes), zpRowBytes), block, zp, bits);
                }

                float reciprocal = scale != 0f ? 1f / scale : 0f;
                Span<byte> blob = packed.AsSpan((int)((((long)row * blocks) + block) * blobSize), blobSize);
                Pack(values, blob, reciprocal, zp, maxQ, bits);
            }
        }

        return new QuantizedWeight(n, k, bits, blockSize, packed, scales, zeroPoints);
    }

    private static (float Scale, int ZeroPoint) AsymmetricScale(ReadOnlySpan<float> values, int maxQ)
    {
        float min = float.MaxValue;
        float max = -float.MaxValue;
        foreach (float v in values)
        {
            min = v < min ? v : min;
            max = v > max ? v : max;
        }

        min = MathF.Min(min, 0f);
        max = MathF.Max(max, 0f);
        float scale = (max - min) / maxQ;
        float zeroPoint = scale != 0f ? 0f - (min / scale) : min;
        int zp = zeroPoint < 0f ? 0 : zeroPoint > maxQ ? maxQ : (int)MathF.Round(zeroPoint, MidpointRounding.AwayFromZero);
        return (scale, zp);
    }

    private static (float Scale, int ZeroPoint) SymmetricScale(ReadOnlySpan<float> values, int mid)
    {
        float min = float.MaxValue;
        float max = -float.MaxValue;
        foreach (float v in values)
        {
            min = v < min ? v : min;
            max = v > max ? v : max;
        }

        float extreme = MathF.Abs(max) > MathF.Abs(min) ? max : min;
        return (extreme / -mid, mid);
    }

    private static void Pack(ReadOnlySpan<float> values, Span<byte> blob, float reciprocal, int zp, int maxQ, int bits)
    {
        for (int i = 0; i < values.Length; i++)
        {
            float q = MathF.Round((values[i] * reciprocal) + zp, MidpointRounding.AwayFromZero);
            byte code = (byte)Math.Clamp(q, 0f, maxQ);
            if (bits == 8)
            {
                blob[i] = code;
            }
            else if ((i & 1) == 0)
            {
                blob[i >> 1] = code;
            }
            else
            {
                blob[i >> 1] |= (byte)(code << 4);
            }
        }
    }

    private static void StoreZeroPoint(Span<byte> row, int block, int zp, int bits)
    {
        if (bits == 8)
        {
            row[block] = (byte)zp;
            return;
        }

        int shift = (block & 1) * 4;
        ref byte slot = ref row[block >> 1];
        slot = (byte)((slot & ~(0xF << shift)) | (zp << shift));
    }
}

namespace Sllm.Onnx.Runtime;

/// <summary>A recurrent (convolution) state carried between steps, as LFM2's <c>past_conv.%d</c> / <c>present_conv.%d</c>.</summary>
/// <param name="Past">The input name.</param>
/// <param name="Present">The output name.</param>
/// <param name="Channels">The state's second dimension.</param>
/// <param name="Width">The state's third dimension.</param>
internal sealed record ConvStateLayer(string Past, string Present, int Channels, int Width);

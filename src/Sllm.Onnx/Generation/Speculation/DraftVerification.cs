namespace Sllm.Onnx;

/// <summary>The outcome of one speculative verification round (<see cref="Generator.VerifyDraft"/>).</summary>
/// <param name="Accepted">How many draft tokens the target model agreed with, from the start of the draft.</param>
/// <param name="Appended">How many tokens were appended: the accepted ones plus the target's own next token, unless the
/// sequence ended inside the accepted run.</param>
public readonly record struct DraftVerification(int Accepted, int Appended);

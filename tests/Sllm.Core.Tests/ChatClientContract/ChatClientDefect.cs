namespace Sllm.ChatClientContract;

/// <summary>A contract violation that <see cref="DefectiveChatClient"/> adds to a correct client.</summary>
public enum ChatClientDefect
{
    /// <summary>No violation: the wrapper passes everything through.</summary>
    None,

    /// <summary>Every response and update gets the same ResponseId.</summary>
    ReusesResponseId,

    /// <summary>The stream's usage update is yielded twice.</summary>
    DuplicatesUsage,

    /// <summary>The stream holds all text back and yields it as one update.</summary>
    StreamsOneBlob,

    /// <summary>A new MessageId on every update.</summary>
    ChangesMessageId,

    /// <summary>The caller's StopSequences list is replaced by an equal copy.</summary>
    ReplacesStopSequences,

    /// <summary>Stop sequences are dropped before the request reaches the model.</summary>
    IgnoresStopSequences,

    /// <summary>The stream never sees the caller's cancellation token.</summary>
    IgnoresCancellation,

    /// <summary>GetService answers keyed requests as if they were not keyed.</summary>
    IgnoresServiceKey,
}

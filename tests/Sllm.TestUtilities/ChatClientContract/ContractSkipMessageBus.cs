using Xunit.Abstractions;
using Xunit.Sdk;

namespace Sllm.Testing.ChatClientContract;

/// <summary>Rewrites the failure of a test that threw <see cref="ContractSkipException"/> into a skip.</summary>
/// <remarks>Wraps, but does not own, the runner's bus; used by one test case run at a time.</remarks>
internal sealed class ContractSkipMessageBus(IMessageBus inner) : IMessageBus
{
    private static readonly string SkipExceptionName = typeof(ContractSkipException).FullName!;

    /// <summary>Gets how many failures were rewritten into skips.</summary>
    public int SkippedCount { get; private set; }

    public bool QueueMessage(IMessageSinkMessage message)
    {
        // Only a test whose sole exception is the skip is rewritten: a skip thrown while another assertion already
        // failed (or a cleanup failure after it) stays a failure.
        if (message is ITestFailed failed
            && failed.ExceptionTypes.Length == 1
            && failed.ExceptionTypes[0] == SkipExceptionName)
        {
            SkippedCount++;
            return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages[0]));
        }

        return inner.QueueMessage(message);
    }

    // The inner bus belongs to the runner that created it.
    public void Dispose()
    {
    }
}

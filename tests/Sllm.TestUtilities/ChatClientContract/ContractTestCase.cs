using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// A test case that reports a <see cref="ContractSkipException"/> as a skip (with the exception's message as the reason)
/// instead of a failure.
/// </summary>
/// <remarks>Created by <see cref="ContractFactDiscoverer"/> and by xunit's de-serializer; one run at a time.</remarks>
public sealed class ContractTestCase : XunitTestCase
{
    /// <summary>Called by the de-serializer; not for use in code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ContractTestCase()
    {
    }

    /// <summary>Initializes a test case for <paramref name="testMethod"/>.</summary>
    public ContractTestCase(
        IMessageSink diagnosticMessageSink,
        TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions,
        ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    /// <inheritdoc/>
    public override async Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        object[] constructorArguments,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
    {
        var skippingBus = new ContractSkipMessageBus(messageBus);
        RunSummary summary = await base.RunAsync(
            diagnosticMessageSink, skippingBus, constructorArguments, aggregator, cancellationTokenSource);

        // The run counted the skip as a failure before the bus rewrote the message; keep the totals in step with it.
        if (skippingBus.SkippedCount > 0)
        {
            summary.Failed -= skippingBus.SkippedCount;
            summary.Skipped += skippingBus.SkippedCount;
        }

        return summary;
    }
}

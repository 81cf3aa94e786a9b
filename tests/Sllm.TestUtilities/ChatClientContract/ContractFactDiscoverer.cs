using Xunit.Abstractions;
using Xunit.Sdk;

namespace Sllm.Testing.ChatClientContract;

/// <summary>Discovers <see cref="ContractFactAttribute"/> facts as <see cref="ContractTestCase"/>s.</summary>
/// <remarks>Created by xunit through reflection; stateless apart from the diagnostic sink.</remarks>
public sealed class ContractFactDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink diagnosticMessageSink;

    /// <summary>Initializes the discoverer with xunit's diagnostic sink.</summary>
    public ContractFactDiscoverer(IMessageSink diagnosticMessageSink)
    {
        this.diagnosticMessageSink = diagnosticMessageSink;
    }

    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions,
        ITestMethod testMethod,
        IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(factAttribute);

        // As xunit's own FactDiscoverer: a fact with parameters cannot run (Skip = "..." is read by XunitTestCase).
        IXunitTestCase testCase = testMethod.Method.GetParameters().Any()
            ? new ExecutionErrorTestCase(
                diagnosticMessageSink,
                discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod,
                "[ContractFact] methods are not allowed to have parameters.")
            : new ContractTestCase(
                diagnosticMessageSink,
                discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod);
        return [testCase];
    }
}

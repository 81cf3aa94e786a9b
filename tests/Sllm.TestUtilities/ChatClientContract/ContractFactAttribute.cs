using Xunit;
using Xunit.Sdk;

namespace Sllm.Testing.ChatClientContract;

/// <summary>
/// A fact of the chat-client contract suite: like <see cref="FactAttribute"/>, but a test that throws
/// <see cref="ContractSkipException"/> is reported as skipped instead of failed.
/// </summary>
/// <remarks>
/// xunit v2 has no dynamic skip, and a fact's capability is only known from the derived test class's instance, so the
/// decision has to be made while the test runs (see <see cref="ContractTestCase"/>).
/// </remarks>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer(
    "Sllm.Testing.ChatClientContract.ContractFactDiscoverer",
    "Sllm.TestUtilities")]
public sealed class ContractFactAttribute : FactAttribute;

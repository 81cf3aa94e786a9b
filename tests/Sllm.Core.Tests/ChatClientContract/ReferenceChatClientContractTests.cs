using Microsoft.Extensions.AI;
using Sllm.Testing.ChatClientContract;

namespace Sllm.ChatClientContract;

/// <summary>Runs the whole contract suite against <see cref="ReferenceChatClient"/>, which promises everything.</summary>
public sealed class ReferenceChatClientContractTests : ChatClientContractTests
{
    protected override ChatClientContractCapabilities Capabilities { get; } = new()
    {
        ExpectedProviderName = ReferenceChatClient.ProviderName,
        ExpectedModelId = ReferenceChatClient.ModelId,
    };

    protected override Task<IChatClient> CreateClientAsync() => Task.FromResult<IChatClient>(new ReferenceChatClient());
}

using Microsoft.Extensions.AI;
using Sllm.Testing.ChatClientContract;

namespace Sllm.ChatClientContract;

/// <summary>
/// The contract suite over a <see cref="DefectiveChatClient"/>; internal, so that xunit does not discover it and its
/// facts run only when <see cref="ChatClientContractSelfTests"/> calls them.
/// </summary>
internal sealed class DefectiveClientContractTests(ChatClientDefect defect) : ChatClientContractTests
{
    protected override ChatClientContractCapabilities Capabilities { get; } = new()
    {
        ExpectedProviderName = ReferenceChatClient.ProviderName,
        ExpectedModelId = ReferenceChatClient.ModelId,
    };

    protected override Task<IChatClient> CreateClientAsync() =>
        Task.FromResult<IChatClient>(new DefectiveChatClient(new ReferenceChatClient(), defect));
}

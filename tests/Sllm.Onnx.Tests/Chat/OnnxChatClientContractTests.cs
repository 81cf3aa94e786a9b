using Microsoft.Extensions.AI;
using Sllm.Onnx.Engine;
using Sllm.Testing.ChatClientContract;

namespace Sllm.Onnx.Chat;

/// <summary>Runs the shared IChatClient contract suite against <see cref="OnnxChatClient"/> on a builder-made model.</summary>
public sealed class OnnxChatClientContractTests : ChatClientContractTests
{
    private static readonly Lazy<Task<OnnxModel>> SharedModel = new(async () => await OnnxModel.CreateAsync(await TestModels.LlamaAsync()));

    protected override ChatClientContractCapabilities Capabilities => new()
    {
        ExpectedProviderName = "sllm-onnx",
        ExpectedModelId = "llama",
    };

    protected override async Task<IChatClient> CreateClientAsync() =>
        new OnnxChatClient(await SharedModel.Value, ownsModel: false);
}

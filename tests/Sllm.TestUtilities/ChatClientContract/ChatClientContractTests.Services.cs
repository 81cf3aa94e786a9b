using Microsoft.Extensions.AI;
using Xunit;

namespace Sllm.Testing.ChatClientContract;

// IChatClient.GetService: the rules every client in Microsoft.Extensions.AI follows, which middleware relies on to find
// an inner client or its metadata through a pipeline.
public abstract partial class ChatClientContractTests
{
    /// <summary>The metadata names the provider and, if it names a default model, the model responses report.</summary>
    [ContractFact]
    public async Task GetService_ChatClientMetadata_NamesProviderAndModel()
    {
        ChatClientMetadata? metadata = Client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.False(string.IsNullOrEmpty(metadata.ProviderName), "ChatClientMetadata.ProviderName is not set.");
        if (Capabilities.ExpectedProviderName is { } provider)
        {
            Assert.Equal(provider, metadata.ProviderName);
        }

        if (Capabilities.ExpectedModelId is { } model)
        {
            Assert.Equal(model, metadata.DefaultModelId);
        }

        if (metadata.DefaultModelId is { } defaultModelId)
        {
            ChatResponse response = await GetResponseAsync(LongAnswerPrompt, CreateDeterministicOptions());
            Assert.Equal(defaultModelId, response.ModelId);
        }
    }

    /// <summary>Asking for <see cref="IChatClient"/> or the client's own type returns the client itself.</summary>
    [ContractFact]
    public void GetService_IChatClientOrOwnType_ReturnsTheClientItself()
    {
        Assert.Same(Client, Client.GetService(typeof(IChatClient)));
        Assert.Same(Client, Client.GetService(Client.GetType()));
    }

    /// <summary>A keyed request is for someone else's service: the client answers null even for its own types.</summary>
    [ContractFact]
    public void GetService_WithServiceKey_ReturnsNull()
    {
        const string Key = "sllm.contract.some-key";

        Assert.Null(Client.GetService(typeof(IChatClient), Key));
        Assert.Null(Client.GetService(Client.GetType(), Key));
        Assert.Null(Client.GetService(typeof(ChatClientMetadata), Key));
    }

    /// <summary>A type the client knows nothing of gives null, not an exception.</summary>
    [ContractFact]
    public void GetService_UnknownType_ReturnsNull()
    {
        // The contract suite's own type: no client can have a reason to offer it.
        Assert.Null(Client.GetService(typeof(ChatClientContractTests)));
    }

    /// <summary>A null service type is an argument error named after the parameter.</summary>
    [ContractFact]
    public void GetService_NullServiceType_ThrowsArgumentNullException()
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(() => Client.GetService(null!));

        Assert.Equal("serviceType", error.ParamName);
    }
}

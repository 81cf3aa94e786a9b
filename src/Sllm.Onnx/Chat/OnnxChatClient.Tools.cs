using Microsoft.Extensions.AI;
using Sllm.Generation;
using Sllm.Tokenization;

namespace Sllm.Onnx;

public sealed partial class OnnxChatClient
{
    private ToolCallSupport? toolSupport;

    /// <summary>Gets the tool-call format this client parses: <see cref="OnnxChatClientOptions.ToolCallFormat"/>, or the one
    /// detected from the model's chat template and added tokens.</summary>
    public ToolCallFormat ToolCallFormat => ToolSupport.Syntax.Format;

    /// <summary>Gets or sets a replacement for the built-in <see cref="RequiredToolCallConstraint"/> (tests use it to force exact
    /// text): the hook that enforces a call for requests with tools (meant for <see cref="ChatToolMode.RequireAny"/>
    /// and <see cref="RequiredChatToolMode.RequiredFunctionName"/>): given the client's syntax and the request's options it returns
    /// a logits processor that makes the model write <see cref="ToolCallSyntax.CallPrefix"/>, a payload matching
    /// <see cref="ToolCallSyntax.BuildPayloadSchema"/> and <see cref="ToolCallSyntax.CallSuffix"/>, or <see langword="null"/> to
    /// leave the request free. Called once per request that renders tools; the processor serves that request only. Set it before
    /// the first request.</summary>
    internal Func<ToolCallSyntax, ChatOptions, ILogitsProcessor?>? ToolCallEnforcer { get; set; }

    // Detected on first use (a client that never sees tools never reads its template for them); read per generated token.
    private ToolCallSupport ToolSupport => Volatile.Read(ref toolSupport) ?? CreateToolSupport();

    /// <summary>The tools to render: none when the request has none or forbids calls (<see cref="ChatToolMode.None"/>), so
    /// the model is not invited to write calls that would then come back as text.</summary>
    private static IList<AITool>? ToolsToRender(ChatOptions? chatOptions) =>
        chatOptions?.Tools is { Count: > 0 } tools && chatOptions.ToolMode is not NoneChatToolMode ? tools : null;

    /// <summary>Creates the per-request output filter: it parses calls when tools are rendered and passes text through otherwise.</summary>
    private ToolCallStreamFilter CreateOutputFilter(ChatOptions? chatOptions) =>
        ToolsToRender(chatOptions) is null ? new ToolCallStreamFilter(null, Model.Logger) : ToolSupport.CreateFilter(Model.Logger);

    /// <summary>Adds the request's tool-call enforcement to its generator: <see cref="ToolCallEnforcer"/> when set, otherwise
    /// <see cref="RequiredToolCallConstraint"/> for <see cref="ChatToolMode.RequireAny"/> and <see cref="ChatToolMode.RequireSpecific"/>.</summary>
    private void AddToolCallEnforcement(GeneratorOptions generatorOptions, ChatOptions? chatOptions)
    {
        if (ToolsToRender(chatOptions) is null)
        {
            return;
        }

        ILogitsProcessor? processor = ToolCallEnforcer is { } enforcer
            ? enforcer(ToolSupport.Syntax, chatOptions!)
            : RequiredToolCallConstraint.Create(ToolSupport.Syntax, chatOptions!, Tokenizer, turnEndTokens, Model.Logger);
        if (processor is not null)
        {
            generatorOptions.LogitsProcessors.Add(processor);
        }
    }

    /// <summary>Hands the tools to templates that read them from the system message (Phi-4-mini) instead of <c>tools</c>.</summary>
    private void AttachMessageTools(List<ChatMessage> messages, IList<AITool>? tools)
    {
        if (tools is not null && Model.ChatTemplate is { } template && SystemMessageTools.ReadsMessageTools(template.Source))
        {
            SystemMessageTools.Attach(messages, tools);
        }
    }

    private ToolCallSupport CreateToolSupport()
    {
        ToolCallSupport created = ToolCallSupport.Create(Model, options.ToolCallFormat);
        return Interlocked.CompareExchange(ref toolSupport, created, null) ?? created;
    }

    /// <summary>Decodes one generated token, keeping the text of tool-call marker tokens when the request parses calls.</summary>
    private string DecodeToken(StreamingDecoder decoder, int token, bool parsesCalls) =>
        parsesCalls && ToolSupport.MarkerText(token) is { } marker ? decoder.Flush() + marker : decoder.Append(token);

    /// <summary>Moves aggregated text into the content list, so text and calls keep their order in the response message.</summary>
    private static void FlushText(System.Text.StringBuilder text, List<AIContent> contents)
    {
        if (text.Length > 0)
        {
            contents.Add(new TextContent(text.ToString()));
            text.Clear();
        }
    }
}

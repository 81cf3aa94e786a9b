using System.Collections.ObjectModel;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sllm.ChatTemplates.Jinja;

namespace Sllm.ChatTemplates;

/// <summary>A parsed Hugging Face chat template (Jinja), rendered into prompts with the semantics of transformers.js
/// (<c>@huggingface/jinja</c>), in a sandbox.</summary>
/// <remarks>
/// <para>Parse once, render many times: an instance is immutable and safe to render from several threads at once. The
/// template never sees CLR objects, files or the network; loops, recursion, nesting and output size are bounded by
/// <see cref="ChatTemplateOptions"/>. Every parse or render failure is a <see cref="ChatTemplateException"/>.</para>
/// <para>A render sees <c>messages</c>, <c>add_generation_prompt</c>, <c>tools</c>, <c>documents</c>, the
/// <see cref="SpecialTokens"/> (<c>bos_token</c>, <c>eos_token</c>, ...), any additional variables, and the globals
/// <c>raise_exception</c>, <c>range</c>, <c>strftime_now</c>, <c>namespace</c>, <c>dict</c>.</para>
/// </remarks>
public sealed class ChatTemplate
{
    private static readonly ReadOnlyDictionary<string, string> NoTokens = new(new Dictionary<string, string>());

    private readonly Node[] program;
    private readonly SourceText sourceText;
    private readonly ChatTemplateOptions options;

    private ChatTemplate(Node[] program, SourceText sourceText, ChatTemplateOptions options, IReadOnlyDictionary<string, string> specialTokens, ChatTemplate? toolUse)
    {
        this.program = program;
        this.sourceText = sourceText;
        this.options = options;
        SpecialTokens = specialTokens;
        ToolUseVariant = toolUse;
    }

    /// <summary>Gets the template's name (used in error messages), or <see langword="null"/>.</summary>
    public string? Name => sourceText.Name;

    /// <summary>Gets the template source.</summary>
    public string Source => sourceText.Text;

    /// <summary>Gets the special-token variables every render passes (e.g. <c>bos_token</c> → <c>&lt;s&gt;</c>).</summary>
    public IReadOnlyDictionary<string, string> SpecialTokens { get; }

    /// <summary>Gets the <c>tool_use</c> template of a model whose config names several, or <see langword="null"/>. When it
    /// exists, renders with tools use it, as transformers does.</summary>
    public ChatTemplate? ToolUseVariant { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="source">The Jinja source.</param>
    /// <param name="name">A name for error messages (e.g. the model or file name).</param>
    /// <param name="options">Sandbox limits; <see langword="null"/> for the defaults. The options are copied.</param>
    /// <returns>The parsed template, without special tokens (see <see cref="WithSpecialTokens"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit in <paramref name="options"/> is zero or negative.</exception>
    /// <exception cref="ChatTemplateException">The template is malformed (<see cref="SllmErrorKind.InvalidTemplate"/>), or nests
    /// deeper than <see cref="ChatTemplateOptions.MaxNestingDepth"/>.</exception>
    public static ChatTemplate Parse(string source, string? name = null, ChatTemplateOptions? options = null) =>
        Parse(source, name, options, path: null);

    /// <summary>Loads the chat template of a model folder, a <c>tokenizer_config.json</c>, or a standalone <c>.jinja</c> file.</summary>
    /// <param name="path">A folder holding <c>chat_template.jinja</c> and/or <c>tokenizer_config.json</c>; a
    /// <c>tokenizer_config.json</c>; or a <c>.jinja</c> file, whose special tokens come from a sidecar <c>.json</c> beside it
    /// (every string field ending in <c>_token</c>) or else from a <c>tokenizer_config.json</c> in its folder.</param>
    /// <param name="templateName">For configs with named templates (<c>[{"name": "default", "template": ...}, ...]</c>), the one
    /// to use; <see langword="null"/> picks <c>default</c> and keeps <c>tool_use</c> as <see cref="ToolUseVariant"/>.</param>
    /// <param name="options">Sandbox limits; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the file reads.</param>
    /// <returns>The template with the config's special tokens (<c>bos_token</c>, <c>eos_token</c>, <c>unk_token</c>,
    /// <c>sep_token</c>, <c>pad_token</c>, <c>cls_token</c>, <c>mask_token</c>; strings or <c>AddedToken</c> contents).</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit in <paramref name="options"/> is zero or negative.</exception>
    /// <exception cref="ChatTemplateException">The files are missing or malformed, or hold no (such) template.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static Task<ChatTemplate> LoadAsync(
        string path,
        string? templateName = null,
        ChatTemplateOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ChatTemplateLoader.LoadAsync(path, templateName, options, cancellationToken);
    }

    /// <summary>Returns a template sharing this one's parsed form with other special-token variables.</summary>
    /// <param name="specialTokens">Variable names (e.g. <c>bos_token</c>) and their strings.</param>
    /// <returns>The new template; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="specialTokens"/> is <see langword="null"/>.</exception>
    public ChatTemplate WithSpecialTokens(IReadOnlyDictionary<string, string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        var copy = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(specialTokens, StringComparer.Ordinal));
        return new ChatTemplate(program, sourceText, options, copy, ToolUseVariant?.WithSpecialTokens(copy));
    }

    /// <summary>Renders Microsoft.Extensions.AI messages into a prompt.</summary>
    /// <param name="messages">The conversation, mapped to the Hugging Face message shape (see remarks of the type).</param>
    /// <param name="options">Generation prompt, tools, documents, extra variables and clock; <see langword="null"/> for defaults.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (see <see cref="ChatTemplateRenderOptions.Validate"/>),
    /// or a message, document or variable cannot be passed to a template (an unsupported type, or nesting deeper than 256 levels).</exception>
    /// <exception cref="ChatTemplateException">The template failed (<see cref="SllmErrorKind.TemplateRender"/>), e.g. through
    /// <c>raise_exception</c> or a sandbox limit.</exception>
    public string Render(IEnumerable<ChatMessage> messages, ChatTemplateRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return RenderJson(ChatMessageMapper.ToJson(messages), tools: null, options);
    }

    /// <summary>Renders messages already in the Hugging Face / OpenAI JSON shape (as in conformance cases).</summary>
    /// <param name="messages">The messages, e.g. <c>[{"role": "user", "content": "Hi"}]</c>.</param>
    /// <param name="tools">Tool definitions in JSON shape; when <see langword="null"/>, <see cref="ChatTemplateRenderOptions.Tools"/> is used.</param>
    /// <param name="options">Generation prompt, documents, extra variables and clock; <see langword="null"/> for defaults.</param>
    /// <returns>The prompt text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid (see <see cref="ChatTemplateRenderOptions.Validate"/>),
    /// or a message, document or variable cannot be passed to a template (an unsupported type, or nesting deeper than 256 levels).</exception>
    /// <exception cref="ChatTemplateException">The template failed (<see cref="SllmErrorKind.TemplateRender"/>), e.g. through
    /// <c>raise_exception</c> or a sandbox limit.</exception>
    public string RenderJson(JsonArray messages, JsonArray? tools = null, ChatTemplateRenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        options ??= new ChatTemplateRenderOptions();
        options.Validate();
        JsonArray? toolsJson = tools ?? ChatMessageMapper.ToolsToJson(options.Tools);
        if (ToolUseVariant is not null && toolsJson is { Count: > 0 })
        {
            return ToolUseVariant.RenderJson(messages, toolsJson, options);
        }

        var scope = new Scope(Globals.Scope);
        scope.Set("messages", ValueConverter.FromJson(messages));
        scope.Set("add_generation_prompt", JinjaValue.FromBool(options.AddGenerationPrompt));
        scope.Set("tools", toolsJson is null ? JinjaValue.Null : ValueConverter.FromJson(toolsJson));
        scope.Set("documents", options.Documents is null ? JinjaValue.Null : ValueConverter.FromObject(options.Documents));
        foreach (KeyValuePair<string, string> token in SpecialTokens)
        {
            scope.Set(token.Key, JinjaValue.FromString(token.Value));
        }

        if (options.AdditionalVariables is not null)
        {
            foreach (KeyValuePair<string, object?> variable in options.AdditionalVariables)
            {
                scope.Set(variable.Key, ValueConverter.FromObject(variable.Value));
            }
        }

        return new Interpreter(sourceText, this.options, options.TimeProvider).Render(program, scope);
    }

    internal static ChatTemplate Parse(string source, string? name, ChatTemplateOptions? options, string? path, IReadOnlyDictionary<string, string>? specialTokens = null, ChatTemplate? toolUse = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ChatTemplateOptions copy = (options ?? new ChatTemplateOptions()).Clone();
        copy.Validate();
        var text = new SourceText(source, name, path);
        Node[] program = Parser.Parse(text, copy.MaxNestingDepth);
        return new ChatTemplate(program, text, copy, specialTokens ?? NoTokens, toolUse);
    }
}

using System.Text.Json.Nodes;

namespace Sllm.ChatTemplates;

/// <summary>Renders small templates for the unit tests.</summary>
internal static class TemplateRunner
{
    public static string Render(string source, string? variablesJson = null, ChatTemplateOptions? options = null)
    {
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (variablesJson is not null)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in JsonNode.Parse(variablesJson)!.AsObject())
            {
                vars[pair.Key] = pair.Value?.DeepClone();
            }
        }

        return ChatTemplate.Parse(source, "test", options).RenderJson([], null, new ChatTemplateRenderOptions
        {
            AdditionalVariables = vars,
            TimeProvider = FixedTimeProvider.Corpus,
        });
    }

    public static ChatTemplateException Fails(string source, string? variablesJson = null, ChatTemplateOptions? options = null) =>
        Assert.Throws<ChatTemplateException>(() => Render(source, variablesJson, options));
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Sllm.Testing;

namespace Sllm.ChatTemplates;

/// <summary>Renders the conformance cases through the Microsoft.Extensions.AI path (<see cref="ChatMessage"/> with
/// <see cref="FunctionCallContent"/>/<see cref="FunctionResultContent"/>, tools as <see cref="AIFunctionDeclaration"/>) and
/// compares with transformers.js, for every template: what <see cref="IChatClient"/> callers send must render exactly as the
/// raw Hugging Face JSON does.</summary>
/// <remarks><c>tool_call_string_arguments</c> is left out: <see cref="FunctionCallContent.Arguments"/> is a dictionary, so
/// arguments written as a JSON string cannot be expressed.</remarks>
public sealed class MeaiConformanceTests
{
    private static readonly string[] Inexpressible = ["tool_call_string_arguments"];

    public static TheoryData<string> Targets() => ConformanceTests.Targets();

    [SharedTheory]
    [MemberData(nameof(Targets))]
    public async Task Render_EveryExpressibleCase_ThroughMeaiTypes_MatchesReference(string target)
    {
        string name = target[(target.IndexOf('/', StringComparison.Ordinal) + 1)..];
        string path = target.StartsWith("chat-templates/", StringComparison.Ordinal)
            ? SharedData.PathOf("conformance", "chat-templates", name + ".jinja")
            : SharedData.PathOf("conformance", "tokenizers", name);
        ChatTemplate template = await ChatTemplate.LoadAsync(path);
        JsonArray cases = JsonNode.Parse(File.ReadAllText(SharedData.PathOf("conformance", "cases", "template-cases.json")))!["cases"]!.AsArray();
        JsonArray expected = JsonNode.Parse(File.ReadAllText(SharedData.PathOf("conformance", "expected", name + ".template.json")))!["results"]!.AsArray();

        var failures = new StringBuilder();
        int toolCases = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            JsonNode c = cases[i]!;
            string id = (string)c["id"]!;
            if (Inexpressible.Contains(id))
            {
                continue;
            }

            toolCases += c["tools"] is not null ? 1 : 0;
            var options = new ChatTemplateRenderOptions
            {
                AddGenerationPrompt = (bool?)c["add_generation_prompt"] ?? false,
                TimeProvider = FixedTimeProvider.Corpus,
                Tools = ToTools(c["tools"]?.AsArray()),
            };
            string? rendered;
            try
            {
                rendered = template.Render(ToMessages(c["messages"]!.AsArray()), options);
            }
            catch (ChatTemplateException)
            {
                rendered = null;
            }

            string? want = (string?)expected[i]!["rendered"];
            if (rendered != want)
            {
                failures.Append(want is null ? $"{name}/{id}: reference failed but we rendered\n"
                    : rendered is null ? $"{name}/{id}: we failed\n"
                    : $"{name}/{id}: {ConformanceTests.DiffHint(want, rendered)}\n");
            }
        }

        Assert.Equal(2, toolCases);
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static List<AITool>? ToTools(JsonArray? tools) =>
        tools?.Select(static t => (AITool)AIFunctionFactory.CreateDeclaration(
            (string)t!["function"]!["name"]!,
            (string?)t["function"]!["description"],
            JsonSerializer.SerializeToElement(t["function"]!["parameters"]))).ToList();

    private static List<ChatMessage> ToMessages(JsonArray messages)
    {
        var result = new List<ChatMessage>();
        foreach (JsonNode? m in messages)
        {
            string role = (string)m!["role"]!;
            string? content = (string?)m["content"];
            if (role == "tool")
            {
                result.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent((string)m["tool_call_id"]!, content)]));
                continue;
            }

            var contents = new List<AIContent>();
            if (content is not null)
            {
                contents.Add(new TextContent(content));
            }

            foreach (JsonNode? call in m["tool_calls"]?.AsArray() ?? [])
            {
                Dictionary<string, object?> arguments = call!["function"]!["arguments"]!.AsObject()
                    .ToDictionary(static p => p.Key, static p => (object?)JsonSerializer.SerializeToElement(p.Value));
                contents.Add(new FunctionCallContent((string)call["id"]!, (string)call["function"]!["name"]!, arguments));
            }

            result.Add(new ChatMessage(new ChatRole(role), contents));
        }

        return result;
    }
}

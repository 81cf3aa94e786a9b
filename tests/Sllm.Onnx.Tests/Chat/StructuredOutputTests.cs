using System.Text.Json;
using Microsoft.Extensions.AI;
using Sllm.Onnx.Building;
using Sllm.Onnx.Engine;
using Sllm.StructuredOutput;
using Xunit;

namespace Sllm.Onnx.Chat;

/// <summary>Constrained decoding through <see cref="OnnxChatClient"/> on a random-weight model with the embedded BPE tokenizer.</summary>
public sealed class StructuredOutputTests
{
    private const string MovieSchema = """
        {
          "type": "object",
          "properties": {
            "title": { "type": "string", "minLength": 1, "maxLength": 10 },
            "year": { "type": "integer" },
            "rating": { "type": ["number", "null"] },
            "genre": { "enum": ["drama", "comedy", "horror"] },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 6 }, "minItems": 1, "maxItems": 3 },
            "director": { "$ref": "#/$defs/Person" },
            "sequel": { "type": "boolean" },
            "notes": { "type": "null" }
          },
          "required": ["title", "year", "genre", "tags", "director", "sequel"],
          "additionalProperties": false,
          "$defs": {
            "Person": { "type": "object", "properties": { "name": { "type": "string", "maxLength": 8 }, "born": { "type": "integer" } }, "required": ["name"] }
          }
        }
        """;

    public sealed record Movie(string Title, int Year, double? Rating, string Genre, string[] Tags, Person Director, bool Sequel);

    public sealed record Person(string Name, int? Born);

    public sealed record Answer(string City, int Population, bool Capital, string[] Sights);

    internal static Task<string> ModelAsync() => TestModels.GetAsync("structured", () =>
    {
        ModelBuilderOptions options = ModelBuilderOptions.Tiny(ModelFamily.Llama);
        options.ContextLength = 1024;
        return options;
    });

    [Fact]
    public async Task A_schema_constrained_random_model_gives_valid_json_on_100_of_100_seeds()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await ModelAsync());
        using JsonDocument schema = JsonDocument.Parse(MovieSchema);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (int seed = 0; seed < 100; seed++)
        {
            var options = new ChatOptions
            {
                Temperature = 1f,
                Seed = seed,
                ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement, "movie"),
            };
            ChatResponse response = await client.GetResponseAsync("Describe a movie as JSON.", options);
            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
            using JsonDocument output = JsonDocument.Parse(response.Text);
            Assert.Null(SchemaValidator.Validate(output.RootElement, schema.RootElement, schema.RootElement));
            Movie movie = JsonSerializer.Deserialize<Movie>(response.Text, JsonSerializerOptions.Web)!;
            Assert.Contains(movie.Genre, (string[])["drama", "comedy", "horror"]);
            Assert.InRange(movie.Tags.Length, 1, 3);
            distinct.Add(response.Text);
        }

        Assert.True(distinct.Count > 90, $"only {distinct.Count} distinct outputs");
    }

    [Fact]
    public async Task GetResponseAsync_of_T_deserializes_a_record()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await ModelAsync());
        for (int seed = 0; seed < 5; seed++)
        {
            ChatResponse<Answer> response = await client.GetResponseAsync<Answer>(
                "Tell me about a city.", new ChatOptions { Temperature = 1f, Seed = seed });
            Assert.True(response.TryGetResult(out Answer? answer), response.Text);
            Assert.NotNull(answer!.City);
            Assert.NotNull(answer.Sights);
        }

        ChatResponse<int[]> wrapped = await client.GetResponseAsync<int[]>("Some numbers.", new ChatOptions { Temperature = 1f, Seed = 3 });
        Assert.NotNull(wrapped.Result);
    }

    [Fact]
    public async Task Json_format_without_a_schema_gives_an_object()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await ModelAsync());
        for (int seed = 0; seed < 5; seed++)
        {
            ChatResponse response = await client.GetResponseAsync(
                "Anything.", new ChatOptions { Temperature = 0.7f, Seed = seed, ResponseFormat = ChatResponseFormat.Json, MaxOutputTokens = 900 });
            if (response.FinishReason == ChatFinishReason.Stop)
            {
                using JsonDocument output = JsonDocument.Parse(response.Text);
                Assert.Equal(JsonValueKind.Object, output.RootElement.ValueKind);
            }
            else
            {
                Assert.StartsWith("{", response.Text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task An_unsupported_schema_keyword_fails_the_request_with_its_pointer()
    {
        using OnnxChatClient client = await OnnxChatClient.CreateAsync(await ModelAsync());
        using JsonDocument schema = JsonDocument.Parse("""{"type":"object","properties":{"id":{"type":"string","pattern":"^[a-z]+$"}}}""");
        var ex = await Assert.ThrowsAsync<JsonSchemaException>(() => client.GetResponseAsync(
            "x", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement) }));
        Assert.Equal("/properties/id/pattern", ex.Location);
    }
}

using System.Text;

namespace Sllm.Benchmarks;

/// <summary>A few KB of mixed text: prose, chat markup, code, JSON, numbers, punctuation, accents and CJK.</summary>
internal static class BenchmarkText
{
    public static readonly string Mixed = Build();

    public static readonly int Utf8Length = Encoding.UTF8.GetByteCount(Mixed);

    private static string Build()
    {
        const string Prose = """
            Small language models run well on ordinary laptops when the runtime around them is careful. The tokenizer turns
            text into ids, and every id must match what the model saw in training: one wrong split changes the prompt.
            It's not just English either — naïve café owners in Zürich write "Grüße", and prices like $1,234.56 or 3.14159
            appear next to dates such as 2024-07-26T00:00:00Z. Don't forget contractions: we'll, they've, I'm, you'd.

            """;
        const string Code = """
            public static int Fibonacci(int n)
            {
                if (n < 2) { return n; }
                int a = 0, b = 1;
                for (int i = 2; i <= n; i++) { (a, b) = (b, a + b); }
                return b;   // O(n) time, O(1) space
            }
            def tokenize(text: str) -> list[int]:
                return [ord(c) % 97 for c in text.strip().split()]

            """;
        const string Json = """
            {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius", "days": [1, 2, 3]}, "id": "call_7f3a"}
            <|im_start|>user
            What's the weather in Tokyo? 東京の天気はどうですか？ 今日は晴れです。<|im_end|>

            """;
        var builder = new StringBuilder();
        while (builder.Length < 4096)
        {
            builder.Append(Prose).Append(Code).Append(Json);
        }

        return builder.ToString();
    }
}

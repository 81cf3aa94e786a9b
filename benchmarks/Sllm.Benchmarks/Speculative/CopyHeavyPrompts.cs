namespace Sllm.Benchmarks.Speculative;

/// <summary>Prompts whose ideal answers copy from the input: a summary, an edit, an answer from a document.</summary>
internal static class CopyHeavyPrompts
{
    private const string Document =
        "The quarterly report shows that revenue grew by twelve percent while costs stayed flat. The team shipped the new "
        + "search feature in March, fixed the login bug in April, and started the migration to the new database in May. "
        + "Customers asked for faster exports, better filters and a dark theme. The next quarter will focus on exports "
        + "and filters; the dark theme is planned for the autumn release.";

    public static string Get(string task) => task switch
    {
        "Summarize" => "Summarize the following text in two sentences.\n\n" + Document + "\n\nSummary: The quarterly report shows that",
        "Edit" => "Fix the typos in this text and return it unchanged otherwise.\n\n" + Document.Replace("the ", "teh ", StringComparison.Ordinal) + "\n\nFixed text: The quarterly report",
        "DocumentQa" => "Answer from the document.\n\nDocument: " + Document + "\n\nQuestion: What will the next quarter focus on?\nAnswer: The next quarter will",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };
}

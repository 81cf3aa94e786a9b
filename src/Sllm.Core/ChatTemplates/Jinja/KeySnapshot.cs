namespace Sllm.ChatTemplates.Jinja;

/// <summary>The keys of a dict as a <c>for</c> loop sees them: copied when the loop starts (the body may change the dict),
/// wrapped as values only when read, so a loop that breaks early does not allocate a value per key.</summary>
internal sealed class KeySnapshot : IReadOnlyList<JinjaValue>
{
    private readonly string[] keys;

    public KeySnapshot(OrderedDictionary<string, JinjaValue> dict)
    {
        keys = new string[dict.Count];
        dict.Keys.CopyTo(keys, 0);
    }

    public int Count => keys.Length;

    public JinjaValue this[int index] => JinjaValue.FromString(keys[index]);

    public IEnumerator<JinjaValue> GetEnumerator()
    {
        foreach (string key in keys)
        {
            yield return JinjaValue.FromString(key);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

namespace Sllm.Tokenization.Models;

/// <summary>
/// Token string ↔ id tables shared by the model and the added tokens (added tokens are entered into both, as the
/// reference does). Filled during loading, read-only afterwards, thread-safe for reads.
/// </summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _tokenToId;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanLookup;
    private string?[] _idToToken;

    public Vocabulary(int capacity)
    {
        _tokenToId = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _spanLookup = _tokenToId.GetAlternateLookup<ReadOnlySpan<char>>();
        _idToToken = new string?[Math.Max(capacity, 1)];
    }

    /// <summary>Gets one more than the highest id.</summary>
    public int Size { get; private set; }

    public int Count => _tokenToId.Count;

    public void Set(string token, int id)
    {
        _tokenToId[token] = id;
        if (id >= _idToToken.Length)
        {
            Array.Resize(ref _idToToken, Math.Max(id + 1, _idToToken.Length * 2));
        }

        _idToToken[id] = token;
        Size = Math.Max(Size, id + 1);
    }

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _spanLookup.TryGetValue(token, out id);

    public bool Contains(ReadOnlySpan<char> token) => _spanLookup.ContainsKey(token);

    public string? GetToken(int id) => (uint)id < (uint)Size ? _idToToken[id] : null;
}

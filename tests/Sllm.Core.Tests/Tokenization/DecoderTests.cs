using Sllm.Tokenization.Decoders;
using Sllm.Tokenization.Normalizers;

namespace Sllm.Tests.Tokenization;

public sealed class DecoderTests
{
    private static string Run(TokenDecoder decoder, params string[] tokens) => string.Concat(decoder.DecodeChain([.. tokens]));

    [Fact]
    public void SentencePiece_Chain()
    {
        var chain = new SequenceDecoder([
            new ReplaceDecoder(new ReplaceNormalizer("▁", null, " ")),
            new ByteFallbackDecoder(),
            new FuseDecoder(),
            new StripDecoder(' ', 1, 0),
        ]);
        Assert.Equal("Hi é!", Run(chain, "▁Hi", "▁", "<0xC3>", "<0xA9>", "!"));
        Assert.Equal("x\uFFFD", Run(chain, "x", "<0xC3>"));
    }

    [Fact]
    public void ByteLevel_Passes_Added_Tokens_Verbatim()
    {
        var decoder = new ByteLevelDecoder();
        decoder.SetAddedTokens(["<|x|>"]);
        Assert.Equal("Hi é<|x|> ok", Run(decoder, "Hi", "ĠÃ", "©", "<|x|>", "Ġok"));
    }

    [Fact]
    public void Metaspace_WordPiece_Strip_Bpe_Ctc()
    {
        Assert.Equal("Hello world", Run(new MetaspaceDecoder('▁', stripFirst: true), "▁Hello", "▁world"));
        Assert.Equal(" Hello", Run(new MetaspaceDecoder('▁', stripFirst: false), "▁Hello"));
        Assert.Equal("unaffable, ok", Run(new WordPieceDecoder("##", cleanup: true), "un", "##aff", "##able", ",", "ok"));
        Assert.Equal("ab", Run(new StripDecoder('x', 2, 1), "xxxabx"[1..]));
        Assert.Equal("hello world", Run(new BpeDecoder("</w>"), "hel", "lo</w>", "world</w>"));
        Assert.Equal("hello world", Run(new CtcDecoder("<pad>", "|", cleanup: true), "h", "e", "l", "<pad>", "l", "o", "|", "w", "o", "r", "l", "d"));
    }
}

#!/usr/bin/env python3
"""Writes the small byte-level BPE tokenizer and ChatML-style chat template that `sllm demo` embeds.

Trained by this script on eng/demo-corpus.txt (text written for this project), so the repository carries no third-party
vocabulary. The format is the Hugging Face tokenizer.json that GPT-2-style models use: ByteLevel pre-tokenizer with the
GPT-2 split regex, BPE over the byte-to-unicode alphabet, ByteLevel decoder. Deterministic: re-running reproduces the
files byte for byte.
"""
import collections, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "Sllm.Onnx", "Building", "Defaults")
MERGES = 700

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b); cs.append(256 + n); n += 1
    return dict(zip(bs, (chr(c) for c in cs)))

B2U = bytes_to_unicode()
# ASCII approximation of the GPT-2 pattern, good enough for choosing merges; encoding uses the real pattern.
SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+")

def main():
    # The corpus plus the template itself, so the role names and markup the demo renders become whole tokens.
    text = open(os.path.join(HERE, "demo-corpus.txt"), encoding="utf-8").read()
    text += open(os.path.join(HERE, "demo-chat-template.jinja"), encoding="utf-8").read()
    words = collections.Counter("".join(B2U[b] for b in w.encode("utf-8")) for w in SPLIT.findall(text))
    splits = {w: list(w) for w in words}
    vocab = [B2U[b] for b in sorted(B2U)]
    merges = []
    for _ in range(MERGES):
        pairs = collections.Counter()
        for w, c in words.items():
            s = splits[w]
            for a, b in zip(s, s[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        if pairs[best] < 2:
            break
        merges.append(best)
        vocab.append(best[0] + best[1])
        for w in words:
            s = splits[w]; i = 0; out = []
            while i < len(s):
                if i + 1 < len(s) and (s[i], s[i + 1]) == best:
                    out.append(s[i] + s[i + 1]); i += 2
                else:
                    out.append(s[i]); i += 1
            splits[w] = out
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    ids = {tok: i for i, tok in enumerate(vocab)}
    added = []
    for s in specials:
        ids[s] = len(ids)
        added.append({"id": ids[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True})
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {t: i for t, i in ids.items() if t not in specials},
                  "merges": [[a, b] for a, b in merges]},
    }
    template = open(os.path.join(HERE, "demo-chat-template.jinja"), encoding="utf-8").read()
    config = {
        "add_prefix_space": False,
        "bos_token": None,
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 2048,
        "tokenizer_class": "GPT2Tokenizer",
        "chat_template": template,
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "tokenizer.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=2); f.write("\n")
    with open(os.path.join(OUT, "tokenizer_config.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(config, f, ensure_ascii=False, indent=2); f.write("\n")
    print(f"{len(ids)} tokens, {len(merges)} merges -> {os.path.normpath(OUT)}")

if __name__ == "__main__":
    sys.exit(main())

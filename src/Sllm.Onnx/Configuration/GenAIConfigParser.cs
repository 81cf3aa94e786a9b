using System.Text.Json;

namespace Sllm.Onnx;

/// <summary>Maps a parsed <c>genai_config.json</c> onto the <see cref="GenAIConfig"/> types.</summary>
/// <remarks>
/// ORT GenAI rejects unknown keys; Sllm logs a warning naming the JSON path and goes on, so a config written by a newer
/// model builder still loads. Keys ORT GenAI knows but Sllm does not use yet are logged as unsupported.
/// </remarks>
internal static class GenAIConfigParser
{
    private static readonly HashSet<string> UnsupportedModelKeys = new(StringComparer.Ordinal)
    {
        "draft", "encoder", "embedding", "vision", "speech", "joiner", "vad", "mtp", "bot_token_id", "eot_token_id",
        "bor_token_id", "eor_token_id", "image_token_id", "audio_token_id", "boa_token_id", "video_token_id",
        "vision_start_token_id",
    };

    private static readonly HashSet<string> UnsupportedDecoderKeys = new(StringComparer.Ordinal)
    {
        "sliding_window", "pipeline", "shared_initializers",
    };

    private static readonly HashSet<string> InputKeys = new(StringComparer.Ordinal)
    {
        "input_ids", "inputs_embeds", "attention_mask", "position_ids", "past_key_names", "past_value_names", "past_names",
        "past_conv_names",
    };

    private static readonly HashSet<string> OutputKeys = new(StringComparer.Ordinal)
    {
        "logits", "present_key_names", "present_value_names", "present_names", "present_conv_names", "hidden_states",
    };

    private static readonly HashSet<string> OtherInputKeys = new(StringComparer.Ordinal)
    {
        "past_sequence_length", "current_sequence_length", "total_sequence_length", "past_key_values_length",
        "cache_indirection", "encoder_hidden_states", "encoder_attention_mask", "rnn_states_prev", "block_table",
        "block_table_windowed", "cumulative_sequence_lengths", "past_sequence_lengths", "attention_metadata",
    };

    private static readonly HashSet<string> OtherOutputKeys = new(StringComparer.Ordinal)
    {
        "rnn_states", "output_cross_qk_names",
    };

    internal static GenAIConfig Parse(JsonElement root, string? path, GenAIJsonReader r)
    {
        r.Object(root, "$");
        GenAIModelConfig? model = null;
        JsonElement? search = null;
        foreach (JsonProperty p in root.EnumerateObject())
        {
            string at = GenAIJsonReader.Child("$", p.Name);
            switch (p.Name)
            {
                case "model": model = ParseModel(r.Object(p.Value, at), at, r); break;
                case "search": search = r.Object(p.Value, at); break;
                case "speculative" or "engine": r.Unsupported(at); break;
                default: r.Unknown(at); break;
            }
        }

        if (model is null)
        {
            throw r.Fail("$.model", "is missing.");
        }

        // max_length defaults to context_length, so search is read after model whatever the key order.
        GenAISearchOptions options = search is { } s
            ? ParseSearch(s, "$.search", model.ContextLength, r)
            : new() { MaxLength = model.ContextLength };
        r.Loaded(model.Type, model.ContextLength);
        return new GenAIConfig(model, options, path);
    }

    private static GenAIModelConfig ParseModel(JsonElement e, string path, GenAIJsonReader r)
    {
        string? type = null, tokenizerDir = null;
        int bos = 0, pad = 0, sep = 0, decoderStart = 0, vocab = 0, context = 0;
        IReadOnlyList<int>? eos = null;
        GenAIDecoderConfig? decoder = null;
        foreach (JsonProperty p in e.EnumerateObject())
        {
            string at = GenAIJsonReader.Child(path, p.Name);
            switch (p.Name)
            {
                case "type": type = r.String(p.Value, at); break;
                case "bos_token_id": bos = r.Int(p.Value, at); break;
                case "pad_token_id": pad = r.Int(p.Value, at); break;
                case "eos_token_id": eos = r.IntOrIntList(p.Value, at); break;
                case "sep_token_id": sep = r.Int(p.Value, at); break;
                case "decoder_start_token_id": decoderStart = r.Int(p.Value, at); break;
                case "vocab_size": vocab = r.Int(p.Value, at); break;
                case "context_length": context = r.Int(p.Value, at); break;
                case "tokenizer_dir": tokenizerDir = r.String(p.Value, at); break;
                case "decoder": decoder = ParseDecoder(r.Object(p.Value, at), at, r); break;
                case var key when UnsupportedModelKeys.Contains(key): r.Unsupported(at); break;
                default: r.Unknown(at); break;
            }
        }

        if (string.IsNullOrEmpty(type))
        {
            throw r.Fail(path + ".type", "is missing or empty: the model architecture must be named.");
        }

        if (context <= 0)
        {
            throw r.Fail(path + ".context_length", "must be a positive integer (the longest sequence the model supports).");
        }

        if (decoder is null)
        {
            throw r.Fail(path + ".decoder", "is missing: only decoder models are supported.");
        }

        if (vocab < 0)
        {
            throw r.Fail(path + ".vocab_size", "must not be negative.");
        }

        if (tokenizerDir is { Length: > 0 })
        {
            CheckRelative(tokenizerDir, path + ".tokenizer_dir", r);
        }

        return new GenAIModelConfig
        {
            Type = type,
            BosTokenId = bos,
            PadTokenId = pad,
            EosTokenIds = eos is { Count: > 0 } ? eos : new List<int> { pad }.AsReadOnly(),
            SepTokenId = sep,
            DecoderStartTokenId = decoderStart,
            VocabSize = vocab,
            ContextLength = context,
            TokenizerDirectory = tokenizerDir ?? string.Empty,
            Decoder = decoder,
        };
    }

    private static GenAIDecoderConfig ParseDecoder(JsonElement e, string path, GenAIJsonReader r)
    {
        string filename = string.Empty;
        GenAISessionOptions session = new();
        IReadOnlyDictionary<string, string> runOptions = EmptyStrings.Dictionary;
        int hidden = 0, heads = 0, kvHeads = 0, layers = 0, headSize = 0, convCache = 0;
        IReadOnlyList<string> layerTypes = [];
        GenAIDecoderInputNames inputs = new();
        GenAIDecoderOutputNames outputs = new();
        foreach (JsonProperty p in e.EnumerateObject())
        {
            string at = GenAIJsonReader.Child(path, p.Name);
            switch (p.Name)
            {
                case "filename": filename = r.String(p.Value, at); break;
                case "session_options": session = GenAISessionOptionsParser.Parse(r.Object(p.Value, at), at, r); break;
                case "run_options": runOptions = r.StringMap(p.Value, at); break;
                case "hidden_size": hidden = NonNegative(p.Value, at, r); break;
                case "num_attention_heads": heads = NonNegative(p.Value, at, r); break;
                case "num_key_value_heads": kvHeads = NonNegative(p.Value, at, r); break;
                case "num_hidden_layers": layers = NonNegative(p.Value, at, r); break;
                case "head_size": headSize = NonNegative(p.Value, at, r); break;
                case "layer_types": layerTypes = r.StringList(p.Value, at); break;
                case "conv_cache_size": convCache = NonNegative(p.Value, at, r); break;
                case "inputs": inputs = ParseInputs(r.Object(p.Value, at), at, r); break;
                case "outputs": outputs = ParseOutputs(r.Object(p.Value, at), at, r); break;
                case var key when UnsupportedDecoderKeys.Contains(key): r.Unsupported(at); break;
                default: r.Unknown(at); break;
            }
        }

        if (filename.Length == 0)
        {
            throw r.Fail(path + ".filename", "is missing or empty: the decoder ONNX file must be named.");
        }

        CheckRelative(filename, path + ".filename", r);
        return new GenAIDecoderConfig
        {
            Filename = filename,
            SessionOptions = session,
            RunOptions = runOptions,
            HiddenSize = hidden,
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            NumHiddenLayers = layers,
            HeadSize = headSize,
            LayerTypes = layerTypes,
            ConvCacheSize = convCache,
            Inputs = inputs,
            Outputs = outputs,
        };
    }

    private static GenAIDecoderInputNames ParseInputs(JsonElement e, string path, GenAIJsonReader r)
    {
        Dictionary<string, string> names = ReadNames(e, path, r, InputKeys, OtherInputKeys, out Dictionary<string, string> other);
        var defaults = new GenAIDecoderInputNames();
        return new GenAIDecoderInputNames
        {
            InputIds = names.GetValueOrDefault("input_ids", defaults.InputIds),
            InputsEmbeds = names.GetValueOrDefault("inputs_embeds", defaults.InputsEmbeds),
            AttentionMask = names.GetValueOrDefault("attention_mask", defaults.AttentionMask),
            PositionIds = names.GetValueOrDefault("position_ids", defaults.PositionIds),
            PastKeyNames = names.GetValueOrDefault("past_key_names", defaults.PastKeyNames),
            PastValueNames = names.GetValueOrDefault("past_value_names", defaults.PastValueNames),
            PastNames = names.GetValueOrDefault("past_names"),
            PastConvNames = names.GetValueOrDefault("past_conv_names", defaults.PastConvNames),
            Other = other.AsReadOnly(),
        };
    }

    private static GenAIDecoderOutputNames ParseOutputs(JsonElement e, string path, GenAIJsonReader r)
    {
        Dictionary<string, string> names = ReadNames(e, path, r, OutputKeys, OtherOutputKeys, out Dictionary<string, string> other);
        var defaults = new GenAIDecoderOutputNames();
        return new GenAIDecoderOutputNames
        {
            Logits = names.GetValueOrDefault("logits", defaults.Logits),
            PresentKeyNames = names.GetValueOrDefault("present_key_names", defaults.PresentKeyNames),
            PresentValueNames = names.GetValueOrDefault("present_value_names", defaults.PresentValueNames),
            PresentNames = names.GetValueOrDefault("present_names"),
            PresentConvNames = names.GetValueOrDefault("present_conv_names", defaults.PresentConvNames),
            HiddenStates = names.GetValueOrDefault("hidden_states"),
            Other = other.AsReadOnly(),
        };
    }

    /// <summary>Reads a flat object of graph names (<c>inputs</c>, <c>outputs</c>): the keys Sllm maps to properties, the
    /// other keys ORT GenAI knows (into <paramref name="other"/>), and a warning for any other key.</summary>
    private static Dictionary<string, string> ReadNames(
        JsonElement e, string path, GenAIJsonReader r, HashSet<string> known, HashSet<string> otherKnown, out Dictionary<string, string> other)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        other = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty p in e.EnumerateObject())
        {
            string at = GenAIJsonReader.Child(path, p.Name);
            if (known.Contains(p.Name))
            {
                names[p.Name] = r.String(p.Value, at);
            }
            else if (otherKnown.Contains(p.Name))
            {
                other[p.Name] = r.String(p.Value, at);
            }
            else
            {
                r.Unknown(at);
            }
        }

        return names;
    }

    private static GenAISearchOptions ParseSearch(JsonElement e, string path, int contextLength, GenAIJsonReader r)
    {
        var d = new GenAISearchOptions();
        bool doSample = d.DoSample, earlyStopping = d.EarlyStopping, share = d.PastPresentShareBuffer;
        int minLength = d.MinLength, maxLength = 0, batch = d.BatchSize, beams = d.NumBeams;
        int returns = d.NumReturnSequences, topK = d.TopK, noRepeat = d.NoRepeatNgramSize, seed = d.RandomSeed;
        int? chunk = null;
        double repetition = d.RepetitionPenalty, topP = d.TopP, temperature = d.Temperature;
        double diversity = d.DiversityPenalty, lengthPenalty = d.LengthPenalty;
        foreach (JsonProperty p in e.EnumerateObject())
        {
            string at = GenAIJsonReader.Child(path, p.Name);
            switch (p.Name)
            {
                case "do_sample": doSample = r.Bool(p.Value, at); break;
                case "min_length": minLength = NonNegative(p.Value, at, r); break;
                case "max_length": maxLength = NonNegative(p.Value, at, r); break;
                case "batch_size": batch = Positive(p.Value, at, r); break;
                case "num_beams": beams = Positive(p.Value, at, r); break;
                case "num_return_sequences": returns = Positive(p.Value, at, r); break;
                case "repetition_penalty": repetition = r.Double(p.Value, at); break;
                case "top_k": topK = NonNegative(p.Value, at, r); break;
                case "top_p": topP = r.Double(p.Value, at); break;
                case "temperature": temperature = r.Double(p.Value, at); break;
                case "early_stopping": earlyStopping = r.Bool(p.Value, at); break;
                case "no_repeat_ngram_size": noRepeat = NonNegative(p.Value, at, r); break;
                case "diversity_penalty": diversity = r.Double(p.Value, at); break;
                case "length_penalty": lengthPenalty = r.Double(p.Value, at); break;
                case "past_present_share_buffer": share = r.Bool(p.Value, at); break;
                case "random_seed": seed = r.Int(p.Value, at); break;
                case "chunk_size": chunk = Positive(p.Value, at, r); break;
                case "blank_penalty": r.Unsupported(at); break;
                default: r.Unknown(at); break;
            }
        }

        return new GenAISearchOptions
        {
            DoSample = doSample,
            MinLength = minLength,
            MaxLength = maxLength == 0 ? contextLength : maxLength,
            BatchSize = batch,
            NumBeams = beams,
            NumReturnSequences = returns,
            RepetitionPenalty = repetition,
            TopK = topK,
            TopP = topP,
            Temperature = temperature,
            EarlyStopping = earlyStopping,
            NoRepeatNgramSize = noRepeat,
            DiversityPenalty = diversity,
            LengthPenalty = lengthPenalty,
            PastPresentShareBuffer = share,
            RandomSeed = seed,
            ChunkSize = chunk,
        };
    }

    private static int NonNegative(JsonElement value, string at, GenAIJsonReader r)
    {
        int n = r.Int(value, at);
        return n >= 0 ? n : throw r.Fail(at, $"must not be negative, not {n}.");
    }

    private static int Positive(JsonElement value, string at, GenAIJsonReader r)
    {
        int n = r.Int(value, at);
        return n > 0 ? n : throw r.Fail(at, $"must be positive, not {n}.");
    }

    // ORT GenAI requires file names relative to the model folder, without "..", so a config cannot reach outside it.
    private static void CheckRelative(string file, string at, GenAIJsonReader r)
    {
        if (Path.IsPathRooted(file) || file.Split('/', '\\').Contains(".."))
        {
            throw r.Fail(at, $"must be a path relative to the model folder without '..', not '{file}'.");
        }
    }
}

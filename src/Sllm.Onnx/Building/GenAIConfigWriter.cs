using System.Text.Json;

namespace Sllm.Onnx.Building;

/// <summary>Writes <c>genai_config.json</c> with the keys, order and defaults of ORT GenAI's Python model builder for the CPU provider.</summary>
internal static class GenAIConfigWriter
{
    public static byte[] Write(DecoderShape shape, TokenizerFiles tokenizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 4 }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("model");
            writer.WriteNumber("bos_token_id", tokenizer.BosTokenId);
            writer.WriteNumber("context_length", shape.ContextLength);
            WriteDecoder(writer, shape);
            if (tokenizer.EosTokenIds.Count == 1)
            {
                writer.WriteNumber("eos_token_id", tokenizer.EosTokenIds[0]);
            }
            else
            {
                writer.WriteStartArray("eos_token_id");
                foreach (int id in tokenizer.EosTokenIds)
                {
                    writer.WriteNumberValue(id);
                }

                writer.WriteEndArray();
            }

            writer.WriteNumber("pad_token_id", tokenizer.PadTokenId);
            writer.WriteString("type", shape.TypeName);
            writer.WriteNumber("vocab_size", shape.VocabSize);
            writer.WriteEndObject();
            WriteSearch(writer, shape);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteDecoder(Utf8JsonWriter writer, DecoderShape shape)
    {
        writer.WriteStartObject("decoder");
        writer.WriteStartObject("session_options");
        writer.WriteString("log_id", "onnxruntime-genai");
        writer.WriteStartArray("provider_options");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteString("filename", ModelBuildResult.ModelFileName);
        writer.WriteNumber("head_size", shape.HeadSize);
        writer.WriteNumber("hidden_size", shape.HiddenSize);
        writer.WriteStartObject("inputs");
        writer.WriteString("input_ids", "input_ids");
        writer.WriteString("attention_mask", "attention_mask");
        if (!shape.FuseRotary)
        {
            writer.WriteString("position_ids", "position_ids");
        }

        writer.WriteString("past_key_names", "past_key_values.%d.key");
        writer.WriteString("past_value_names", "past_key_values.%d.value");
        writer.WriteEndObject();
        writer.WriteStartObject("outputs");
        writer.WriteString("logits", "logits");
        writer.WriteString("present_key_names", "present.%d.key");
        writer.WriteString("present_value_names", "present.%d.value");
        writer.WriteEndObject();
        writer.WriteNumber("num_attention_heads", shape.NumHeads);
        writer.WriteNumber("num_hidden_layers", shape.NumLayers);
        writer.WriteNumber("num_key_value_heads", shape.NumKvHeads);
        writer.WriteEndObject();
    }

    // Floats are written as Python's json writes them ("1.0"), so the file reads like a real export.
    private static void WriteSearch(Utf8JsonWriter writer, DecoderShape shape)
    {
        writer.WriteStartObject("search");
        WriteFloat(writer, "diversity_penalty", "0.0");
        writer.WriteBoolean("do_sample", false);
        writer.WriteBoolean("early_stopping", true);
        WriteFloat(writer, "length_penalty", "1.0");
        writer.WriteNumber("max_length", shape.ContextLength);
        writer.WriteNumber("min_length", 0);
        writer.WriteNumber("no_repeat_ngram_size", 0);
        writer.WriteNumber("num_beams", 1);
        writer.WriteNumber("num_return_sequences", 1);

        // GroupQueryAttention reads and writes the same max_length KV buffer in place.
        writer.WriteBoolean("past_present_share_buffer", true);
        WriteFloat(writer, "repetition_penalty", "1.0");
        WriteFloat(writer, "temperature", "1.0");
        writer.WriteNumber("top_k", 50);
        WriteFloat(writer, "top_p", "1.0");
        writer.WriteEndObject();
    }

    private static void WriteFloat(Utf8JsonWriter writer, string name, string literal)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(literal, skipInputValidation: true);
    }
}

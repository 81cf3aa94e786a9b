using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sllm.Onnx.Runtime;

namespace Sllm.Onnx;

/// <summary>Binds one step's inputs and outputs and runs the decoder session, bridging cancellation to
/// <see cref="RunOptions.Terminate"/>.</summary>
/// <remarks>The name and value arrays are built once; a decode step only swaps the mask view, so with a shared KV buffer a
/// step creates no tensor objects. Owned by one <see cref="Generator"/>; not thread-safe.</remarks>
internal sealed class StepRunner : IDisposable
{
    private readonly OnnxModel model;
    private readonly DecoderGraph graph;
    private readonly StepInputs inputs;
    private readonly CacheState cache;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly OrtValue[] inputValues;
    private readonly string[] outputNames;
    private readonly OrtValue[] outputValues;
    private readonly int maskIndex = -1;
    private readonly int positionIndex = -1;
    private readonly int cacheIndex;
    private readonly NativeTensorBuffer? decodeLogits;
    private readonly OrtValue? decodeLogitsView;
    private readonly int batch;
    private readonly OrtIoBinding? decodeBinding;
    private readonly NativeInputBinding? decodeMask;
    private CancellationTokenRegistration registration;
    private CancellationToken registeredToken;

    private readonly Lora.LoraAdapter? adapter;

    public StepRunner(OnnxModel model, StepInputs inputs, CacheState cache, int batch, Lora.LoraAdapter? adapter = null)
    {
        this.adapter = adapter;
        this.model = model;
        graph = model.Graph;
        this.inputs = inputs;
        this.cache = cache;
        this.batch = batch;
        var names = new List<string> { graph.InputIds };
        if (graph.AttentionMask is not null)
        {
            maskIndex = names.Count;
            names.Add(graph.AttentionMask);
        }

        if (graph.PositionIds is not null)
        {
            positionIndex = names.Count;
            names.Add(graph.PositionIds);
        }

        cacheIndex = names.Count;
        names.AddRange(cache.PastNames);

        // LoRA tensors go last and never change for this generator, so the Run paths fill them once here.
        int adapterIndex = names.Count;
        if (adapter is not null)
        {
            names.AddRange(adapter.InputNames);
        }

        inputNames = [.. names];
        inputValues = new OrtValue[inputNames.Length];
        adapter?.InputValues.CopyTo(inputValues.AsSpan(adapterIndex));
        outputNames = [graph.Logits, .. cache.PresentNames];
        outputValues = new OrtValue[outputNames.Length];
        if (cache.Shared)
        {
            decodeLogits = new NativeTensorBuffer(graph.LogitsType, (long)batch * graph.VocabSize);
            decodeLogitsView = decodeLogits.CreateView([batch, 1, graph.VocabSize]);
            for (int i = 0; i < cache.PastNames.Length; i++)
            {
                outputValues[i + 1] = cache.Values[i];
            }

            decodeBinding = CreateDecodeBinding();
            decodeMask = graph.AttentionMask is null ? null : new NativeInputBinding(decodeBinding, graph.AttentionMask, model.Logger);
        }

        foreach (KeyValuePair<string, string> entry in model.Config.Model.Decoder.RunOptions)
        {
            runOptions.AddRunConfigEntry(entry.Key, entry.Value);
        }
    }

    /// <summary>Runs the model on <paramref name="sequenceLength"/> new positions per row after <paramref name="pastLength"/>
    /// cached ones, and writes each row's logits at <paramref name="logitColumns"/> into <paramref name="logits"/>.</summary>
    public void Run(int sequenceLength, int pastLength, ReadOnlySpan<int> logitColumns, Span<float> logits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Register(cancellationToken);
        OrtValue ids = inputs.Ids(sequenceLength, out bool ownsIds);
        OrtValue? mask = inputs.Mask(pastLength + sequenceLength, out bool ownsMask, out IntPtr maskHandle);
        OrtValue? positions = inputs.Positions(sequenceLength, out bool ownsPositions);
        try
        {
            int logitRows = graph.LogitsForAllPositions ? sequenceLength : 1;
            if (decodeBinding is not null && sequenceLength == 1)
            {
                // Everything but the mask stays bound between steps, and the mask is rebound through the C API with its name
                // encoded once: the binding path allocates nothing per step.
                if (mask is not null)
                {
                    decodeMask!.Bind(mask, maskHandle);
                }

                model.Session.RunWithBinding(runOptions, decodeBinding);
                CopyLogits(decodeLogitsView!, 1, logitColumns, logits);
            }
            else if (cache.Shared)
            {
                if (logitRows == 1)
                {
                    FillInputs(ids, mask, positions);
                    outputValues[0] = decodeLogitsView!;
                    model.Session.Run(runOptions, inputNames, inputValues, outputNames, outputValues);
                    CopyLogits(outputValues[0], logitRows, logitColumns, logits);
                }
                else
                {
                    RunPromptShared(mask, positions, ids, logitRows, logitColumns, logits);
                }
            }
            else
            {
                FillInputs(ids, mask, positions);
                RunGrowing(logitRows, logitColumns, logits);
            }
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The generation was cancelled.", cancellationToken);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new GenerationException(SllmErrorKind.InferenceFailed, $"{model.ModelFile}: ONNX Runtime failed while running the decoder: {ex.Message}", model.ModelFile, ex);
        }
        finally
        {
            if (ownsIds)
            {
                ids.Dispose();
            }

            if (ownsMask)
            {
                mask!.Dispose();
            }

            if (ownsPositions)
            {
                positions!.Dispose();
            }

        }
    }

    public void Dispose()
    {
        decodeBinding?.Dispose();
        registration.Dispose();
        runOptions.Dispose();
        decodeLogitsView?.Dispose();
        decodeLogits?.Dispose();
    }

    /// <summary>Runs a multi-token pass with the shared cache bound in place but the logits left to ONNX Runtime's arena:
    /// a prompt's <c>[batch, tokens, vocabulary]</c> logits can be hundreds of megabytes, which the arena reuses across
    /// requests instead of a fresh zeroed allocation per prompt.</summary>
    private void RunPromptShared(OrtValue? mask, OrtValue? positions, OrtValue ids, int logitRows, ReadOnlySpan<int> logitColumns, Span<float> logits)
    {
        using OrtIoBinding binding = model.Session.CreateIoBinding();
        binding.BindOutputToDevice(graph.Logits, OrtMemoryInfo.DefaultInstance);
        binding.BindInput(graph.InputIds, ids);
        if (mask is not null)
        {
            binding.BindInput(graph.AttentionMask!, mask);
        }

        if (positions is not null)
        {
            binding.BindInput(graph.PositionIds!, positions);
        }

        for (int i = 0; i < cache.PastNames.Length; i++)
        {
            binding.BindInput(cache.PastNames[i], cache.Values[i]);
            binding.BindOutput(cache.PresentNames[i], cache.Values[i]);
        }

        BindAdapter(binding);
        model.Session.RunWithBinding(runOptions, binding);
        using IDisposableReadOnlyCollection<OrtValue> outputs = binding.GetOutputValues();
        foreach (OrtValue output in outputs)
        {
            // Outputs come back in binding order, so the logits are first.
            CopyLogits(output, logitRows, logitColumns, logits);
            break;
        }
    }

    private OrtIoBinding CreateDecodeBinding()
    {
        OrtIoBinding binding = model.Session.CreateIoBinding();
        binding.BindInput(graph.InputIds, inputs.Ids(1, out _));
        if (inputs.Positions(1, out _) is { } positions)
        {
            binding.BindInput(graph.PositionIds!, positions);
        }

        for (int i = 0; i < cache.PastNames.Length; i++)
        {
            binding.BindInput(cache.PastNames[i], cache.Values[i]);
            binding.BindOutput(cache.PresentNames[i], cache.Values[i]);
        }

        binding.BindOutput(graph.Logits, decodeLogitsView!);
        BindAdapter(binding);
        return binding;
    }

    /// <summary>Binds the adapter's tensors by name: ONNX Runtime ignores adapters activated on <see cref="RunOptions"/> when
    /// running with a binding, so they are fed as ordinary inputs (the same values, shared by every generator).</summary>
    private void BindAdapter(OrtIoBinding binding)
    {
        if (adapter is null)
        {
            return;
        }

        ReadOnlySpan<string> names = adapter.InputNames;
        ReadOnlySpan<OrtValue> values = adapter.InputValues;
        for (int i = 0; i < names.Length; i++)
        {
            binding.BindInput(names[i], values[i]);
        }
    }

    /// <summary>Fills the input array of the <c>Run</c> paths; the bound decode path never reads it.</summary>
    private void FillInputs(OrtValue ids, OrtValue? mask, OrtValue? positions)
    {
        inputValues[0] = ids;
        if (maskIndex >= 0)
        {
            inputValues[maskIndex] = mask!;
        }

        if (positionIndex >= 0)
        {
            inputValues[positionIndex] = positions!;
        }

        // Growing caches replace their tensors every step, so the past values are re-read each time.
        Array.Copy(cache.Values, 0, inputValues, cacheIndex, cache.Values.Length);
    }

    private void RunGrowing(int logitRows, ReadOnlySpan<int> logitColumns, Span<float> logits)
    {
        // Not disposed as a whole: the presents become the next pasts and the cache takes them over.
        IDisposableReadOnlyCollection<OrtValue> results = model.Session.Run(runOptions, inputNames, inputValues, outputNames);
        int index = 0;
        foreach (OrtValue result in results)
        {
            if (index == 0)
            {
                using (result)
                {
                    CopyLogits(result, logitRows, logitColumns, logits);
                }
            }
            else
            {
                cache.Accept(index - 1, result);
            }

            index++;
        }
    }

    private void CopyLogits(OrtValue source, int logitRows, ReadOnlySpan<int> logitColumns, Span<float> destination)
    {
        int vocab = graph.VocabSize;
        Span<byte> raw = source.GetTensorMutableRawData();
        for (int b = 0; b < logitColumns.Length; b++)
        {
            int column = logitRows == 1 ? 0 : logitColumns[b];
            // One sequence may ask for several columns (speculative verification); a batch asks for one per row.
            int offset = (((batch == 1 ? 0 : b) * logitRows) + column) * vocab;
            Span<float> target = destination.Slice(b * vocab, vocab);
            if (graph.LogitsType == TensorElementType.Float)
            {
                MemoryMarshal.Cast<byte, float>(raw).Slice(offset, vocab).CopyTo(target);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(raw).Slice(offset, vocab), target);
            }
        }
    }

    private void Register(CancellationToken cancellationToken)
    {
        if (cancellationToken.Equals(registeredToken))
        {
            return;
        }

        // Disposing waits for a running callback, so Terminate cannot be set again after it is cleared here.
        registration.Dispose();
        runOptions.Terminate = false;
        registeredToken = cancellationToken;
        registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((RunOptions)state!).Terminate = true, runOptions)
            : default;
    }
}

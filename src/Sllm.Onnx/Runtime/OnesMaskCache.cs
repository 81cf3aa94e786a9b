using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Onnx.Runtime;

/// <summary>Read-only all-ones attention masks <c>[1, width]</c> for single-sequence steps, one tensor per width, shared by
/// every generator of a model.</summary>
/// <remarks>A batch-1 mask is all ones and only its width changes each step; caching one view per width over one ones buffer
/// means the decode loop creates no tensor objects once a width has been seen. Each view's native handle is read once, when it
/// is created, so the decode loop can bind it through <see cref="NativeInputBinding"/>. Thread-safe: views are published with
/// <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/> and never change afterwards.</remarks>
internal sealed class OnesMaskCache : IDisposable
{
    private readonly TensorElementType type;
    private readonly Lock growLock = new();
    private NativeTensorBuffer? ones;
    private View?[] views = [];
    private readonly List<NativeTensorBuffer> retired = [];
    private bool disposed;

    public OnesMaskCache(TensorElementType type) => this.type = type;

    public OrtValue Get(int width) => Get(width, out _);

    /// <summary>Returns the mask of the given width and its native handle from <see cref="OrtNativeApi.HandleOf"/>.</summary>
    public OrtValue Get(int width, out IntPtr handle)
    {
        View? view = Get(Volatile.Read(ref views), width) ?? Create(width);
        handle = view.Handle;
        return view.Value;
    }

    private static View? Get(View?[] current, int width) => width < current.Length ? current[width] : null;

    private View Create(int width)
    {
        lock (growLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (ones is null || ones.ElementCount < width)
            {
                // Existing views point into the old buffer, so it stays alive until the cache is disposed.
                if (ones is not null)
                {
                    retired.Add(ones);
                }

                long capacity = Math.Max(width, Math.Max(256, (ones?.ElementCount ?? 0) * 2));
                ones = new NativeTensorBuffer(type, capacity);
                if (type == TensorElementType.Int32)
                {
                    ones.AsSpan<int>(0, (int)capacity).Fill(1);
                }
                else
                {
                    ones.AsSpan<long>(0, (int)capacity).Fill(1);
                }
            }

            View?[] current = views;
            if (width >= current.Length)
            {
                Array.Resize(ref current, Math.Max(width + 1, current.Length * 2));
            }

            View view = current[width] ??= new View(ones.CreateView([1, width]));
            Volatile.Write(ref views, current);
            return view;
        }
    }

    public void Dispose()
    {
        lock (growLock)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            foreach (View? view in views)
            {
                view?.Value.Dispose();
            }

            ones?.Dispose();
            foreach (NativeTensorBuffer buffer in retired)
            {
                buffer.Dispose();
            }
        }
    }

    private sealed class View(OrtValue value)
    {
        public OrtValue Value { get; } = value;

        public IntPtr Handle { get; } = OrtNativeApi.HandleOf(value);
    }
}

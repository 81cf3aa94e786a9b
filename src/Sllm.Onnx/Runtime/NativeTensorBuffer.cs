using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Sllm.Onnx.Runtime;

/// <summary>Zeroed, 64-byte aligned native memory that ONNX Runtime reads and writes in place through <see cref="OrtValue"/> views.</summary>
/// <remarks>Native rather than managed so the garbage collector never moves or scans it and views need no pinning handles.
/// Owns its memory; views created by <see cref="CreateView"/> must be disposed before this buffer.</remarks>
internal sealed unsafe class NativeTensorBuffer : IDisposable
{
    private void* pointer;

    public NativeTensorBuffer(TensorElementType elementType, long elementCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementCount);
        ElementType = elementType;
        ElementSize = TensorElementTypes.SizeOf(elementType);
        ElementCount = elementCount;
        ByteLength = elementCount * ElementSize;
        nuint bytes = (nuint)Math.Max(ByteLength, 64);
        pointer = NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(pointer, bytes);
        if (ByteLength > 0)
        {
            GC.AddMemoryPressure(ByteLength);
        }
    }

    public TensorElementType ElementType { get; }

    public int ElementSize { get; }

    public long ElementCount { get; }

    public long ByteLength { get; }

    public IntPtr Pointer => (IntPtr)pointer;

    public Span<T> AsSpan<T>(long offset, int length)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(pointer is null, this);
        if (offset < 0 || length < 0 || (offset + length) * sizeof(T) > ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        return new Span<T>((T*)pointer + offset, length);
    }

    /// <summary>Creates a tensor over the first elements of the buffer with the given shape.</summary>
    public OrtValue CreateView(long[] shape)
    {
        ObjectDisposedException.ThrowIf(pointer is null, this);
        long count = TensorElementTypes.ElementCount(shape);
        if (count > ElementCount)
        {
            throw new ArgumentOutOfRangeException(nameof(shape), "The shape needs more elements than the buffer holds.");
        }

        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, ElementType, shape, (IntPtr)pointer, count * ElementSize);
    }

    public void Clear() => NativeMemory.Clear(pointer, (nuint)ByteLength);

    public void Dispose()
    {
        if (pointer is not null)
        {
            NativeMemory.AlignedFree(pointer);
            pointer = null;
            if (ByteLength > 0)
            {
                GC.RemoveMemoryPressure(ByteLength);
            }
        }
    }
}

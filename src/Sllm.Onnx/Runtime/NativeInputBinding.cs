using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Sllm.Onnx.Runtime;

/// <summary>Rebinds one named input of an <see cref="OrtIoBinding"/> without a managed allocation: the name is encoded to
/// null-terminated UTF-8 once and <see cref="OrtNativeApi.BindInput"/> is called with native handles.</summary>
/// <remarks>The decode loop rebinds the attention mask every step, and the managed <see cref="OrtIoBinding.BindInput(string, OrtValue)"/>
/// would allocate the encoded name each time. Falls back to that managed call when <see cref="OrtNativeApi"/> is
/// unavailable (logged once per process), when <see cref="ForceManaged"/> was set at construction, or when the caller
/// has no native handle for the value. Does not own the binding; used by the one <see cref="StepRunner"/> that owns it;
/// not thread-safe.</remarks>
internal sealed unsafe partial class NativeInputBinding
{
    private static int fallbackLogged;
    private readonly OrtIoBinding binding;
    private readonly string name;
    private readonly byte[]? utf8Name;

    public NativeInputBinding(OrtIoBinding binding, string name, ILogger logger)
    {
        this.binding = binding;
        this.name = name;
        if (ForceManaged)
        {
            return;
        }

        if (OrtNativeApi.UnavailableReason is { } reason)
        {
            if (Interlocked.Exchange(ref fallbackLogged, 1) == 0)
            {
                ManagedFallback(logger, reason);
            }

            return;
        }

        utf8Name = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, utf8Name);
    }

    /// <summary>Gets or sets whether bindings created from now on use the managed call; lets tests compare both paths.</summary>
    internal static bool ForceManaged { get; set; }

    /// <summary>Gets whether <see cref="Bind"/> calls the C API directly.</summary>
    public bool IsNative => utf8Name is not null;

    /// <summary>Binds <paramref name="value"/>, whose native handle from <see cref="OrtNativeApi.HandleOf"/> the caller keeps
    /// beside it (<see cref="IntPtr.Zero"/> takes the managed call).</summary>
    public void Bind(OrtValue value, IntPtr valueHandle)
    {
        if (utf8Name is null || valueHandle == IntPtr.Zero)
        {
            binding.BindInput(name, value);
            return;
        }

        ObjectDisposedException.ThrowIf(binding.IsClosed, binding);
        fixed (byte* utf8 = utf8Name)
        {
            OrtNativeApi.BindInput(binding.DangerousGetHandle(), utf8, valueHandle);
        }

        // ORT copies the value's reference into the binding, but both must outlive the native call.
        GC.KeepAlive(binding);
        GC.KeepAlive(value);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "ONNX Runtime's native BindInput is unavailable ({Reason}); decode steps use the managed call, which allocates the input name per step.")]
    private static partial void ManagedFallback(ILogger logger, string reason);
}

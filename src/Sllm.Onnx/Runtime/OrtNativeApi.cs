using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace Sllm.Onnx.Runtime;

/// <summary>ONNX Runtime's C API <c>BindInput</c>, called with native handles and a caller-encoded name, resolved once per
/// process from the managed package's own internals.</summary>
/// <remarks>It exists because the managed <see cref="OrtIoBinding.BindInput(string, OrtValue)"/> (Microsoft.ML.OnnxRuntime
/// 1.31.1) encodes the name into a new array on every call, the last managed allocation of a decode step. Everything comes
/// from the managed package by reflection rather than from our own P/Invoke: the function table it already fetched
/// (<c>NativeMethods.api_</c>, a public <see cref="OrtApi"/>, so the same native library instance is called), the
/// <c>OrtValue.Handle</c> getter, and its status check (<c>NativeApiStatus.VerifySuccess</c>, which reads the message with
/// <c>GetErrorMessage</c>, releases the status and throws the <see cref="OnnxRuntimeException"/> the managed call would).
/// When a later package renames any of it, <see cref="UnavailableReason"/> says what is missing and callers keep the managed
/// call. Thread-safe.</remarks>
internal static unsafe class OrtNativeApi
{
    private static readonly Functions Resolved = Resolve();

    /// <summary>Gets why the native path cannot be used, or <see langword="null"/> when it can.</summary>
    public static string? UnavailableReason => Resolved.Failure;

    /// <summary>Reads the native <c>OrtValue*</c> behind <paramref name="value"/>; <see cref="IntPtr.Zero"/> when the native
    /// path is unavailable. Reflection-backed: call once per value, never per step.</summary>
    public static IntPtr HandleOf(OrtValue value) => Resolved.ValueHandle is { } handle ? handle(value) : IntPtr.Zero;

    /// <summary>Binds <paramref name="value"/> (a handle from <see cref="HandleOf"/>) to the input named by the
    /// null-terminated UTF-8 <paramref name="utf8Name"/>; throws <see cref="OnnxRuntimeException"/> on failure.</summary>
    public static void BindInput(IntPtr binding, byte* utf8Name, IntPtr value)
    {
        var bindInput = (delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr>)Resolved.BindInput;
        IntPtr status = bindInput(binding, utf8Name, value);
        if (status != IntPtr.Zero)
        {
            Resolved.VerifySuccess!(status);
        }
    }

    private static Functions Resolve()
    {
        const BindingFlags Static = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
        try
        {
            // Literal names, so trimming keeps these members.
            FieldInfo? apiField = Type.GetType("Microsoft.ML.OnnxRuntime.NativeMethods, Microsoft.ML.OnnxRuntime")?.GetField("api_", Static);
            if (apiField?.FieldType != typeof(OrtApi) || apiField.GetValue(null) is not OrtApi api || api.BindInput == IntPtr.Zero)
            {
                return new Functions("NativeMethods.api_.BindInput was not found");
            }

            MethodInfo? getter = typeof(OrtValue).GetProperty("Handle", BindingFlags.Instance | BindingFlags.NonPublic)?.GetMethod;
            if (getter is null || getter.ReturnType != typeof(IntPtr))
            {
                return new Functions("OrtValue.Handle was not found");
            }

            MethodInfo? verify = Type.GetType("Microsoft.ML.OnnxRuntime.NativeApiStatus, Microsoft.ML.OnnxRuntime")?.GetMethod("VerifySuccess", Static, [typeof(IntPtr)]);
            if (verify is null)
            {
                return new Functions("NativeApiStatus.VerifySuccess(IntPtr) was not found");
            }

            return new Functions(null)
            {
                BindInput = api.BindInput,
                ValueHandle = getter.CreateDelegate<Func<OrtValue, IntPtr>>(),
                VerifySuccess = verify.CreateDelegate<Action<IntPtr>>(),
            };
        }
        catch (Exception ex) when (ex is MemberAccessException or ArgumentException or TargetInvocationException or TypeLoadException)
        {
            return new Functions($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private sealed class Functions(string? failure)
    {
        public string? Failure { get; } = failure;

        public IntPtr BindInput { get; init; }

        public Func<OrtValue, IntPtr>? ValueHandle { get; init; }

        public Action<IntPtr>? VerifySuccess { get; init; }
    }
}

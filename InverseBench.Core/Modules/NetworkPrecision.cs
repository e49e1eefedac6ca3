using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Modules;

/// <summary>
/// The arithmetic precision of a network evaluation (the reference's <c>use_fp16</c> generalised). Reduced precisions are
/// mixed: convolutions (the bulk of the FLOPs) multiply reduced-precision copies of their weights and inputs (libtorch
/// accumulates in float32) and return their output in the parameters' dtype; group normalisation, attention and its
/// softmax, the noise embedding and its mapping layers, the preconditioning scalars, the residual stream and the returned
/// denoiser output all stay in the parameters' dtype (float32). This is stricter than the reference's fp16 path, which
/// also runs normalisation and the residual stream in float16.
/// </summary>
public enum NetworkPrecision
{
    /// <summary>Everything in the parameters' dtype (float32 unless the network was converted to float64). The default.</summary>
    Full = 0,

    /// <summary>
    /// Convolutions in bfloat16 (8-bit mantissa, float32 range). Fast on CPUs with AVX-512 BF16 or AMX and on GPUs;
    /// on CPUs without native bfloat16 instructions libtorch emulates it and it is slower than float32.
    /// </summary>
    BFloat16 = 1,

    /// <summary>
    /// Convolutions in float16 (the reference's <c>use_fp16: true</c>, which the reference applies on CUDA only). Intended for
    /// GPUs; CPU float16 convolutions are slow.
    /// </summary>
    Float16 = 2,
}

/// <summary>Conversions of <see cref="NetworkPrecision"/>.</summary>
public static class NetworkPrecisions
{
    /// <summary>The reduced compute dtype, or null for <see cref="NetworkPrecision.Full"/>.</summary>
    public static ScalarType? ComputeType(this NetworkPrecision precision) => precision switch
    {
        NetworkPrecision.Full => null,
        NetworkPrecision.BFloat16 => ScalarType.BFloat16,
        NetworkPrecision.Float16 => ScalarType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown network precision."),
    };

    /// <summary>
    /// Parses a configuration value: <c>fp32</c>/<c>float32</c>/<c>full</c>, <c>bf16</c>/<c>bfloat16</c>, <c>fp16</c>/<c>float16</c>
    /// (case-insensitive).
    /// </summary>
    /// <exception cref="ArgumentException">Any other value; the message lists the accepted ones.</exception>
    public static NetworkPrecision Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "fp32" or "float32" or "full" or "float" => NetworkPrecision.Full,
            "bf16" or "bfloat16" => NetworkPrecision.BFloat16,
            "fp16" or "float16" or "half" => NetworkPrecision.Float16,
            _ => throw new ArgumentException($"Unknown precision '{value}': use fp32, bf16 or fp16.", nameof(value)),
        };
    }

    /// <summary>
    /// Whether this machine's CPU has native bfloat16 arithmetic (the <c>avx512_bf16</c> or <c>amx_bf16</c> flag in
    /// <c>/proc/cpuinfo</c>; false where the flags cannot be read). Without it libtorch emulates bfloat16 on the CPU and
    /// <see cref="NetworkPrecision.BFloat16"/> is slower than float32 there.
    /// </summary>
    public static bool CpuHasNativeBFloat16 => NativeBFloat16.Value;

    private static readonly Lazy<bool> NativeBFloat16 = new(() =>
    {
        try
        {
            if (!File.Exists("/proc/cpuinfo")) return false;
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("flags", StringComparison.Ordinal))
                    return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(f => f is "avx512_bf16" or "amx_bf16");
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    });

    /// <summary>
    /// A note for users when <paramref name="precision"/> will be slow on <paramref name="device"/> (a CPU without native
    /// bfloat16, or float16 on any CPU), else null.
    /// </summary>
    public static string? PerformanceNote(this NetworkPrecision precision, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type != DeviceType.CPU) return null;
        return precision switch
        {
            NetworkPrecision.BFloat16 when !CpuHasNativeBFloat16 =>
                "this CPU has no native bfloat16 instructions (avx512_bf16/amx_bf16), so libtorch emulates them and bf16 convolutions are slower than fp32 here",
            NetworkPrecision.Float16 => "float16 convolutions are emulated on the CPU and slower than fp32 (the reference applies use_fp16 on CUDA only)",
            _ => null,
        };
    }

    /// <summary>The configuration spelling (<c>fp32</c>, <c>bf16</c>, <c>fp16</c>).</summary>
    public static string ToConfigString(this NetworkPrecision precision) => precision switch
    {
        NetworkPrecision.Full => "fp32",
        NetworkPrecision.BFloat16 => "bf16",
        NetworkPrecision.Float16 => "fp16",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown network precision."),
    };
}

/// <summary>A layer whose heavy arithmetic can run in a reduced dtype (see <see cref="NetworkPrecision"/>).</summary>
public interface IReducedPrecisionLayer
{
    /// <summary>The reduced compute dtype in use, or null (the parameters' dtype).</summary>
    ScalarType? ComputeType { get; }

    /// <summary>
    /// Computes in <paramref name="computeType"/> (bfloat16 or float16) from now on, with reduced-precision copies of the
    /// weights made now; null returns to the parameters' dtype and frees the copies. Call it again after changing the
    /// weights, their device or their dtype.
    /// </summary>
    void UseComputeType(ScalarType? computeType);
}

/// <summary>Reduced-precision copies of a layer's weight and bias (not parameters: they never enter a state dict).</summary>
internal sealed class ReducedPrecisionWeights : IDisposable
{
    private Tensor? _weight, _bias;

    public ScalarType? ComputeType { get; private set; }

    public void Use(ScalarType? computeType, Tensor? weight, Tensor? bias)
    {
        if (computeType is not (null or ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentException($"A reduced compute dtype must be BFloat16 or Float16, not {computeType}.", nameof(computeType));
        Dispose();
        ComputeType = computeType;
        if (computeType is not { } ct) return;
        using var noGrad = no_grad();
        _weight = weight?.detach().to(ct);
        _bias = bias?.detach().to(ct);
    }

    /// <summary>The tensors to compute with: the copies in reduced precision, else the parameters themselves.</summary>
    public (Tensor? Weight, Tensor? Bias) Weights(Tensor? weight, Tensor? bias)
    {
        if (ComputeType is null) return (weight, bias);
        if (weight is not null && _weight is not null && (weight.device.type != _weight.device.type || weight.device.index != _weight.device.index))
            throw new InvalidOperationException("The layer moved to another device after its reduced-precision weights were made; set the precision again.");
        return (_weight, _bias);
    }

    public void Dispose()
    {
        _weight?.Dispose();
        _bias?.Dispose();
        (_weight, _bias) = (null, null);
    }
}

using static TorchSharp.torch;

namespace InverseBench.Core.Tensors;

/// <summary>
/// Argument checks for tensors that run before any native call, so bad input yields a specific .NET exception
/// (shape, dtype, device, NaN/Inf) instead of a native crash or silent broadcasting.
/// </summary>
public static class TensorGuard
{
    /// <summary>Marks a free (batch) dimension in an expected shape.</summary>
    public const long Any = -1;

    /// <summary>Throws unless <paramref name="tensor"/> has exactly the <paramref name="expected"/> shape (<see cref="Any"/> matches any size).</summary>
    public static void Shape(Tensor tensor, string name, params long[] expected)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        var actual = tensor.shape;
        bool ok = actual.Length == expected.Length;
        for (int i = 0; ok && i < actual.Length; i++)
            ok = expected[i] == Any || expected[i] == actual[i];
        if (!ok)
            throw new ArgumentException($"{name} must have shape {Format(expected)}; got {Format(actual)}.", name);
    }

    /// <summary>Throws unless <paramref name="tensor"/> is <c>[B, ..perSample]</c> for some B ≥ 1; returns B.</summary>
    public static long Batched(Tensor tensor, string name, IReadOnlyList<long> perSample)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        var expected = new long[perSample.Count + 1];
        expected[0] = Any;
        for (int i = 0; i < perSample.Count; i++) expected[i + 1] = perSample[i];
        Shape(tensor, name, expected);
        if (tensor.shape[0] < 1) throw new ArgumentException($"{name} has an empty batch (shape {Format(tensor.shape)}).", name);
        return tensor.shape[0];
    }

    /// <summary>Throws unless the tensor's dtype is one of <paramref name="allowed"/>.</summary>
    public static void DType(Tensor tensor, string name, params ScalarType[] allowed)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (Array.IndexOf(allowed, tensor.dtype) < 0)
            throw new ArgumentException($"{name} must have dtype {string.Join(" or ", allowed)}; got {tensor.dtype}.", name);
    }

    /// <summary>Throws unless the tensor is floating point (real or complex).</summary>
    public static void FloatingPoint(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (!tensor.is_floating_point() && !tensor.is_complex())
            throw new ArgumentException($"{name} must be a floating-point or complex tensor; got {tensor.dtype}.", name);
    }

    /// <summary>Throws unless every element is finite (no NaN or ±Inf).</summary>
    public static void Finite(Tensor tensor, string name)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (!tensor.is_floating_point() && !tensor.is_complex()) return;
        using var scope = NewDisposeScope();
        if (!isfinite(tensor).all().item<bool>())
        {
            long nan = isnan(tensor).sum().item<long>();
            throw new ArgumentException($"{name} contains non-finite values ({nan} NaN, the rest ±Inf) in a tensor of shape {Format(tensor.shape)}.", name);
        }
    }

    /// <summary>Throws unless the tensor lives on <paramref name="device"/>.</summary>
    public static void OnDevice(Tensor tensor, string name, Device device)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.device.type != device.type || (device.index >= 0 && tensor.device.index != device.index))
            throw new ArgumentException($"{name} is on {tensor.device} but the operator/prior is on {device}; move it with .to(device).", name);
    }

    /// <summary>
    /// Whether two devices are the same: same type and, for accelerators, the same index (an unset index, −1, stands for
    /// device 0, the one a bare <c>cuda</c> resolves to).
    /// </summary>
    public static bool SameDevice(Device first, Device second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.type != second.type) return false;
        return first.type == TorchSharp.DeviceType.CPU || Math.Max(first.index, 0) == Math.Max(second.index, 0);
    }

    /// <summary>Formats a shape as <c>[2, 1, 64, 64]</c>, with <c>B</c> for <see cref="Any"/>.</summary>
    public static string Format(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(s => s == Any ? "B" : s.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

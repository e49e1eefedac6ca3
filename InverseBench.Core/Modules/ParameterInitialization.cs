using static TorchSharp.torch;

namespace InverseBench.Core.Modules;

/// <summary>How a network's parameters are filled when it is constructed.</summary>
public enum ParameterInitialization
{
    /// <summary>
    /// The reference's initialisation (<c>models/modules.py</c> <c>weight_init</c>; PyTorch's default for the ADM layers),
    /// drawn from a generator seeded with <see cref="NetworkOptions.InitSeed"/>. Zero-initialised layers are zero.
    /// </summary>
    Reference,

    /// <summary>
    /// Parameters are allocated but not written (fast, for networks whose weights are loaded from a checkpoint right away).
    /// Evaluating such a network before loading gives arbitrary values.
    /// </summary>
    Uninitialized,
}

/// <summary>The weight-initialisation modes of the reference <c>weight_init(shape, mode, fan_in, fan_out)</c>.</summary>
public enum InitMode
{
    /// <summary><c>sqrt(6/(fan_in+fan_out))·U(−1,1)</c>.</summary>
    XavierUniform,

    /// <summary><c>sqrt(2/(fan_in+fan_out))·N(0,1)</c>.</summary>
    XavierNormal,

    /// <summary><c>sqrt(3/fan_in)·U(−1,1)</c>.</summary>
    KaimingUniform,

    /// <summary><c>sqrt(1/fan_in)·N(0,1)</c>.</summary>
    KaimingNormal,
}

/// <summary>An initialisation recipe: mode plus the weight and bias multipliers (reference <c>init</c> dicts).</summary>
/// <param name="Mode">The random mode.</param>
/// <param name="Weight">Multiplier of the weight draw (<c>init_weight</c>); 0 gives zeros.</param>
/// <param name="Bias">Multiplier of the bias draw (<c>init_bias</c>); 0 gives zeros.</param>
public readonly record struct InitSpec(InitMode Mode, double Weight = 1, double Bias = 0)
{
    /// <summary>PyTorch's default for <c>nn.Linear</c>/<c>nn.Conv*</c>: <c>U(±1/sqrt(fan_in))</c> for weight and bias.</summary>
    public static InitSpec TorchDefault => new(InitMode.KaimingUniform, Math.Sqrt(1.0 / 3.0), Math.Sqrt(1.0 / 3.0));

    /// <summary>Zero weight and bias (reference <c>zero_module</c> / <c>init_zero</c> of DhariwalUNet).</summary>
    public static InitSpec Zero => new(InitMode.KaimingUniform, 0, 0);
}

/// <summary>
/// Creates parameter tensors for network construction: from a private generator (never the global RNG), or uninitialised.
/// </summary>
public sealed class ParameterFactory : IDisposable
{
    private readonly Generator? _generator;

    /// <summary>Creates a factory.</summary>
    /// <param name="initialization">Reference initialisation or uninitialised allocation.</param>
    /// <param name="seed">Seed of the private generator (reference initialisation only).</param>
    /// <param name="device">Device of the created tensors (CPU when null).</param>
    public ParameterFactory(ParameterInitialization initialization = ParameterInitialization.Reference, long seed = 0, Device? device = null)
    {
        Runtime.TorchRuntime.EnsureInitialized();
        Initialization = initialization;
        Device = device ?? CPU;
        if (initialization == ParameterInitialization.Reference) _generator = new Generator((ulong)seed);
    }

    /// <summary>The initialisation policy.</summary>
    public ParameterInitialization Initialization { get; }

    /// <summary>The device of the created tensors.</summary>
    public Device Device { get; }

    /// <summary>A tensor of <paramref name="shape"/> drawn as <c>weight_init(shape, mode, fanIn, fanOut)·scale</c>.</summary>
    public Tensor Draw(long[] shape, InitMode mode, long fanIn, long fanOut, double scale)
    {
        if (_generator is null) return empty(shape, float32, Device);
        if (scale == 0) return zeros(shape, float32, Device);
        Tensor raw;
        double factor;
        switch (mode)
        {
            case InitMode.XavierUniform: factor = Math.Sqrt(6.0 / (fanIn + fanOut)); raw = Uniform(shape); break;
            case InitMode.XavierNormal: factor = Math.Sqrt(2.0 / (fanIn + fanOut)); raw = randn(shape, float32, CPU, generator: _generator); break;
            case InitMode.KaimingUniform: factor = Math.Sqrt(3.0 / fanIn); raw = Uniform(shape); break;
            case InitMode.KaimingNormal: factor = Math.Sqrt(1.0 / fanIn); raw = randn(shape, float32, CPU, generator: _generator); break;
            default: throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown init mode.");
        }
        using (raw)
        {
            using var scaled = raw.mul(factor * scale);
            return scaled.to(Device);
        }
    }

    /// <summary>A tensor filled with <paramref name="value"/> (GroupNorm weights and biases).</summary>
    public Tensor Constant(long[] shape, double value) =>
        _generator is null ? empty(shape, float32, Device) : full(shape, value, float32, Device);

    private Tensor Uniform(long[] shape)
    {
        using var u = rand(shape, float32, CPU, generator: _generator);
        return u.mul(2).sub_(1);
    }

    /// <inheritdoc />
    public void Dispose() => _generator?.Dispose();
}

/// <summary>Common construction options of the networks.</summary>
public abstract class NetworkOptions
{
    /// <summary>Parameter initialisation policy.</summary>
    /// <value>The default is <see cref="ParameterInitialization.Reference"/>.</value>
    public ParameterInitialization Initialization { get; set; } = ParameterInitialization.Reference;

    /// <summary>Seed of the private generator used by <see cref="ParameterInitialization.Reference"/>.</summary>
    /// <value>The default is 0.</value>
    public long InitSeed { get; set; }

    /// <summary>Collects validation errors.</summary>
    public abstract void Validate(List<string> errors);

    /// <summary>Throws an <see cref="ArgumentException"/> listing every validation error.</summary>
    public void EnsureValid()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0)
            throw new ArgumentException($"Invalid {GetType().Name}: " + string.Join(" ", errors));
    }
}

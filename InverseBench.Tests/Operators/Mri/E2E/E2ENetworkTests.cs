using System.Text.Json;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Checkpoints;
using InverseBench.Core.IO;
using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Baselines;
using InverseBench.Operators.Mri.E2E;
using InverseBench.Operators.Mri.Functional;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri.E2E;

/// <summary>
/// E2E-VarNet and the residual U-Net against the reference's own <c>models/e2e/*.py</c>: checkpoints written by PyTorch
/// (Golden/, made by generate_e2e_golden.py) load strictly with the reference's key names, and the outputs match.
/// </summary>
[TestFixture]
public sealed class E2ENetworkGoldenTests
{
    private static string Golden(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "InverseBench.sln"))) dir = dir.Parent;
        if (dir is null) Assert.Ignore("The repository root (InverseBench.sln) is not above the test binaries; the golden files cannot be found.");
        return Path.Combine(dir!.FullName, "InverseBench.Tests", "Operators", "Mri", "E2E", "Golden", name);
    }

    private static JsonElement Manifest => JsonDocument.Parse(File.ReadAllText(Golden("manifest.json"))).RootElement;

    private static double Tolerance => Manifest.GetProperty("tolerance").GetProperty("relative").GetDouble();

    private static E2EVarNetOptions VarNetArchitecture(JsonElement a) => new()
    {
        Cascades = a.GetProperty("num_cascades").GetInt32(), SensitivityChannels = a.GetProperty("sens_chans").GetInt32(),
        SensitivityPools = a.GetProperty("sens_pools").GetInt32(), Channels = a.GetProperty("chans").GetInt32(), Pools = a.GetProperty("pools").GetInt32(),
    };

    private static double RelativeError(Tensor actual, Tensor expected) =>
        ((actual.to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).norm() / expected.to_type(ScalarType.Float64).norm()).item<double>();

    [Test]
    public void VarNet_HasTheReferenceStateDictKeys_InTheReferenceOrder()
    {
        var m = Manifest.GetProperty("varnet");
        using var net = new E2EVarNet(VarNetArchitecture(m.GetProperty("architecture")));
        Checkpoint.OrderedStateDict(net).Select(kv => kv.Key).Should().Equal(m.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    [Test]
    public void ResidualUNet_HasTheReferenceStateDictKeys_InTheReferenceOrder()
    {
        var m = Manifest.GetProperty("unet");
        var a = m.GetProperty("architecture");
        using var net = new E2EResidualUNet(new E2EResidualUNetOptions { Channels = a.GetProperty("chans").GetInt32(), PoolLayers = a.GetProperty("num_pool_layers").GetInt32() });
        Checkpoint.OrderedStateDict(net).Select(kv => kv.Key).Should().Equal(m.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    [Test]
    public void VarNet_LoadedFromAPyTorchCheckpoint_MatchesTheReferenceMapsAndImage()
    {
        using var scope = NewDisposeScope();
        var m = Manifest.GetProperty("varnet");
        int width = m.GetProperty("width").GetInt32();
        var lines = SamplingMask.ForAcceleration(width, 3, MaskPattern.Random, 0);
        Npy.Read(Golden("mask.npy")).data<bool>().ToArray().Should().Equal(lines, "the project's mask is the reference's get_mask");
        var mask = tensor(lines).reshape(1, 1, 1, width, 1);
        using var net = E2ENetworks.Load(Golden("varnet.pt"), E2eMriMode.VarNet, VarNetArchitecture(m.GetProperty("architecture")));
        var kspace = Npy.Read(Golden("kspace.npy"));
        using var noGrad = no_grad();
        var sens = (E2ESensitivityModel)net.named_children().Single(c => c.name == "sens_net").module;
        RelativeError(sens.forward(kspace, mask), Npy.Read(Golden("varnet_maps.npy"))).Should().BeLessThan(Tolerance);
        RelativeError(net.forward(kspace, mask), Npy.Read(Golden("varnet_out.npy"))).Should().BeLessThan(Tolerance);
    }

    [Test]
    public void ResidualUNet_LoadedFromAPyTorchCheckpoint_OnOddPooledSizes_MatchesTheReference()
    {
        using var scope = NewDisposeScope();
        var a = Manifest.GetProperty("unet").GetProperty("architecture");
        using var net = E2ENetworks.Load(Golden("unet.pt"), E2eMriMode.UNet,
            unet: new E2EResidualUNetOptions { Channels = a.GetProperty("chans").GetInt32(), PoolLayers = a.GetProperty("num_pool_layers").GetInt32() });
        var kspace = Npy.Read(Golden("unet_kspace.npy"));
        using var noGrad = no_grad();
        var mask = ones([1, 1, 1, kspace.shape[3], 1], dtype: ScalarType.Bool);
        RelativeError(net.forward(kspace, mask), Npy.Read(Golden("unet_out.npy"))).Should().BeLessThan(Tolerance);
    }
}

/// <summary>Checkpoint round trips, strict-load errors and the <c>e2e_mri</c> solver on tiny networks.</summary>
[TestFixture]
public sealed class E2ECheckpointAndSolverTests
{
    private static readonly E2EVarNetOptions Tiny = new() { Cascades = 2, SensitivityChannels = 2, SensitivityPools = 1, Channels = 2, Pools = 1 };
    private string _dir = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "ib-e2e-" + Guid.NewGuid().ToString("N")[..8]));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static MultiCoilMriOperator Operator() =>
        new(new MultiCoilMriOptions { Height = 16, Width = 16, TotalLines = 16, Coils = 2, AccelerationRatio = 4 });

    [Test]
    public void VarNet_SavedByTheProjectWriter_ReloadsStrictly_AndReproducesItsOutput()
    {
        using var scope = NewDisposeScope();
        using var net = new E2EVarNet(Tiny);
        string path = Path.Combine(_dir, "varnet.pt");
        Checkpoint.Save(path, net);
        using var loaded = E2ENetworks.Load(path, E2eMriMode.VarNet, Tiny);
        var lines = new bool[16];
        for (int i = 5; i <= 10; i++) lines[i] = true;   // a centre block, so the sensitivity model sees data
        lines[1] = lines[14] = true;
        var mask = tensor(lines).reshape(1, 1, 1, 16, 1);
        var kspace = randn([1, 2, 16, 16, 2], generator: new Generator(3)) * mask;
        using var noGrad = no_grad();
        net.eval();
        var expected = net.forward(kspace, mask);
        expected.shape.Should().Equal(1, 1, 16, 16);
        (loaded.forward(kspace, mask) - expected).abs().max().item<float>().Should().Be(0);
    }

    [Test]
    public void Load_WithAMissingKey_NamesTheKey()
    {
        using var net = new E2EVarNet(Tiny);
        string path = Path.Combine(_dir, "partial.pt");
        var entries = Checkpoint.OrderedStateDict(net).Where(kv => kv.Key != "cascades.1.dc_weight").Select(kv => (kv.Key, kv.Value)).ToList();
        Checkpoint.Save(path, entries);
        var act = () => E2ENetworks.Load(path, E2eMriMode.VarNet, Tiny);
        act.Should().Throw<CheckpointException>().WithMessage("*cascades.1.dc_weight*").Which.MissingKeys.Should().Equal("cascades.1.dc_weight");
    }

    [Test]
    public void Load_WithAnotherArchitecture_ReportsTheShapeMismatch()
    {
        using var net = new E2EVarNet(Tiny);
        string path = Path.Combine(_dir, "varnet.pt");
        Checkpoint.Save(path, net);
        var wider = Tiny.Clone();
        wider.Channels = 3;
        var act = () => E2ENetworks.Load(path, E2eMriMode.VarNet, wider);
        act.Should().Throw<CheckpointException>().WithMessage("*cascades.0.model.unet.down_sample_layers.0.layers.0.weight*");
    }

    [Test]
    public void Solver_WithAMissingCheckpoint_NamesTheFile()
    {
        string path = Path.Combine(_dir, "absent.pt");
        var act = () => MriBaselineRegistration.CreateE2eMri(new E2eMriOptions { Checkpoint = path });
        act.Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
    }

    [Test]
    public void Solver_ReturnsTheNetworkMagnitudeAsTheRealChannel_ForEverySample()
    {
        using var scope = NewDisposeScope();
        var options = new E2EResidualUNetOptions { Channels = 2, PoolLayers = 1 };
        using var net = new E2EResidualUNet(options);
        string path = Path.Combine(_dir, "unet.pt");
        Checkpoint.Save(path, net, entry: "net");
        using var op = Operator();
        using var data = new InverseBench.Operators.Mri.Data.SyntheticBrainPhantomDataset(op, 1, 5);
        var y = op.Observe(data.GetTarget(0), new Generator(0));
        var solver = MriBaselineRegistration.CreateE2eMri(new E2eMriOptions { Mode = E2eMriMode.UNet, Checkpoint = path, UNet = options });
        using var _ = (IDisposable)solver;
        using var result = solver.Solve(y, op, null, SolverContext.FromSeed(0, numSamples: 2));
        result.Samples.shape.Should().Equal(2, 2, 16, 16);
        result.Samples[TensorIndex.Colon, 1].abs().max().item<float>().Should().Be(0);
        net.eval();
        using var noGrad = no_grad();
        var expected = net.forward(y.to_type(ScalarType.Float32), op.Mask.unsqueeze(-1));
        (result.Samples[0, 0] - expected[0, 0]).abs().max().item<float>().Should().BeLessThan(1e-6f);
    }

    [Test]
    public void VarNet_WithARowMask_IsRefused()
    {
        using var scope = NewDisposeScope();
        using var net = new E2EVarNet(Tiny);
        var act = () => net.forward(zeros([1, 2, 16, 16, 2]), ones([1, 1, 16, 1, 1], dtype: ScalarType.Bool));
        act.Should().Throw<ArgumentException>().WithMessage("*column (vertical) mask*");
    }
}

/// <summary>The fastmri helpers against closed forms.</summary>
[TestFixture]
public sealed class FastMriTransformsTests
{
    [Test]
    public void Fft2c_IsUnitary_AndIfft2cInvertsIt_ForOddAndEvenSizes()
    {
        using var scope = NewDisposeScope();
        foreach (var (h, w) in new[] { (6, 8), (5, 7) })
        {
            var x = randn([2, h, w, 2], dtype: ScalarType.Float64, generator: new Generator(1));
            var k = FastMriTransforms.Fft2c(x);
            (k.norm() - x.norm()).abs().item<double>().Should().BeLessThan(1e-10);
            (FastMriTransforms.Ifft2c(k) - x).abs().max().item<double>().Should().BeLessThan(1e-12);
        }
    }

    [Test]
    public void Fft2c_OfTheCentrePixel_IsFlat()
    {
        using var scope = NewDisposeScope();
        var x = zeros([4, 6, 2], dtype: ScalarType.Float64);
        x[2, 3, 0] = 1;   // the centre (H/2, W/2) of a centred transform
        var k = FastMriTransforms.Fft2c(x);
        (k[TensorIndex.Ellipsis, 0] - 1 / Math.Sqrt(24)).abs().max().item<double>().Should().BeLessThan(1e-12);
        k[TensorIndex.Ellipsis, 1].abs().max().item<double>().Should().BeLessThan(1e-12);
    }

    [Test]
    public void ComplexHelpers_AgreeWithComplexArithmetic()
    {
        using var scope = NewDisposeScope();
        var a = randn([3, 4, 2], dtype: ScalarType.Float64, generator: new Generator(2));
        var b = randn([3, 4, 2], dtype: ScalarType.Float64, generator: new Generator(3));
        var (ca, cb) = (view_as_complex(a), view_as_complex(b));
        (FastMriTransforms.ComplexMul(a, b) - view_as_real(ca * cb)).abs().max().item<double>().Should().BeLessThan(1e-12);
        (FastMriTransforms.ComplexConj(a) - view_as_real(ca.conj().resolve_conj())).abs().max().item<double>().Should().BeLessThan(1e-15);
        var magnitude = ca.abs();
        (FastMriTransforms.ComplexAbs(a) - magnitude).abs().max().item<double>().Should().BeLessThan(1e-12);
        (FastMriTransforms.RssComplex(a, 0) - magnitude.square().sum(0L).sqrt()).abs().max().item<double>().Should().BeLessThan(1e-12);
    }

    [Test]
    public void PadAndLowFrequencies_IsTwiceTheShorterSampledRunAroundTheCentre()
    {
        using var scope = NewDisposeScope();
        // W = 12, centre 6: sampled columns 4..8 → left run (5, 4) = 2, right run (6, 7, 8) = 3 → n = 4, pad = (12 − 4 + 1) / 2 = 4.
        var lines = new bool[12];
        for (int i = 4; i <= 8; i++) lines[i] = true;
        lines[0] = true;
        var (pad, low) = E2ESensitivityModel.PadAndLowFrequencies(tensor(lines).reshape(1, 1, 1, 12, 1));
        low.Should().Equal(4);
        pad.Should().Equal(4);
    }
}

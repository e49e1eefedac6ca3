using InverseBench.Core.Checkpoints;
using InverseBench.Core.Diffusion.Preconditioning;
using static InverseBench.Tests.Core.Diffusion.Preconditioning.PrecondUnetFixture;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Diffusion.Preconditioning;

/// <summary>
/// D(x, σ) of every preconditioner + network of the <c>precond_unet</c> fixture (EDM+DhariwalUNet, VP+SongUNet, VP+ADM),
/// loaded from the reference's checkpoints, in float32 and float64, at the manifest's suggested tolerances.
/// </summary>
[TestFixture]
public sealed class PreconditionedPriorFixtureTests
{
    [TestCaseSource(typeof(PrecondUnetFixture), nameof(ModelCases))]
    public void Float32DenoiserMatchesReference(string tag, int caseIndex)
    {
        var model = Model(tag);
        var c = Case(model, caseIndex);
        using var prior = new PreconditionedPrior(Build(model), tag);
        Checkpoint.Load(prior.Network, CheckpointFiles(tag)[0]);
        using var scope = NewDisposeScope();
        var x = Npy($"{tag}_case{caseIndex}_x.npy");
        var d = prior.Denoise(x, Sigma(tag, c));
        d.dtype.Should().Be(ScalarType.Float32);
        var (atol, rtol) = Tolerance(c, "suggested_tolerance_float32");
        AssertClose(d, Npy($"{tag}_case{caseIndex}_D_float32.npy"), atol, rtol, $"{tag} case {caseIndex} D float32");
    }

    [TestCaseSource(typeof(PrecondUnetFixture), nameof(ModelCases))]
    public void NetworkInputsAndRawOutputMatchReference(string tag, int caseIndex)
    {
        var model = Model(tag);
        var c = Case(model, caseIndex);
        using var net = Build(model);
        Checkpoint.Load(net, CheckpointFiles(tag)[0]);
        net.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = Npy($"{tag}_case{caseIndex}_x.npy");
        var coeff = net.Coefficients(Sigma(tag, c).to(float32).reshape(-1, 1, 1, 1));
        var labels = coeff.CNoise.flatten();
        var (atol, rtol) = Tolerance(c, "suggested_tolerance_float32");
        AssertClose(labels, Npy($"{tag}_case{caseIndex}_inner_noise_labels_float32.npy"), 1e-6, 1e-6, "c_noise");
        var f = net.Network.call(coeff.CIn * x, labels);
        AssertClose(f, Npy($"{tag}_case{caseIndex}_inner_F_float32.npy"), atol, rtol, $"{tag} case {caseIndex} F");
    }

    [TestCaseSource(typeof(PrecondUnetFixture), nameof(ModelCases))]
    public void Float64DenoiserMatchesReferenceToRoundOff(string tag, int caseIndex)
    {
        var model = Model(tag);
        var c = Case(model, caseIndex);
        using var prior = new PreconditionedPrior(Build(model), tag);
        Checkpoint.Load(prior.Network, CheckpointFiles(tag)[0]);
        prior.To(ScalarType.Float64);
        using var scope = NewDisposeScope();
        var x = Npy($"{tag}_case{caseIndex}_x.npy").to(float64);
        var d = prior.Denoise(x, Sigma(tag, c).to(float64));
        d.dtype.Should().Be(ScalarType.Float64);
        var (atol, rtol) = Tolerance(c, "suggested_tolerance_float64");
        AssertClose(d, Npy($"{tag}_case{caseIndex}_D_float64.npy"), atol, rtol, $"{tag} case {caseIndex} D float64");
    }

    [TestCaseSource(typeof(PrecondUnetFixture), nameof(ModelTags))]
    public void PriorBuiltFromAReferenceModelSectionLoadsTheCheckpoint(string tag)
    {
        var model = Model(tag);
        var section = Kwargs(model);
        section["_target_"] = model.GetProperty("class").GetString();
        using var prior = InverseBench.Core.Priors.Priors.FromCheckpoint(CheckpointFiles(tag)[0],
            new InverseBench.Core.Configuration.ConfigSection(section, "pretrain.model"), tag);
        prior.Name.Should().Be(tag);
        prior.Resolution.Should().Be(model.GetProperty("constructor_kwargs").GetProperty("img_resolution").GetInt32());
    }

    [TestCaseSource(typeof(PrecondUnetFixture), nameof(ModelTags))]
    public void EveryCheckpointOfAModelLoadsTheSameWeights(string tag)
    {
        var files = CheckpointFiles(tag);
        files.Should().NotBeEmpty();
        using var first = Checkpoint.ReadStateDict(files[0]);
        foreach (var file in files.Skip(1))
        {
            using var other = Checkpoint.ReadStateDict(file);
            other.Keys.Should().Equal(first.Keys);
            foreach (var k in first.Keys) other[k].allclose(first[k], 0, 0).Should().BeTrue(k);
        }
    }

    [TestCaseSource(typeof(PrecondUnetFixture), nameof(ModelTags))]
    public void ModuleTreeHasTheReferenceKeysShapesAndCounts(string tag)
    {
        var model = Model(tag);
        using var net = Build(model);
        var expected = model.GetProperty("state_dict_keys").EnumerateArray()
            .Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(v => v.GetInt64()).ToArray())).ToList();
        var actual = Checkpoint.OrderedStateDict(net).Select(kv => (kv.Key, kv.Value.shape)).ToList();
        actual.Select(a => a.Key).Should().Equal(expected.Select(e => e.Item1));
        for (int i = 0; i < expected.Count; i++) actual[i].shape.Should().Equal(expected[i].Item2, expected[i].Item1);
        net.parameters().Sum(p => p.numel()).Should().Be(model.GetProperty("num_parameters").GetInt64());
        net.buffers().Sum(b => b.numel()).Should().Be(model.GetProperty("num_buffer_elements").GetInt64());
    }
}

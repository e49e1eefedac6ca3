using System.Text.Json;
using InverseBench.Core.Checkpoints;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Core.Modules;

/// <summary>
/// The module trees of the REAL pretrain configurations (navier-stokes, blackhole, mri-knee, ffhq256, …) have exactly the
/// state-dict keys, order, shapes and counts the reference produced (<c>real_config_state_dict_keys.json</c>), both when
/// built from the listed constructor arguments and from the named preset.
/// </summary>
[TestFixture]
public sealed class RealConfigStateDictTests
{
    private const string Folder = "precond_unet";

    public static IEnumerable<TestCaseData> Configs() => TestFixtures.Cases(Folder, (_, _) =>
        Load().EnumerateObject().Select(p => new TestCaseData(p.Name).SetName($"{{m}}({p.Name})")));

    private static JsonElement Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestFixtures.FilePath(Folder, "real_config_state_dict_keys.json")));
        return doc.RootElement.Clone();
    }

    private static void AssertTree(InverseBench.Core.Diffusion.Preconditioning.Preconditioner net, JsonElement cfg)
    {
        var expected = cfg.GetProperty("state_dict_keys").EnumerateArray()
            .Select(e => (Key: e[0].GetString()!, Shape: e[1].EnumerateArray().Select(v => v.GetInt64()).ToArray())).ToList();
        var actual = Checkpoint.OrderedStateDict(net);
        actual.Select(a => a.Key).Should().Equal(expected.Select(e => e.Key));
        for (int i = 0; i < expected.Count; i++) actual[i].Value.shape.Should().Equal(expected[i].Shape, expected[i].Key);
        actual.Count.Should().Be(cfg.GetProperty("num_state_dict_entries").GetInt32());
        net.parameters().Sum(p => p.numel()).Should().Be(cfg.GetProperty("num_parameters").GetInt64());
        net.buffers().Sum(b => b.numel()).Should().Be(cfg.GetProperty("num_buffer_elements").GetInt64());
    }

    [TestCaseSource(nameof(Configs))]
    public void TreeBuiltFromReferenceArgumentsHasReferenceKeysAndShapes(string name)
    {
        var cfg = Load().GetProperty(name);
        var kwargs = cfg.GetProperty("constructor_kwargs").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        using var net = ReferenceModelConfig.Build(cfg.GetProperty("class").GetString()!, kwargs);
        AssertTree(net, cfg);
    }

    [TestCaseSource(nameof(Configs))]
    public void PresetOfTheSameNameHasReferenceKeysAndShapes(string name)
    {
        var cfg = Load().GetProperty(name);
        using var net = PriorPresets.Get(name).Build(ParameterInitialization.Uninitialized);
        AssertTree(net, cfg);
    }
}

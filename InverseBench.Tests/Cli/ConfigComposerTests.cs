using InverseBench.Cli;
using InverseBench.Cli.Configuration;

namespace InverseBench.Tests.Cli;

[TestFixture]
public sealed class ConfigComposerTests
{
    private static string Shipped => ConfigComposer.DefaultConfigDirectory;

    [Test]
    public void Defaults_SelectNavierStokesAndEnkg_AsTheReference()
    {
        var (config, selections) = ConfigComposer.Compose(Shipped, []);
        selections.Should().Contain("problem", "navier-stokes").And.Contain("algorithm", "enkg").And.Contain("pretrain", "navier-stokes");
        var problem = (ConfigMap)config["problem"]!;
        problem["name"].Should().Be("navier-stokes-ds2");
        ((ConfigMap)problem["model"]!)["Re"].Should().Be(200.0);
        ((ConfigMap)((ConfigMap)config["algorithm"]!)["method"]!)["num_samples"].Should().Be(2048L);
        config["tf32"].Should().Be(true);
    }

    [Test]
    public void Overrides_SetNestedKeys_WithYamlTypedValues()
    {
        var (config, _) = ConfigComposer.Compose(Shipped,
            ["problem=inv-scatter", "problem.model.numRec=180", "problem.data.id_list=0-1", "seed=3", "algorithm=adam",
             "algorithm.method.milestones=[10, 20]", "algorithm.method.lr=1e-3", "exp_name='x y'"]);
        var model = (ConfigMap)((ConfigMap)config["problem"]!)["model"]!;
        model["numRec"].Should().Be(180L);
        model["Lx"].Should().Be(0.18);
        config["seed"].Should().Be(3L);
        var method = (ConfigMap)((ConfigMap)config["algorithm"]!)["method"]!;
        method["milestones"].Should().BeEquivalentTo(new List<object?> { 10L, 20L });
        method["lr"].Should().Be(1e-3);
        config["exp_name"].Should().Be("x y");
    }

    [Test]
    public void Interpolation_ResolvesReferencesToOtherKeys()
    {
        var (config, _) = ConfigComposer.Compose(Shipped, ["algorithm=cs_mri", "algorithm.method.mode=TV"]);
        ((ConfigMap)config["algorithm"]!)["name"].Should().Be("CS-MRI-TV");
    }

    [Test]
    public void ToYaml_RoundTripsTheComposedTree()
    {
        var (config, _) = ConfigComposer.Compose(Shipped, ["problem=inv-scatter"]);
        var again = ConfigNode.ParseDocument(ConfigNode.ToYaml(config), "round-trip");
        ConfigNode.ToYaml(again).Should().Be(ConfigNode.ToYaml(config));
        ((ConfigMap)((ConfigMap)again["problem"]!)["data"]!)["id_list"].Should().Be("0-99");
    }

    [TestCase("0-9", 10)]
    [TestCase("1-3,7", 4)]
    [TestCase("5", 1)]
    public void ParseIntList_ExpandsRangesLikeTheReference(string text, int count)
    {
        ConfigComposer.ParseIntList(ConfigNode.ParsePlainScalar(text), "id_list").Should().HaveCount(count);
        ConfigComposer.ParseIntList("1-3,7", "id_list").Should().Equal(1, 2, 3, 7);
    }

    [Test]
    public void ParseIntList_RejectsGarbage()
    {
        var act = () => ConfigComposer.ParseIntList("a-b", "problem.data.id_list");
        act.Should().Throw<CliUsageException>().WithMessage("*problem.data.id_list*");
    }

    [Test]
    public void EveryShippedAlgorithmAndPretrainConfig_Parses_WithNameAndSections()
    {
        foreach (string name in ConfigComposer.Options(Shipped, "algorithm"))
        {
            var (config, _) = ConfigComposer.Compose(Shipped, ["algorithm=" + name]);
            var algorithm = (ConfigMap)config["algorithm"]!;
            algorithm.Should().ContainKey("name").And.ContainKey("method");
        }

        // The reference ships 26; diffpir_gsg and en_sgs are left out (the reference has no solver for them either), and
        // fista-tv (the classical baseline, which the reference runs without an algorithm config) is added.
        ConfigComposer.Options(Shipped, "algorithm").Should().HaveCount(25).And.Contain("fista-tv").And.NotContain(["diffpir_gsg", "en_sgs"]);
        ConfigComposer.Options(Shipped, "pretrain").Should().Contain(["navier-stokes", "inv-scatter", "blackhole", "fwi", "ffhq256"]);
        foreach (string name in ConfigComposer.Options(Shipped, "pretrain"))
        {
            var (config, _) = ConfigComposer.Compose(Shipped, ["pretrain=" + name]);
            ((ConfigMap)config["pretrain"]!).Should().ContainKey("model");
        }
    }
}

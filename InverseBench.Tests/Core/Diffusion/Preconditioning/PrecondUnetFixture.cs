using System.Text.Json;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.IO;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Diffusion.Preconditioning;

/// <summary>Helpers over the <c>precond_unet</c> fixture manifest (iterated, never hard-coded).</summary>
internal static class PrecondUnetFixture
{
    public const string Folder = "precond_unet";

    public static IEnumerable<TestCaseData> ModelCases() => TestFixtures.Cases(Folder, (manifest, _) =>
        from m in manifest.GetProperty("models").EnumerateArray()
        from c in m.GetProperty("cases").EnumerateArray()
        select new TestCaseData(m.GetProperty("tag").GetString(), c.GetProperty("case").GetInt32())
            .SetName($"{{m}}({m.GetProperty("tag").GetString()}, case {c.GetProperty("case").GetInt32()})"), arity: 2);

    public static IEnumerable<TestCaseData> ModelTags() => Tags("models");

    public static IEnumerable<TestCaseData> BlockTags() => Tags("unet_blocks");

    private static IEnumerable<TestCaseData> Tags(string group) => TestFixtures.Cases(Folder, (manifest, _) =>
        manifest.GetProperty(group).EnumerateArray()
            .Select(m => new TestCaseData(m.GetProperty("tag").GetString()).SetName($"{{m}}({m.GetProperty("tag").GetString()})")));

    public static JsonElement Model(string tag) =>
        TestFixtures.Manifest(Folder).GetProperty("models").EnumerateArray().Single(m => m.GetProperty("tag").GetString() == tag);

    public static JsonElement Block(string tag) =>
        TestFixtures.Manifest(Folder).GetProperty("unet_blocks").EnumerateArray().Single(m => m.GetProperty("tag").GetString() == tag);

    public static JsonElement Case(JsonElement model, int index) =>
        model.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("case").GetInt32() == index);

    public static Dictionary<string, object?> Kwargs(JsonElement model) =>
        model.GetProperty("constructor_kwargs").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

    public static Preconditioner Build(JsonElement model, ParameterInitialization init = ParameterInitialization.Uninitialized) =>
        ReferenceModelConfig.Build(model.GetProperty("class").GetString()!, Kwargs(model), init);

    /// <summary>The checkpoint files of a model: every manifest file named <c>&lt;tag&gt;_ckpt_*.pt</c>.</summary>
    public static IReadOnlyList<string> CheckpointFiles(string tag) =>
        TestFixtures.Manifest(Folder).GetProperty("files").EnumerateObject()
            .Select(p => p.Name).Where(n => n.StartsWith(tag + "_ckpt_", StringComparison.Ordinal) && n.EndsWith(".pt", StringComparison.Ordinal))
            .Select(n => TestFixtures.FilePath(Folder, n)).ToList();

    public static Tensor Npy(string name) => InverseBench.Core.IO.Npy.Read(TestFixtures.FilePath(Folder, name));

    public static Tensor Sigma(string tag, JsonElement c)
    {
        var s = Npy($"{tag}_case{c.GetProperty("case").GetInt32()}_sigma.npy");
        return c.GetProperty("sigma_is_0d_scalar").GetBoolean() ? s.reshape([]) : s;
    }

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise, reporting the worst element.</summary>
    public static void AssertClose(Tensor actual, Tensor expected, double atol, double rtol, string what)
    {
        actual.shape.Should().Equal(expected.shape, what);
        using var scope = NewDisposeScope();
        var a = actual.to(float64);
        var e = expected.to(float64);
        var excess = (a - e).abs() - (e.abs() * rtol + atol);
        double worst = excess.max().item<double>();
        double maxAbs = (a - e).abs().max().item<double>();
        worst.Should().BeLessThanOrEqualTo(0, $"{what}: max |diff| = {maxAbs:E3} exceeds atol {atol:E2} + rtol {rtol:E2}·|ref|");
    }

    public static (double Atol, double Rtol) Tolerance(JsonElement c, string key) =>
        (c.GetProperty(key).GetProperty("atol").GetDouble(), c.GetProperty(key).GetProperty("rtol").GetDouble());
}

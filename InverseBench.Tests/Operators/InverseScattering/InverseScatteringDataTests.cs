using System.Text.Json;
using InverseBench.Core.Configuration;
using InverseBench.Core.IO;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Operators.InverseScattering;
using InverseBench.Tests.TestUtilities;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.InverseScattering;

[TestFixture]
public sealed class InverseScatteringDataTests
{
    private const string Folder = "data";

    private static IEnumerable<TestCaseData> Cases() => TestFixtures.Cases(Folder, (manifest, _) =>
        manifest.GetProperty("cases").EnumerateArray()
            .Select(c => c.GetProperty("tag").GetString()!)
            .Where(tag => tag.StartsWith("inv_scatter", StringComparison.Ordinal))
            .Select(tag => new TestCaseData(tag)));

    [TestCaseSource(nameof(Cases))]
    public void DataSection_ReadsTheReferenceLmdbTestSet(string tag)
    {
        var c = TestFixtures.Manifest(Folder).GetProperty("cases").EnumerateArray().First(e => e.GetProperty("tag").GetString() == tag);
        var values = new Dictionary<string, object?>
        {
            ["_target_"] = "training.dataset.LMDBData",
            ["root"] = TestFixtures.FilePath(Folder, c.GetProperty("lmdb_dir").GetString()!),
        };
        foreach (var kv in c.GetProperty("dataset_kwargs").EnumerateObject())
        {
            values[kv.Name] = kv.Value.ValueKind switch
            {
                JsonValueKind.String => kv.Value.GetString(),
                JsonValueKind.Number when kv.Value.TryGetInt32(out int i) => i,
                JsonValueKind.Number => kv.Value.GetDouble(),
                _ => kv.Value.ToString(),
            };
        }

        var section = new ConfigSection(values);
        using var op = new InverseScatteringOperator(new InverseScatteringOptions { Nx = 16, Ny = 16, Lx = 0.0225, Ly = 0.0225, SvdCacheDirectory = null });
        var dataset = (LmdbDataset)InverseScatteringServiceCollectionExtensions.Factory.CreateDataset!(section, op);
        using var _ = dataset;
        section.ThrowIfUnknownKeys();
        using var scope = NewDisposeScope();
        var expected = Npy.Read(TestFixtures.FilePath(Folder, c.GetProperty("targets_file").GetString()!));
        var ids = c.GetProperty("id_list_resolved").EnumerateArray().Select(e => e.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        dataset.Count.Should().Be(ids.Length);
        for (int i = 0; i < dataset.Count; i++)
        {
            dataset.GetId(i).Should().Be(ids[i]);
            var target = dataset.GetTarget(i);
            // The case's tolerance: exact without a resize, its stated max abs with one.
            double tolerance = dataset.Options.Resolution == c.GetProperty("raw_resolution").GetInt32() ? 0 : InverseBench.Tests.Core.IO.Lmdb.LmdbFixtureCases.ResizedTolerance(c);
            (target.reshape(expected[i].shape) - expected[i]).abs().max().item<float>().Should().BeLessThanOrEqualTo((float)tolerance, $"{tag} item {i}");
        }
    }

    [Test]
    public void DataSection_Defaults_AreThoseOfInvScatterYaml()
    {
        var options = InverseScatteringServiceCollectionExtensions.DatasetOptions(ConfigSection.Empty);
        options.Root.Should().Be("../data/inv-scatter-test");
        options.Resolution.Should().Be(128);
        options.Mean.Should().Be(0.5);
        options.Std.Should().Be(0.25);
        options.IdList.Should().Be("0-99");
    }
}

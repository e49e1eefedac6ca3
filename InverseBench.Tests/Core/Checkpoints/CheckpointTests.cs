using System.IO.Compression;
using InverseBench.Core.Checkpoints;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Fluent;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;
using InverseBench.Tests.Core.Diffusion.Preconditioning;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;
using PriorEntry = InverseBench.Core.Priors.Priors;

namespace InverseBench.Tests.Core.Checkpoints;

/// <summary>Reading, strict loading and writing of torch.save checkpoints, including malformed files.</summary>
[TestFixture]
public sealed class CheckpointTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "ib-ckpt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Temp(string name) => Path.Combine(_dir, name);

    private static EdmPreconditioner Tiny(long seed) => new(PreconditionerTests.TinyDhariwal(seed), 8, 1);

    private static string FixtureCheckpoint()
    {
        var model = PrecondUnetFixture.Model(TestFixtures.Manifest(PrecondUnetFixture.Folder).GetProperty("models")[0].GetProperty("tag").GetString()!);
        return PrecondUnetFixture.CheckpointFiles(model.GetProperty("tag").GetString()!)[0];
    }

    [Test]
    public void SavedCheckpointRoundTripsKeysOrderAndValues()
    {
        using var a = Tiny(1);
        using var b = Tiny(2);
        string path = Temp("tiny.pt");
        Checkpoint.Save(path, a);
        using (var sd = Checkpoint.ReadStateDict(path))
        {
            sd.Source.Should().Be("ema");
            sd.Keys.Should().Equal(Checkpoint.OrderedStateDict(a).Select(kv => kv.Key));
            foreach (var kv in Checkpoint.OrderedStateDict(a)) sd[kv.Key].allclose(kv.Value, 0, 0).Should().BeTrue(kv.Key);
        }
        Checkpoint.Load(b, path);
        foreach (var (kv, other) in Checkpoint.OrderedStateDict(a).Zip(Checkpoint.OrderedStateDict(b)))
            other.Value.allclose(kv.Value, 0, 0).Should().BeTrue(kv.Key);
    }

    [Test]
    public void WrittenFileHasTheArchiveLayoutOfTorchSave()
    {
        using var a = Tiny(1);
        string path = Temp("layout.pt");
        Checkpoint.Save(path, a);
        using var mine = ZipFile.OpenRead(path);
        using var theirs = ZipFile.OpenRead(FixtureCheckpoint());
        static IEnumerable<string> Shape(ZipArchive z)
        {
            string prefix = z.Entries[0].FullName[..(z.Entries[0].FullName.IndexOf('/') + 1)];
            z.Entries.Should().OnlyContain(e => e.FullName.StartsWith(prefix, StringComparison.Ordinal));
            return z.Entries.Select(e => e.FullName[prefix.Length..]).Select(n => n.StartsWith("data/", StringComparison.Ordinal) ? "data/<n>" : n).Distinct().Order();
        }
        Shape(mine).Should().Equal(Shape(theirs));
        mine.Entries[0].FullName.Should().Be("layout/data.pkl");
        mine.Entries.Count(e => e.FullName.StartsWith("layout/data/", StringComparison.Ordinal)).Should().Be(Checkpoint.OrderedStateDict(a).Count);
        using var version = new StreamReader(mine.GetEntry("layout/version")!.Open());
        version.ReadToEnd().Should().Be("3\n");
    }

    [Test]
    public void FlatStateDictWithoutModelPrefixAndWithWrapperPrefixLoads()
    {
        using var a = Tiny(1);
        using var b = Tiny(2);
        // The inner network's keys (no "model.") behind a DDP "module." prefix, as a flat dict.
        var flat = Checkpoint.OrderedStateDict(a.Network).Select(kv => ("module." + kv.Key, kv.Value)).ToList();
        string path = Temp("flat.pt");
        Checkpoint.Save(path, flat, entry: null);
        using (var sd = Checkpoint.ReadStateDict(path)) sd.Source.Should().Be("flat");
        Checkpoint.Load(b, path);
        Checkpoint.OrderedStateDict(b)[0].Value.allclose(Checkpoint.OrderedStateDict(a)[0].Value, 0, 0).Should().BeTrue();
    }

    [Test]
    public void NetEntryIsUsedWhenEmaIsAbsent()
    {
        using var a = Tiny(1);
        string path = Temp("net.pt");
        Checkpoint.Save(path, a, entry: "net");
        using var sd = Checkpoint.ReadStateDict(path);
        sd.Source.Should().Be("net");
    }

    [Test]
    public void CheckpointWithNaNOrInfValuesIsRefusedOnLoadNamingTheKeys()
    {
        using var a = Tiny(1);
        var entries = Checkpoint.OrderedStateDict(a).Select(kv => (kv.Key, Value: kv.Value.clone())).ToList();
        string poisoned = entries[2].Key, overflowed = entries[4].Key;
        entries[2].Value.view(-1)[0] = tensor(float.NaN);
        entries[4].Value.view(-1)[0] = tensor(float.PositiveInfinity);
        string path = Temp("nan.pt");
        Checkpoint.Save(path, entries);
        using var b = Tiny(2);
        var before = Checkpoint.OrderedStateDict(b).Select(kv => kv.Value.clone()).ToList();
        b.Invoking(m => Checkpoint.Load(m, path)).Should().Throw<CheckpointException>()
            .WithMessage($"*{path}*NaN or Inf*2 tensor(s)*{poisoned}*{overflowed}*");
        foreach (var (kv, old) in Checkpoint.OrderedStateDict(b).Zip(before))
            kv.Value.allclose(old, 0, 0).Should().BeTrue($"{kv.Key} must be untouched by a refused load");
        foreach (var e in entries) e.Value.Dispose();
    }

    [Test]
    public void MismatchedCheckpointIsRefusedWithEveryBadKeyAndTheFileName()
    {
        using var a = Tiny(1);
        var entries = Checkpoint.OrderedStateDict(a).Select(kv => (kv.Key, kv.Value)).ToList();
        string dropped = entries[3].Key, reshaped = entries[5].Key;
        using var wrong = zeros(7);
        using var extra = zeros(2);
        var edited = entries.Where(e => e.Key != dropped).Select(e => e.Key == reshaped ? (e.Key, wrong) : e).Append(("model.extra.weight", extra)).ToList();
        string path = Temp("bad.pt");
        Checkpoint.Save(path, edited);
        using var b = Tiny(2);
        var ex = b.Invoking(m => Checkpoint.Load(m, path)).Should().Throw<CheckpointException>().Which;
        ex.MissingKeys.Should().Equal(dropped);
        ex.UnexpectedKeys.Should().Equal("model.extra.weight");
        ex.ShapeMismatches.Should().ContainSingle().Which.Should().StartWith(reshaped);
        ex.Message.Should().Contain(path).And.Contain(dropped).And.Contain("model.extra.weight").And.Contain(reshaped);
        // Not strict: missing/unexpected keys are tolerated, shape mismatches never are.
        b.Invoking(m => Checkpoint.Load(m, path, strict: false)).Should().Throw<CheckpointException>().Which.ShapeMismatches.Should().HaveCount(1);
    }

    [Test]
    public void FixtureCheckpointDoesNotFitADifferentArchitecture()
    {
        using var b = Tiny(2);
        string checkpoint = FixtureCheckpoint(); // outside the lambda, where a missing fixture would be caught as the wrong exception
        b.Invoking(m => Checkpoint.Load(m, checkpoint)).Should().Throw<CheckpointException>()
            .Which.ShapeMismatches.Should().NotBeEmpty();
    }

    [Test]
    public void NonZipFileIsRefusedWithAClearMessage()
    {
        string path = Temp("text.pt");
        File.WriteAllText(path, "this is not a checkpoint");
        FluentActions.Invoking(() => Checkpoint.ReadStateDict(path)).Should().Throw<CheckpointException>()
            .WithMessage("*text.pt*not a torch.save zip*");
    }

    [Test]
    public void TruncatedZipIsRefused()
    {
        string path = Temp("truncated.pt");
        var bytes = File.ReadAllBytes(FixtureCheckpoint());
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        FluentActions.Invoking(() => Checkpoint.ReadStateDict(path)).Should().Throw<CheckpointException>().WithMessage("*truncated.pt*");
    }

    [Test]
    public void ZipWithoutDataPklIsRefused()
    {
        string path = Temp("nopkl.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("archive/readme.txt").Open())) w.Write("hello");
        FluentActions.Invoking(() => Checkpoint.ReadStateDict(path)).Should().Throw<CheckpointException>().WithMessage("*without a data.pkl*");
    }

    [Test]
    public void GarbagePickleIsRefused()
    {
        string path = Temp("garbage.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("archive/data.pkl").Open()) s.Write([0x80, 0x02, 0xFF, 0x00, 0x13]);
        FluentActions.Invoking(() => Checkpoint.ReadStateDict(path)).Should().Throw<CheckpointException>().WithMessage("*garbage.pt*opcode*");
    }

    [Test]
    public void TruncatedTensorStorageIsRefused()
    {
        string path = Temp("short.pt");
        using (var source = ZipFile.OpenRead(FixtureCheckpoint()))
        using (var target = ZipFile.Open(path, ZipArchiveMode.Create))
            foreach (var e in source.Entries)
            {
                using var input = e.Open();
                using var ms = new MemoryStream();
                input.CopyTo(ms);
                var data = ms.ToArray();
                if (e.FullName.EndsWith("/data/0", StringComparison.Ordinal)) data = data[..(data.Length - 4)];
                using var output = target.CreateEntry(e.FullName, CompressionLevel.NoCompression).Open();
                output.Write(data);
            }
        FluentActions.Invoking(() => Checkpoint.ReadStateDict(path)).Should().Throw<CheckpointException>().WithMessage("*data/0*bytes*");
    }

    [Test]
    public void MissingFileIsReportedByName()
    {
        FluentActions.Invoking(() => Checkpoint.ReadStateDict(Temp("absent.pt"))).Should().Throw<FileNotFoundException>().WithMessage("*absent.pt*");
    }

    [Test]
    public void UnknownPresetListsTheValidOnes()
    {
        string checkpoint = FixtureCheckpoint(); // outside the lambda (see above)
        FluentActions.Invoking(() => PriorEntry.FromCheckpoint(checkpoint, "navier-stokez")).Should().Throw<KeyNotFoundException>()
            .WithMessage("*navier-stokez*navier-stokes*inv-scatter*fwi*mri-brain*mri-knee*blackhole*ffhq256*");
        PriorEntry.Presets.Select(p => p.Name).Should().BeEquivalentTo("navier-stokes", "inv-scatter", "fwi", "blackhole", "mri-brain", "mri-knee", "ffhq256");
        PriorPresets.Get("mri-knee-mvue").Name.Should().Be("mri-knee");
    }

    [Test]
    public void PresetCheckpointLoadsByNameByInferenceAndThroughTheCatalog()
    {
        string path = Temp("blackhole-50k.pt");
        using (var net = PriorPresets.Get("blackhole").Build(ParameterInitialization.Reference, seed: 3))
            Checkpoint.Save(path, net);
        using (var prior = PriorEntry.FromCheckpoint(path, "blackhole"))
        {
            prior.Name.Should().Be("blackhole");
            prior.Network.Should().BeOfType<VpPreconditioner>();
            (prior.Resolution, prior.Channels).Should().Be((64, 1));
        }
        using (var inferred = PriorEntry.FromCheckpoint(path)) inferred.Name.Should().Be("blackhole");
        var viaCatalog = new InverseBenchContext().Priors.FromCheckpoint(path, "blackhole");
        viaCatalog.Resolution.Should().Be(64);
        ((IDisposable)viaCatalog).Dispose();
        FluentActions.Invoking(() => PriorEntry.FromCheckpoint(path, "navier-stokes")).Should().Throw<CheckpointException>()
            .WithMessage("*blackhole-50k.pt*Missing keys*");
    }
}

using System.Text.Json;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Core.Diffusion;

/// <summary>Compares <see cref="NoiseSchedule"/> with every case of the reference scheduler fixture (float64, the manifest's relative tolerance).</summary>
[TestFixture]
public sealed class NoiseScheduleFixtureTests
{
    private const string Folder = "scheduler";
    // The manifest's notes: "... a float64 port should match to ~1e-12 relative (we compare with rtol 1e-12 ...".
    private static readonly Lazy<double> Rtol = new(() =>
    {
        foreach (var note in TestFixtures.Manifest(Folder).GetProperty("notes").EnumerateArray())
        {
            var m = System.Text.RegularExpressions.Regex.Match(note.GetString() ?? "", @"compare with rtol ([0-9.eE+-]*[0-9])");
            if (m.Success) return double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new InvalidDataException("The scheduler manifest's notes state no 'compare with rtol' tolerance.");
    });

    private static double RelativeTolerance => Rtol.Value;

    private static readonly string[] ArrayKeys = ["sigma_steps", "time_steps", "scaling_steps", "scaling_factor", "factor_steps"];

    private static JsonElement Load()
    {
        using var stream = File.OpenRead(TestFixtures.FilePath(Folder, "schedulers.json"));
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }

    private static IEnumerable<TestCaseData> Cases(string group) => TestFixtures.Cases(Folder, (_, _) =>
        Load().GetProperty(group).EnumerateObject().Select(p => new TestCaseData(p.Name).SetName($"{group}: {p.Name}")));

    private static IEnumerable<TestCaseData> FullCases() => Cases("cases");

    private static IEnumerable<TestCaseData> PartialCases() => Cases("partial");

    internal static ConfigSection ToSection(JsonElement kwargs) =>
        new(kwargs.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.Number when p.Value.TryGetInt64(out long l) => l,
            JsonValueKind.Number => p.Value.GetDouble(),
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.Null => null,
            _ => p.Value.ToString(),
        })));

    internal static NoiseSchedule Build(JsonElement kwargs)
    {
        var section = ToSection(kwargs);
        var schedule = new NoiseSchedule(NoiseScheduleOptions.FromConfig(section));
        section.ThrowIfUnknownKeys();
        return schedule;
    }

    private static void ShouldMatch(IReadOnlyList<double> actual, JsonElement expected, string what)
    {
        var exp = expected.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        actual.Count.Should().Be(exp.Length, $"{what} length");
        for (int i = 0; i < exp.Length; i++)
        {
            double a = actual[i], e = exp[i];
            bool ok = a == e || Math.Abs(a - e) <= RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(e));
            ok.Should().BeTrue($"{what}[{i}] = {a:R} should equal {e:R} within rtol {RelativeTolerance}");
        }
    }

    private static void ShouldMatchCase(NoiseSchedule s, JsonElement expected, bool compareFactorsToStep)
    {
        s.NumSteps.Should().Be(expected.GetProperty("num_steps").GetInt32());
        s.SigmaMax.Should().BeApproximately(expected.GetProperty("sigma_max").GetDouble(), RelativeTolerance * Math.Abs(s.SigmaMax));
        s.SigmaMin.Should().Be(expected.GetProperty("sigma_min").GetDouble());
        ShouldMatch(s.SigmaSteps, expected.GetProperty("sigma_steps"), "sigma_steps");
        ShouldMatch(s.TimeSteps, expected.GetProperty("time_steps"), "time_steps");
        ShouldMatch(s.ScalingSteps, expected.GetProperty("scaling_steps"), "scaling_steps");
        ShouldMatch(s.ScalingFactor, expected.GetProperty("scaling_factor"), "scaling_factor");
        ShouldMatch(s.FactorSteps, expected.GetProperty("factor_steps"), "factor_steps");
        if (compareFactorsToStep) s.FactorSteps.Should().HaveCount(s.NumSteps);
        s.SigmaSteps.Should().HaveCount(s.NumSteps + 1);
    }

    [TestCaseSource(nameof(FullCases))]
    public void Schedule_matches_the_reference_arrays(string name)
    {
        var expected = Load().GetProperty("cases").GetProperty(name);
        var schedule = Build(expected.GetProperty("constructor_kwargs"));
        ShouldMatchCase(schedule, expected, compareFactorsToStep: true);
        if (expected.TryGetProperty("sigma_final", out var final) && final.ValueKind == JsonValueKind.Number)
            schedule.SigmaSteps[^1].Should().BeApproximately(final.GetDouble(), RelativeTolerance * Math.Max(1, final.GetDouble()));
    }

    [TestCaseSource(nameof(PartialCases))]
    public void Reference_misaligned_partial_schedule_matches_get_partial_scheduler(string name)
    {
        var root = Load();
        var expected = root.GetProperty("partial").GetProperty(name);
        var baseCase = root.GetProperty("cases").GetProperty(expected.GetProperty("base_case").GetString()!);
        var partial = Build(baseCase.GetProperty("constructor_kwargs"))
            .Partial(expected.GetProperty("new_sigma_max").GetDouble(), PartialScheduleMode.ReferenceMisaligned);
        ShouldMatchCase(partial, expected, compareFactorsToStep: false);
    }

    [TestCaseSource(nameof(PartialCases))]
    public void Aligned_partial_schedule_pairs_each_sigma_with_its_own_factor(string name)
    {
        var root = Load();
        var expected = root.GetProperty("partial").GetProperty(name);
        var baseSchedule = Build(root.GetProperty("cases").GetProperty(expected.GetProperty("base_case").GetString()!).GetProperty("constructor_kwargs"));
        double newMax = expected.GetProperty("new_sigma_max").GetDouble();
        var partial = baseSchedule.Partial(newMax);

        partial.NumSteps.Should().Be(expected.GetProperty("num_steps").GetInt32(), "both modes keep the same noise levels");
        ShouldMatch(partial.SigmaSteps, expected.GetProperty("sigma_steps"), "sigma_steps");
        partial.FactorSteps.Should().HaveCount(partial.NumSteps);
        partial.ScalingFactor.Should().HaveCount(partial.NumSteps);
        int offset = baseSchedule.NumSteps - partial.NumSteps;
        for (int k = 0; k < partial.NumSteps; k++)
        {
            baseSchedule.SigmaSteps[offset + k].Should().Be(partial.SigmaSteps[k]);
            partial.FactorSteps[k].Should().Be(baseSchedule.FactorSteps[offset + k], $"step {k} keeps the factor of its own σ");
            partial.ScalingFactor[k].Should().Be(baseSchedule.ScalingFactor[offset + k]);
        }
        // The reference's misaligned slice uses the previous base factor at every step.
        var misaligned = baseSchedule.Partial(newMax, PartialScheduleMode.ReferenceMisaligned);
        for (int k = 1; k < partial.NumSteps; k++) misaligned.FactorSteps[k].Should().Be(partial.FactorSteps[k - 1]);
        partial.SigmaSteps[0].Should().BeGreaterThanOrEqualTo(newMax);
        partial.SigmaSteps[1].Should().BeLessThan(newMax);
    }

    private static IEnumerable<TestCaseData> ExpDecayCases() => TestFixtures.Cases(Folder, (_, _) =>
        Load().GetProperty("exp_decay").EnumerateArray().Select((c, i) => new TestCaseData(i).SetName(
            $"exp_decay[{i}]: {string.Join(", ", c.GetProperty("kwargs").EnumerateObject().Select(p => $"{p.Name}={p.Value}"))}")));

    [TestCaseSource(nameof(ExpDecayCases))]
    public void Exponential_decay_matches_pnpdm_reference(int index)
    {
        var c = Load().GetProperty("exp_decay")[index];
        var k = c.GetProperty("kwargs");
        var sigmas = NoiseSchedule.ExponentialDecay(k.GetProperty("num_steps").GetInt32(), k.GetProperty("sigma_max").GetDouble(),
            k.GetProperty("sigma_min").GetDouble(), k.GetProperty("rho").GetDouble());
        ShouldMatch(sigmas, c.GetProperty("sigma_steps"), "sigma_steps");
    }
}

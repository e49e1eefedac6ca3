using InverseBench.Algorithms.Common;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary><see cref="ScheduleConfig"/>: one reader of the reference's scheduler blocks for every solver.</summary>
[TestFixture]
public sealed class ScheduleConfigTests
{
    private static NoiseScheduleOptions Defaults() => new()
    {
        NumSteps = 1000, SigmaMax = 100, SigmaMin = 0.01, Schedule = SigmaScheduleKind.Linear, Timestep = "poly-7", Scaling = ScalingScheduleKind.None,
    };

    private static ConfigSection Method(Dictionary<string, object?> block) =>
        new(new Dictionary<string, object?> { ["diffusion_scheduler_config"] = block });

    [Test]
    public void Read_PartialBlock_KeepsTheAlgorithmsDefaultsForAbsentKeys()
    {
        var o = ScheduleConfig.Read(Method(new() { ["num_steps"] = 10, ["scaling"] = "vp" }), "diffusion_scheduler_config", Defaults());
        o.NumSteps.Should().Be(10);
        o.Scaling.Should().Be(ScalingScheduleKind.Vp);
        o.SigmaMax.Should().Be(100);
        o.Schedule.Should().Be(SigmaScheduleKind.Linear);
        o.Timestep.Should().Be("poly-7");
    }

    [Test]
    public void Read_AbsentBlock_ReturnsACopyOfTheDefaults()
    {
        var defaults = Defaults();
        var o = ScheduleConfig.Read(new ConfigSection(new Dictionary<string, object?>()), "diffusion_scheduler_config", defaults);
        o.Should().NotBeSameAs(defaults);
        o.Should().BeEquivalentTo(defaults);
    }

    [Test]
    public void Read_UnknownScheduleName_ThrowsListingTheValidOnes()
    {
        var act = () => ScheduleConfig.Read(Method(new() { ["schedule"] = "cosine" }), "diffusion_scheduler_config", Defaults());
        act.Should().Throw<ArgumentException>().WithMessage("*'cosine'*'sqrt', 'linear', 'vp'*");
    }

    [Test]
    public void Validate_ImpossibleSchedule_AddsAMessageNamingTheOption()
    {
        var errors = new List<string>();
        var bad = Defaults();
        bad.NumSteps = 0;
        ScheduleConfig.Validate(bad, "Schedule", errors);
        errors.Should().ContainSingle().Which.Should().StartWith("Schedule: ");
    }
}

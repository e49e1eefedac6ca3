using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Tests.Core.Diffusion;

/// <summary>Closed forms, validation and configuration of <see cref="NoiseSchedule"/>.</summary>
[TestFixture]
public sealed class NoiseScheduleTests
{
    [Test]
    public void Linear_schedule_factors_have_the_closed_form()
    {
        var s = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 20, SigmaMax = 80, SigmaMin = 0.002, SigmaFinal = 0 });
        for (int i = 0; i < s.NumSteps; i++)
        {
            s.FactorSteps[i].Should().BeApproximately(2 * s.SigmaSteps[i] * (s.SigmaSteps[i] - s.SigmaSteps[i + 1]), 1e-12 * s.FactorSteps[i] + 1e-15);
            s.ScalingFactor[i].Should().Be(1);
            s.ScalingSteps[i].Should().Be(1);
        }
        s.SigmaSteps[0].Should().Be(80);
        s.SigmaSteps[^1].Should().Be(0);
    }

    [Test]
    public void Sqrt_log_schedule_is_geometric_with_variance_difference_factors()
    {
        var s = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 11, SigmaMax = 100, SigmaMin = 0.01, Schedule = SigmaScheduleKind.Sqrt, Timestep = "log" });
        for (int i = 0; i < 10; i++)
        {
            (s.SigmaSteps[i + 1] / s.SigmaSteps[i]).Should().BeApproximately(Math.Pow(1e-4, 0.1), 1e-12);
            s.FactorSteps[i].Should().BeApproximately(s.SigmaSteps[i] * s.SigmaSteps[i] - s.SigmaSteps[i + 1] * s.SigmaSteps[i + 1], 1e-9);
        }
        s.FactorSteps[^1].Should().Be(0, "σ_final defaults to σ_min, so the last step is a no-op");
    }

    [Test]
    public void Vp_schedule_overwrites_sigma_max_and_has_ddpm_coefficients()
    {
        var s = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 1000, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp });
        s.SigmaMax.Should().BeApproximately(Math.Sqrt(1 - Math.Exp(-10.05)), 1e-12);
        double dt = s.TimeSteps[0] - s.TimeSteps[1];
        s.FactorSteps[0].Should().BeApproximately((19.9 + 0.1) * dt, 1e-12);
        s.ScalingFactor[0].Should().BeApproximately(1 + 0.5 * 20 * dt, 1e-12);
        s.SigmaSteps[^1].Should().BeApproximately(0.01, 1e-12);
    }

    [Test]
    public void Single_step_schedule_uses_r_zero()
    {
        var s = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 1, SigmaMax = 5, SigmaMin = 0.1, SigmaFinal = 0 });
        s.SigmaSteps.Should().HaveCount(2);
        s.SigmaSteps[0].Should().BeApproximately(5.0, 1e-14, "(σ_max^(1/7))^7 rounds like the reference");
        s.SigmaSteps[1].Should().Be(0);
        s.FactorSteps[0].Should().BeApproximately(50.0, 1e-12);
    }

    [TestCase(0, "poly-7", 100, 0.01, "NumSteps")]
    [TestCase(10, "poly-x", 100, 0.01, "poly-<p>")]
    [TestCase(10, "poly-0", 100, 0.01, "poly-<p>")]
    [TestCase(10, "cosine", 100, 0.01, "'log'")]
    [TestCase(10, "log", 100, 0, "0 < SigmaMin")]
    [TestCase(10, "log", 1, 1, "SigmaMin < SigmaMax")]
    [TestCase(10, "poly-7", 0.01, 0.1, "SigmaMin < SigmaMax")]
    public void Invalid_arguments_throw_a_clear_argument_exception(int steps, string timestep, double max, double min, string message)
    {
        var act = () => new NoiseSchedule(new NoiseScheduleOptions { NumSteps = steps, Timestep = timestep, SigmaMax = max, SigmaMin = min });
        act.Should().Throw<ArgumentException>().WithMessage($"*{message}*");
    }

    [Test]
    public void Inverted_sigma_range_is_accepted_only_when_allowed_like_the_reference_daps_inner_grid()
    {
        var options = new NoiseScheduleOptions { NumSteps = 5, SigmaMax = 0.005, SigmaMin = 0.01, SigmaFinal = 0 };
        FluentActions.Invoking(() => new NoiseSchedule(options)).Should().Throw<ArgumentException>().WithMessage("*SigmaMin < SigmaMax*");
        options.AllowSigmaMaxNotAboveSigmaMin = true;
        var s = new NoiseSchedule(options);
        s.SigmaSteps[0].Should().BeApproximately(0.005, 1e-15);
        s.SigmaSteps[4].Should().BeApproximately(0.01, 1e-15);
        s.FactorSteps.Take(4).Should().OnlyContain(f => f == 0, "an increasing σ gives negative factors, clipped at 0 as in the reference");
    }

    [Test]
    public void Unknown_schedule_name_lists_the_valid_values()
    {
        var section = new ConfigSection(new Dictionary<string, object?> { ["schedule"] = "cosine" });
        var act = () => NoiseScheduleOptions.FromConfig(section);
        act.Should().Throw<ArgumentException>().WithMessage("*'sqrt', 'linear', 'vp'*");
        var bad = () => new NoiseSchedule(new NoiseScheduleOptions { Schedule = (SigmaScheduleKind)7 });
        bad.Should().Throw<ArgumentException>().WithMessage("*Sqrt*Linear*Vp*");
    }

    [Test]
    public void From_config_reads_reference_keys_and_treats_unknown_scaling_as_none()
    {
        var section = new ConfigSection(new Dictionary<string, object?>
        {
            ["num_steps"] = 5, ["sigma_max"] = "0.1", ["sigma_min"] = 0.01, ["sigma_final"] = 0, ["schedule"] = "sqrt",
            ["timestep"] = "log", ["scaling"] = "typo",
        });
        var o = NoiseScheduleOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        o.NumSteps.Should().Be(5);
        o.SigmaMax.Should().Be(0.1);
        o.SigmaFinal.Should().Be(0);
        o.Schedule.Should().Be(SigmaScheduleKind.Sqrt);
        o.Timestep.Should().Be("log");
        o.Scaling.Should().Be(ScalingScheduleKind.None);
    }

    [Test]
    public void Partial_above_every_sigma_returns_the_whole_schedule_in_both_modes()
    {
        var s = new NoiseSchedule(new NoiseScheduleOptions { NumSteps = 8 });
        foreach (var mode in Enum.GetValues<PartialScheduleMode>())
        {
            var p = s.Partial(1000, mode);
            p.NumSteps.Should().Be(8);
            p.SigmaSteps.Should().Equal(s.SigmaSteps);
            p.FactorSteps.Should().Equal(s.FactorSteps);
        }
    }

    [Test]
    public void Partial_rejects_non_positive_sigma()
    {
        var s = new NoiseSchedule(new NoiseScheduleOptions());
        s.Invoking(x => x.Partial(double.NaN)).Should().Throw<ArgumentException>();
        s.Invoking(x => x.Partial(0)).Should().Throw<ArgumentException>();
    }

    [Test]
    public void Exponential_decay_clamps_at_sigma_min()
    {
        var sigmas = NoiseSchedule.ExponentialDecay(5, 1, 0.5, 0.5);
        sigmas.Should().Equal(1.0, 0.5, 0.5, 0.5, 0.5);
        FluentActions.Invoking(() => NoiseSchedule.ExponentialDecay(0, 1, 0.5, 0.5)).Should().Throw<ArgumentException>();
    }
}

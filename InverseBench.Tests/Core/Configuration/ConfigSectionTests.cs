using InverseBench.Core.Configuration;

namespace InverseBench.Tests.Core.Configuration;

public sealed class ConfigSectionTests
{
    private static ConfigSection Sample() => new(new Dictionary<string, object?>
    {
        ["num_steps"] = "200",
        ["lr"] = 1e-4,
        ["adaptive"] = "true",
        ["name"] = "daps",
        ["ids"] = new List<object?> { "1", 2L, 3 },
        ["scheduler_config"] = new Dictionary<string, object?> { ["sigma_max"] = "100", ["timestep"] = "poly-7" },
    });

    [Test]
    public void Getters_ConvertStringsAndNumbers()
    {
        var s = Sample();
        s.Get("num_steps", 0).Should().Be(200);
        s.Get("lr", 0.0).Should().Be(1e-4);
        s.Get("adaptive", false).Should().BeTrue();
        s.Get("name", "").Should().Be("daps");
        s.Get<int[]>("ids", []).Should().Equal(1, 2, 3);
        s.Section("scheduler_config").Get("sigma_max", 0.0).Should().Be(100);
        s.Get("missing", 42).Should().Be(42);
    }

    [Test]
    public void WrongType_NamesTheFullKeyPath()
    {
        var s = Sample();
        var act = () => s.Section("scheduler_config").Get("timestep", 0.0);
        act.Should().Throw<FormatException>().WithMessage("Configuration key 'scheduler_config.timestep' must be a number; got 'poly-7'*");
        var notInt = () => new ConfigSection(new Dictionary<string, object?> { ["n"] = 2.5 }).Get("n", 0);
        notInt.Should().Throw<FormatException>().WithMessage("*'n' must be an integer*");
    }

    [Test]
    public void UnknownKeys_AreReported_WithTheValidOnes()
    {
        var s = new ConfigSection(new Dictionary<string, object?>
        {
            ["num_steps"] = 3,
            ["guidance_scal"] = 2.0,
            ["scheduler_config"] = new Dictionary<string, object?> { ["sigma_max"] = 1, ["sigma_mni"] = 0.1 },
        });
        s.Get("num_steps", 1);
        s.Get("guidance_scale", 1.0);
        s.Section("scheduler_config").Get("sigma_max", 1.0);
        s.Section("scheduler_config").Get("sigma_min", 1.0);
        var act = () => s.ThrowIfUnknownKeys();
        act.Should().Throw<ArgumentException>()
            .WithMessage("Unknown configuration key(s): guidance_scal (did you mean 'guidance_scale'?), scheduler_config.sigma_mni (did you mean 'scheduler_config.sigma_min'?). " +
                         "Valid keys: guidance_scale, num_steps, scheduler_config.sigma_max, scheduler_config.sigma_min.");
    }

    [Test]
    public void FullyConsumedSection_PassesTheUnknownKeyCheck()
    {
        var s = Sample();
        foreach (var key in new[] { "num_steps", "lr", "adaptive", "name", "ids" }) s.Raw(key);
        s.Section("scheduler_config").Raw("sigma_max");
        s.Section("scheduler_config").Raw("timestep");
        s.Invoking(x => x.ThrowIfUnknownKeys()).Should().NotThrow();
    }

    [Test]
    public void MissingRequiredKey_Throws()
    {
        var act = () => Sample().Section("scheduler_config").GetRequired<double>("sigma_min");
        act.Should().Throw<KeyNotFoundException>().WithMessage("*'scheduler_config.sigma_min' is required*");
    }
}

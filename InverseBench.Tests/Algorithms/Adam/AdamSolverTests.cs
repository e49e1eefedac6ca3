using InverseBench.Algorithms;
using InverseBench.Algorithms.Adam;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Ensemble;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Adam;

[TestFixture]
public sealed class AdamSolverTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    [Test]
    public void Defaults_FollowTheReferenceYaml()
    {
        var o = new AdamOptions();
        (o.Name, o.LearningRate, o.WeightDecay, o.NumSteps, o.Gamma).Should().Be(("adam", 0.01, 0.0, 300, 0.5));
        o.Milestones.Should().Equal(100, 200);
        var section = new ConfigSection(new Dictionary<string, object?> { ["lr"] = 0.1, ["num_steps"] = 4, ["milestones"] = new List<object?> { 1, 3 }, ["weight_decay"] = 0.0 });
        var read = AdamOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        read.Milestones.Should().Equal(1, 3);
    }

    [Test]
    public void LearningRate_IsHalvedAtEachMilestone()
    {
        var o = new AdamOptions { LearningRate = 1, Milestones = [100, 200] };
        (o.LearningRateAt(0), o.LearningRateAt(99), o.LearningRateAt(100), o.LearningRateAt(250)).Should().Be((1.0, 1.0, 0.5, 0.25));
        new AdamOptions { LearningRate = 1, Milestones = null, NumSteps = 10 }.LearningRateAt(9).Should().Be(1.0);
    }

    [Test]
    public void ReducesTheDataMisfit_AndReportsEveryStep()
    {
        using var toy = ToyProblem.Load();
        var progress = new SolverChecks.SynchronousProgress(_ => { });
        using var x = SolverChecks.Run(Catalog.Adam(o => { o.NumSteps = 150; o.LearningRate = 0.05; o.Milestones = [100]; }),
            toy.Operator, null, toy.Observation, 0, out var counts, progress);
        progress.Reports.Should().HaveCount(150);
        progress.Reports[^1].DataMisfit!.Value.Should().BeLessThan(0.05 * progress.Reports[0].DataMisfit!.Value);
        counts.GradientCalls.Should().Be(150, "one gradient per Adam step");
        x.shape.Should().Equal([1, .. toy.Operator.SignalShape]);
    }

    [Test]
    public void OnAGradientFreeOperator_IsRefusedWithAClearMessage()
    {
        using var toy = ToyProblem.Load();
        var act = () => Catalog.Adam().Solve(toy.Observation, toy.GradientFreeOperator, null, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("*adam*data-misfit gradient*");
    }

    [Test]
    public void IsRegisteredUnderItsReferenceName()
    {
        var factory = AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "adam");
        factory.Requirements.Capabilities.Should().Be(SolverCapability.Gradient);
    }
}

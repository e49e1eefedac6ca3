using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Running;
using InverseBench.Tests.Core.Fakes;

namespace InverseBench.Tests.Core.Running;

[TestFixture]
public sealed class ComponentSetupTests
{
    private static ProblemFactory Toy() => new("toy", (_, _) => new MaskOperator(), null, (_, seed, count) => ListDataset.Random(count, seed: seed), null);

    [Test]
    public void AbsentData_FallBackToSyntheticSamples_WithAReasonThatReadsInsideASentence()
    {
        using var op = new MaskOperator();
        var data = ComponentSetup.OpenData(Toy(), () => throw new DirectoryNotFoundException("LMDB environment 'x' does not exist (expected data.mdb)."),
            "x", op, seed: 3, ComponentSetup.Ids(2));
        (data.Dataset as IDisposable)?.Dispose();
        data.Dataset.Count.Should().Be(2);
        data.Fallback.Should().Be("LMDB environment 'x' does not exist (expected data.mdb)");
        data.Provenance.Should().NotContain(".)").And.NotContain(".;");
    }

    [Test]
    public void AbsentData_WithoutSyntheticFallback_FailNamingTheProblem()
    {
        using var op = new MaskOperator();
        var act = () => ComponentSetup.OpenData(Toy(), () => throw new FileNotFoundException("no file"), null, op, 0, ComponentSetup.Ids(1), allowSynthetic: false);
        act.Should().Throw<FileNotFoundException>().WithMessage("*'toy'*no file*synthetic data are not allowed*");
    }
}

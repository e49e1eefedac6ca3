using InverseBench.Operators.ImageRestoration.Internal;

namespace InverseBench.Tests.Operators.ImageRestoration;

/// <summary>numpy's legacy <c>RandomState</c> streams (values printed by numpy ≥ 1.17 and unchanged since, NEP 19).</summary>
[TestFixture]
public sealed class NumpyRandomStateTests
{
    [Test]
    public void Seed0_RandomSample_MatchesNumpy()
    {
        // np.random.seed(0); np.random.rand(3)
        var random = new NumpyRandomState(0);
        random.NextDouble().Should().Be(0.5488135039273248);
        random.NextDouble().Should().Be(0.7151893663724195);
        random.NextDouble().Should().Be(0.6027633760716439);
    }

    [Test]
    public void Seed0_RandInt_MatchesNumpy()
    {
        // np.random.seed(0); np.random.randint(10, size=5) -> [5, 0, 3, 3, 7]
        var random = new NumpyRandomState(0);
        Enumerable.Range(0, 5).Select(_ => random.RandInt(0, 10)).Should().Equal(5, 0, 3, 3, 7);
    }

    [Test]
    public void Seed0_Permutation_MatchesNumpy()
    {
        // np.random.seed(0); np.random.permutation(10) -> [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
        new NumpyRandomState(0).ChoiceWithoutReplacement(10, 10).Should().Equal(2, 8, 4, 9, 1, 6, 7, 3, 0, 5);
    }

    [Test]
    public void Mt19937_FirstOutputOfTheReferenceSeed_MatchesTheReferenceImplementation()
    {
        // init_genrand(5489): the first tempered output of Matsumoto & Nishimura's mt19937ar.c is 3499211612.
        new NumpyRandomState(5489).NextUInt32().Should().Be(3499211612u);
    }

    [Test]
    public void RandInt_WithAnEmptyRange_ThrowsLikeNumpy()
    {
        var act = () => new NumpyRandomState(0).RandInt(5, 5);
        act.Should().Throw<ArgumentException>().WithMessage("*low >= high*");
    }
}

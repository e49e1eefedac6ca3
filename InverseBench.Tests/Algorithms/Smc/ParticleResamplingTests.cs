using InverseBench.Algorithms.Smc;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

public sealed class ParticleResamplingTests
{
    private static Tensor LogWeights => log(tensor(new double[,] { { 0.1, 0.2, 0.3, 0.4 }, { 0.7, 0.1, 0.1, 0.1 } })) + 5.0;

    [Test]
    public void Normalised_log_weights_exponentiate_to_one_per_group()
    {
        using var scope = NewDisposeScope();
        var normalised = ParticleResampling.NormalizeLog(LogWeights);
        normalised.exp().sum(1).allclose(ones(2, dtype: ScalarType.Float64), rtol: 1e-12, atol: 1e-12).Should().BeTrue();
        normalised.exp()[0].allclose(tensor(new[] { 0.1, 0.2, 0.3, 0.4 }), rtol: 1e-12, atol: 1e-12).Should().BeTrue();
    }

    [Test]
    public void Effective_sample_size_is_P_for_equal_weights_and_one_for_a_single_particle()
    {
        using var scope = NewDisposeScope();
        var ess = ParticleResampling.EffectiveSampleSize(tensor(new double[,] { { 0, 0, 0, 0 }, { 0, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity } }));
        ess.allclose(tensor(new[] { 4.0, 1.0 })).Should().BeTrue();
        // 1/Σw² for w = (0.1, 0.2, 0.3, 0.4) is 1/0.3.
        ParticleResampling.EffectiveSampleSize(LogWeights)[0].item<double>().Should().BeApproximately(1 / 0.3, 1e-12);
    }

    [TestCase(ResamplingMethod.Multinomial)]
    [TestCase(ResamplingMethod.Systematic)]
    [TestCase(ResamplingMethod.Stratified)]
    public void Ancestor_frequencies_follow_the_weights(ResamplingMethod method)
    {
        // 20 000 groups × 4 draws: each frequency has standard error ≤ √(0.25/80 000) ≈ 0.0018; tolerance 0.01 (> 5σ).
        using var scope = NewDisposeScope();
        var weights = tensor(new[] { 0.1, 0.2, 0.3, 0.4 }).log().unsqueeze(0).expand(20_000, 4).contiguous();
        var ancestors = ParticleResampling.Ancestors(weights, method, new Generator(5));
        ancestors.shape.Should().Equal(20_000, 4);
        ancestors.dtype.Should().Be(ScalarType.Int64);
        var frequencies = ancestors.flatten().bincount(null, 4).to_type(ScalarType.Float64) / 80_000.0;
        frequencies.allclose(tensor(new[] { 0.1, 0.2, 0.3, 0.4 }), rtol: 0, atol: 0.01).Should().BeTrue(string.Join(", ", frequencies.data<double>().ToArray()));
    }

    [Test]
    public void Systematic_resampling_keeps_each_count_within_one_of_its_expectation()
    {
        using var scope = NewDisposeScope();
        var ancestors = ParticleResampling.Ancestors(LogWeights[0].unsqueeze(0) * 1.0, ResamplingMethod.Systematic, new Generator(3));
        var counts = ancestors.flatten().bincount(null, 4).to_type(ScalarType.Float64);
        (counts - tensor(new[] { 0.4, 0.8, 1.2, 1.6 })).abs().max().item<double>().Should().BeLessThan(1.0);
    }

    [Test]
    public void Same_generator_seed_gives_the_same_ancestors()
    {
        using var scope = NewDisposeScope();
        var a = ParticleResampling.Ancestors(LogWeights, ResamplingMethod.Multinomial, new Generator(9));
        var b = ParticleResampling.Ancestors(LogWeights, ResamplingMethod.Multinomial, new Generator(9));
        a.eq(b).all().item<bool>().Should().BeTrue();
    }

    [Test]
    public void Select_gathers_particles_within_their_group()
    {
        using var scope = NewDisposeScope();
        var particles = arange(2 * 3 * 2).reshape(2, 3, 2);
        var ancestors = tensor(new long[,] { { 2, 2, 0 }, { 1, 0, 0 } });
        var selected = ParticleResampling.Select(particles, ancestors);
        selected.shape.Should().Equal(2, 3, 2);
        selected.flatten().data<long>().ToArray().Should().Equal(4, 5, 4, 5, 0, 1, 8, 9, 6, 7, 6, 7);
        var one = ParticleResampling.SelectOne(tensor(new double[,] { { double.NegativeInfinity, 0, double.NegativeInfinity } }), new Generator(1));
        one.item<long>().Should().Be(1);
    }

    [Test]
    public void Refuses_NaN_and_groups_without_weight()
    {
        var nan = () => ParticleResampling.NormalizeLog(tensor(new double[,] { { 0, double.NaN } }));
        nan.Should().Throw<ArgumentException>().WithMessage("*NaN*");
        var empty = () => ParticleResampling.Ancestors(tensor(new double[,] { { double.NegativeInfinity, double.NegativeInfinity } }), ResamplingMethod.Multinomial, new Generator(1));
        empty.Should().Throw<ArgumentException>().WithMessage("*no finite log-weight*");
        var overflow = () => ParticleResampling.Probabilities(tensor(new double[,] { { 0, double.PositiveInfinity } }));
        overflow.Should().Throw<ArgumentException>().WithMessage("*+Inf*");
        var shape = () => ParticleResampling.EffectiveSampleSize(zeros(3));
        shape.Should().Throw<ArgumentException>().WithMessage("*[G, P]*");
    }
}

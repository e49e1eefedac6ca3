using static TorchSharp.torch;

namespace InverseBench.Algorithms.Smc;

/// <summary>Turns a final particle system into solver output.</summary>
internal static class SmcOutput
{
    /// <summary>
    /// From equally weighted particles <c>[G·P, ..]</c> (after a resampling step), either every particle or particle 0 of
    /// each group — after multinomial resampling every particle is a draw from the weighted set, so particle 0 is one. The
    /// result is float32, the prior's dtype.
    /// </summary>
    public static Tensor Particles(Tensor particles, int groups, int count, bool all)
    {
        using var scope = NewDisposeScope();
        var result = all ? particles : particles.view([groups, count, .. particles.shape.Skip(1)]).select(1, 0);
        return scope.MoveToOuter(result.to_type(ScalarType.Float32));
    }
}

using static TorchSharp.torch;

namespace InverseBench.Algorithms.Ensemble;

/// <summary>What a batched map does with the particles beyond the last full batch.</summary>
public enum RemainderParticles
{
    /// <summary>The last, smaller batch is processed like the others (the correct behaviour).</summary>
    Process,

    /// <summary>
    /// Reference quirk (<c>algo/enkg.py</c>): only <c>⌊E / batch⌋</c> full batches are processed and the remaining rows of
    /// the output stay zero.
    /// </summary>
    ReferenceLeaveZero,
}

/// <summary>
/// Runs a particle-wise map (a denoiser, an ODE sampler, a forward model) over an ensemble in chunks of a configurable size,
/// so that memory is bounded by the chunk rather than by the ensemble.
/// </summary>
public static class ParticleBatches
{
    /// <summary>
    /// Applies <paramref name="map"/> to consecutive chunks of <paramref name="particles"/> along dimension 0 and concatenates
    /// the results. <paramref name="batchSize"/> ≤ 0 maps the whole ensemble at once. Each chunk's temporaries are freed
    /// before the next chunk runs.
    /// </summary>
    /// <param name="particles">The ensemble, <c>[E, ..]</c>.</param>
    /// <param name="batchSize">Particles per chunk; ≤ 0 for one chunk.</param>
    /// <param name="map">The map, <c>[b, ..in]</c> → <c>[b, ..out]</c>.</param>
    /// <param name="remainder">What happens to particles beyond the last full chunk.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <returns>A fresh <c>[E, ..out]</c> tensor.</returns>
    public static Tensor Map(Tensor particles, int batchSize, Func<Tensor, Tensor> map,
        RemainderParticles remainder = RemainderParticles.Process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(map);
        long count = particles.shape[0];
        if (batchSize <= 0 || (batchSize >= count && remainder == RemainderParticles.Process))
        {
            using var whole = NewDisposeScope();
            return whole.MoveToOuter(map(particles));
        }

        long full = count / batchSize;
        long end = remainder == RemainderParticles.Process ? count : full * batchSize;
        var chunks = new List<Tensor>();
        try
        {
            for (long start = 0; start < end; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long stop = Math.Min(start + batchSize, end);
                chunks.Add(scope.MoveToOuter(map(particles[TensorIndex.Slice(start, stop)])));
            }

            if (end < count)
            {
                if (chunks.Count == 0)
                {
                    throw new ArgumentException(
                        $"The ensemble of {count} particles is smaller than one batch of {batchSize}: the reference-compatible remainder mode would leave every particle zero.",
                        nameof(batchSize));
                }

                var template = chunks[0];
                var shape = template.shape.ToArray();
                shape[0] = count - end;
                chunks.Add(zeros(shape, template.dtype, template.device));
            }

            return cat(chunks, 0);
        }
        finally
        {
            foreach (var chunk in chunks) chunk.Dispose();
        }
    }
}

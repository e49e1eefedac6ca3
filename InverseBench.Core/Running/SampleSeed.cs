using System.Text;

namespace InverseBench.Core.Running;

/// <summary>
/// The seeding rule of every run (fluent API, dependency injection and the CLI alike): test sample <c>id</c> of a run
/// seeded with <c>seed</c> draws its observation noise and all solver randomness from its own generator, seeded with
/// <see cref="Derive"/>(seed, id).
/// </summary>
/// <remarks>
/// Deriving the stream from the sample's <em>id</em> (the reference's <c>id_list</c> entry), not from its position in the
/// run, makes a sample's result independent of which other samples run, in which order, in how many processes, and
/// whether the run was resumed: <c>id_list=3-4</c> reproduces samples 3 and 4 of a full <c>0-9</c> run bit for bit, and a
/// sweep can spread samples over machines. (The reference seeds once per run and lets samples share one stream, so its
/// sample k depends on samples 0..k−1; that ordering is not reproduced.)
/// </remarks>
public static class SampleSeed
{
    /// <summary>
    /// The seed of sample <paramref name="sampleId"/>: the SplitMix64 finaliser of the run seed combined with the 64-bit
    /// FNV-1a hash of the id's UTF-8 bytes, masked to 63 bits (a valid <c>torch.manual_seed</c> value).
    /// </summary>
    /// <param name="runSeed">The run's seed (reference <c>seed</c>).</param>
    /// <param name="sampleId">The sample's id.</param>
    public static ulong Derive(long runSeed, string sampleId)
    {
        ArgumentNullException.ThrowIfNull(sampleId);
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(sampleId))
        {
            hash ^= b;
            hash = unchecked(hash * 0x100000001B3UL);
        }

        ulong z = unchecked((ulong)runSeed * 0x9E3779B97F4A7C15UL + hash + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return z & 0x7FFF_FFFF_FFFF_FFFFUL;
    }
}

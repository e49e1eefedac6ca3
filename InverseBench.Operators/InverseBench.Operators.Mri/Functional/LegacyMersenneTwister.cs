namespace InverseBench.Operators.Mri.Functional;

/// <summary>
/// numpy's legacy global generator (<c>np.random.seed(seed)</c>, <c>RandomState</c>): 32-bit MT19937 seeded with
/// <c>init_genrand</c>, and the two draws the reference's mask uses — <c>random_interval</c> and the in-place Fisher–Yates
/// <c>permutation</c>. Reproduces numpy bit for bit (numpy <c>_legacy_seeding</c> → <c>mt19937_seed</c>,
/// <c>random_interval</c> in <c>distributions.c</c>, <c>RandomState.shuffle</c>), so the masks of
/// <c>inverse_problems/multi_coil_mri.py</c> <c>get_mask</c> match exactly. Not thread-safe; not a torch generator (the
/// reference draws the mask from numpy, not from the run's generator).
/// </summary>
public sealed class LegacyMersenneTwister
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[N];
    private int _position;

    /// <summary>Seeds the generator as <c>np.random.seed(seed)</c> does for an integer seed in <c>[0, 2³² − 1]</c>.</summary>
    /// <param name="seed">The seed.</param>
    public LegacyMersenneTwister(uint seed)
    {
        _key[0] = seed;
        for (int i = 1; i < N; i++)
            _key[i] = unchecked((1812433253U * (_key[i - 1] ^ (_key[i - 1] >> 30))) + (uint)i);
        _position = N;
    }

    /// <summary>The next tempered 32-bit output (<c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position >= N) Generate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary>
    /// A uniform integer in <c>[0, max]</c> by masked rejection (numpy <c>random_interval</c>): the smallest all-ones bit mask
    /// covering <paramref name="max"/>, redrawn until the masked value is ≤ max (64-bit draws above 2³² − 1).
    /// </summary>
    /// <param name="max">Inclusive upper bound (≥ 0).</param>
    public ulong NextInterval(ulong max)
    {
        if (max == 0) return 0;
        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        ulong value;
        if (max <= 0xffffffffUL)
        {
            while ((value = NextUInt32() & mask) > max)
            {
            }
        }
        else
        {
            while ((value = NextUInt64() & mask) > max)
            {
            }
        }

        return value;
    }

    /// <summary>
    /// <c>np.random.permutation(n)</c>: <c>arange(n)</c> shuffled in place by Fisher–Yates from the last element down,
    /// <c>j = random_interval(i)</c>.
    /// </summary>
    /// <param name="n">Length (≥ 0).</param>
    public long[] Permutation(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var values = new long[n];
        for (long i = 0; i < n; i++) values[i] = i;
        for (long i = n - 1; i > 0; i--)
        {
            long j = (long)NextInterval((ulong)i);
            (values[i], values[j]) = (values[j], values[i]);
        }

        return values;
    }

    private ulong NextUInt64() => ((ulong)NextUInt32() << 32) | NextUInt32();

    private void Generate()
    {
        int k;
        uint y;
        for (k = 0; k < N - M; k++)
        {
            y = (_key[k] & UpperMask) | (_key[k + 1] & LowerMask);
            _key[k] = _key[k + M] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0U);
        }

        for (; k < N - 1; k++)
        {
            y = (_key[k] & UpperMask) | (_key[k + 1] & LowerMask);
            _key[k] = _key[k + (M - N)] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0U);
        }

        y = (_key[N - 1] & UpperMask) | (_key[0] & LowerMask);
        _key[N - 1] = _key[M - 1] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0U);
        _position = 0;
    }
}

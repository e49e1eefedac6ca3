namespace InverseBench.Operators.ImageRestoration.Internal;

/// <summary>
/// numpy's legacy global random generator (<c>numpy.random.RandomState</c>, MT19937) for the few draws the reference makes
/// with it: <c>seed(int)</c>, <c>randint(low, high)</c>, <c>random_sample()</c>, <c>uniform(low, high)</c> and
/// <c>choice(n, k, replace=False)</c>. Bit-exact with numpy 1.17 – 2.x legacy streams (the legacy stream is frozen by
/// NEP 19). The reference draws its inpainting masks from numpy's never-seeded global generator
/// (<c>inverse_problems/image_restore.py</c>, <c>mask_generator</c>); with this class the mask is that of
/// <c>np.random.seed(seed)</c> and so reproducible.
/// </summary>
internal sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int Period = 397;
    private readonly uint[] _key = new uint[StateLength];
    private int _position;

    /// <summary>The state after <c>np.random.seed(seed)</c> (numpy's <c>mt19937_seed</c>, i.e. MT19937 <c>init_genrand</c>).</summary>
    public NumpyRandomState(uint seed)
    {
        uint s = seed;
        for (int i = 0; i < StateLength; i++)
        {
            _key[i] = s;
            s = unchecked(1812433253u * (s ^ (s >> 30)) + (uint)i + 1u);
        }

        _position = StateLength;
    }

    /// <summary>The next 32-bit output of MT19937 (numpy <c>mt19937_next32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength) Regenerate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary><c>random_sample()</c>: a 53-bit double in [0, 1) from two 32-bit outputs (numpy <c>mt19937_next_double</c>).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>uniform(low, high)</c> = <c>low + (high − low)·random_sample()</c>.</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>
    /// <c>randint(low, high)</c> (high exclusive) for a range below 2³²: masked rejection sampling of 32-bit outputs, as the
    /// legacy <c>_rand_int64</c> path (<c>buffered_bounded_masked_uint32</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> ≥ <paramref name="high"/> (numpy's "low &gt;= high").</exception>
    public long RandInt(long low, long high)
    {
        if (low >= high) throw new ArgumentException($"randint: low ({low}) must be smaller than high ({high}) (numpy: low >= high).");
        ulong range = (ulong)(high - 1 - low);
        if (range == 0) return low;
        if (range > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(high), "Ranges of 2^32 or more are not needed here and not implemented.");
        uint mask = SmallestMask((uint)range);
        uint value;
        while ((value = NextUInt32() & mask) > range)
        {
        }

        return low + value;
    }

    /// <summary>
    /// <c>choice(populationSize, count, replace=False)</c> without probabilities: the first <paramref name="count"/> entries of
    /// <c>permutation(populationSize)</c> (legacy Fisher–Yates from the end with <c>random_interval</c>).
    /// </summary>
    public int[] ChoiceWithoutReplacement(int populationSize, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(populationSize);
        if (count < 0 || count > populationSize)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot take a larger sample than population ({populationSize}) when replace=False.");
        var values = new int[populationSize];
        for (int i = 0; i < populationSize; i++) values[i] = i;
        for (int i = populationSize - 1; i >= 1; i--)
        {
            int j = (int)RandomInterval((uint)i);
            (values[i], values[j]) = (values[j], values[i]);
        }

        return values[..count];
    }

    /// <summary>numpy <c>random_interval(max)</c>: a uniform integer in [0, max] by masked rejection.</summary>
    private uint RandomInterval(uint max)
    {
        if (max == 0) return 0;
        uint mask = SmallestMask(max);
        uint value;
        while ((value = NextUInt32() & mask) > max)
        {
        }

        return value;
    }

    private static uint SmallestMask(uint value)
    {
        uint mask = value;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        return mask;
    }

    private void Regenerate()
    {
        const uint upper = 0x80000000u, lower = 0x7fffffffu, matrix = 0x9908b0dfu;
        int i;
        uint y;
        for (i = 0; i < StateLength - Period; i++)
        {
            y = (_key[i] & upper) | (_key[i + 1] & lower);
            _key[i] = _key[i + Period] ^ (y >> 1) ^ ((y & 1u) * matrix);
        }

        for (; i < StateLength - 1; i++)
        {
            y = (_key[i] & upper) | (_key[i + 1] & lower);
            _key[i] = _key[i + Period - StateLength] ^ (y >> 1) ^ ((y & 1u) * matrix);
        }

        y = (_key[StateLength - 1] & upper) | (_key[0] & lower);
        _key[StateLength - 1] = _key[Period - 1] ^ (y >> 1) ^ ((y & 1u) * matrix);
        _position = 0;
    }
}

namespace Mirage.Seeding;

/// <summary>
/// SplitMix64: tiny, fast, and fully specified here, so a seed gives the same data on every machine and every
/// .NET version. One generator per (stream, index), so each phase can regenerate any item independently.
/// </summary>
public struct SeedRandom
{
    private ulong state;

    public SeedRandom(int seed, int stream, long index)
    {
        state = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream << 48 ^ (ulong)index * 0xBF58476D1CE4E5B9UL;
        NextUInt64();
    }

    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ z >> 30) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ z >> 27) * 0x94D049BB133111EBUL;
        return z ^ z >> 31;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => (int)(NextDouble() * max);

    /// <summary>An index in [0, count) biased toward 0 (power-law-ish): a few popular users, tags and authors.</summary>
    public int Skewed(int count, double power) => Math.Min(count - 1, (int)(Math.Pow(NextDouble(), power) * count));

    /// <summary>A geometric count with the given mean: most items get few, some get many.</summary>
    public int Geometric(double mean, int max)
    {
        if (mean <= 0)
        {
            return 0;
        }
        var p = 1.0 / (mean + 1.0);
        return Math.Min(max, (int)(Math.Log(1.0 - NextDouble()) / Math.Log(1.0 - p)));
    }
}

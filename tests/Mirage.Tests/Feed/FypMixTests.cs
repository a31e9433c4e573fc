using Mirage.Feed;

namespace Mirage.Tests.Feed;

/// <summary>The For-You page arithmetic, without a server.</summary>
public sealed class FypMixTests
{
    [Theory]
    [InlineData(100, 100, 100, 12, 12, 6)]
    [InlineData(3, 100, 100, 3, 17, 10)]
    [InlineData(0, 100, 2, 0, 28, 2)]
    [InlineData(100, 0, 0, 30, 0, 0)]
    [InlineData(2, 3, 4, 2, 3, 4)]
    [InlineData(0, 0, 0, 0, 0, 0)]
    public void Allocation_gives_40_40_20_and_fills_short_pools_from_the_others(
        int followed, int global, int archive, int takeFollowed, int takeGlobal, int takeArchive)
    {
        Assert.Equal([takeFollowed, takeGlobal, takeArchive], FypMix.Allocate([followed, global, archive]));
    }

    [Fact]
    public void Interleaving_puts_4_4_2_in_every_third_of_a_full_page_and_varies_the_order()
    {
        var random = new Random(7);
        var orders = new HashSet<string>();
        for (var round = 0; round < 20; round++)
        {
            IReadOnlyList<IReadOnlyList<string>> pools =
            [
                Enumerable.Range(0, 12).Select(i => $"f{i}").ToList(),
                Enumerable.Range(0, 12).Select(i => $"g{i}").ToList(),
                Enumerable.Range(0, 6).Select(i => $"a{i}").ToList(),
            ];
            var page = FypMix.Interleave(pools, random);
            Assert.Equal(30, page.Distinct().Count());
            for (var third = 0; third < 3; third++)
            {
                var slice = page.Skip(third * 10).Take(10).ToList();
                Assert.Equal((4, 4, 2), (slice.Count(s => s[0] == 'f'), slice.Count(s => s[0] == 'g'), slice.Count(s => s[0] == 'a')));
            }
            orders.Add(string.Join(',', page));
        }
        Assert.Equal(20, orders.Count);
    }

    [Fact]
    public void Sampling_takes_distinct_items_and_never_more_than_there_are()
    {
        var items = Enumerable.Range(0, 50).ToList();
        var sample = FypMix.Sample(items, 12, new Random(1));
        Assert.Equal(12, sample.Distinct().Count());
        Assert.All(sample, s => Assert.InRange(s, 0, 49));
        Assert.Equal(3, FypMix.Sample([1, 2, 3], 10, new Random(1)).Count);
    }
}

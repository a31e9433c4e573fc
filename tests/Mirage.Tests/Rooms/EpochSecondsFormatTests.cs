using System.Text.Json;
using Mirage.Common;

namespace Mirage.Tests.Rooms;

/// <summary>Room messages' float <c>created_at</c> is written by a dedicated formatter; it must match the general one exactly.</summary>
public sealed class EpochSecondsFormatTests
{
    private static readonly JsonSerializerOptions WithConverter = new() { Converters = { new EpochSecondsJsonConverter() } };

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(10L)]
    [InlineData(120L)]
    [InlineData(999L)]
    [InlineData(1000L)]
    [InlineData(1_732_200_000_000L)]
    [InlineData(1_732_200_000_005L)]
    [InlineData(1_732_200_000_050L)]
    [InlineData(1_732_200_000_500L)]
    [InlineData(253_402_300_799_999L)]
    public void Whole_milliseconds_are_written_as_the_general_formatter_writes_them(long unixMs) =>
        Assert.Equal(JsonSerializer.Serialize(Time.ToEpochSeconds(unixMs)), JsonSerializer.Serialize(Time.ToEpochSeconds(unixMs), WithConverter));

    [Fact]
    public void A_million_random_times_match_the_general_formatter()
    {
        var random = new Random(7);
        for (var i = 0; i < 1_000_000; i++)
        {
            var seconds = Time.ToEpochSeconds(random.NextInt64(0, 4_102_444_800_000));
            Assert.Equal(JsonSerializer.Serialize(seconds), JsonSerializer.Serialize(seconds, WithConverter));
        }
    }

    [Theory]
    [InlineData(-1.5)]
    [InlineData(0.0001)]
    [InlineData(1e300)]
    [InlineData(1732200000.1234)]
    public void Other_values_fall_back_to_the_general_formatter(double value) =>
        Assert.Equal(JsonSerializer.Serialize(value), JsonSerializer.Serialize(value, WithConverter));
}

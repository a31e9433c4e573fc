using System.Text;

namespace Mirage.Seeding;

/// <summary>Words, names and hashtags the generated content is made of.</summary>
public static class SeedText
{
    private static readonly string[] Words =
    """
    the a an this that my your our just really very so today tonight tomorrow finally again still never always
    love like hate want need think know feel see hear made built shipped broke fixed tried learned found lost
    coffee code music coding weekend morning night city trip book movie game team project idea story photo walk
    run dinner lunch garden rain sun snow bug release server feature design update news question answer friend
    great good bad weird amazing boring new old small big fast slow quiet loud simple hard easy funny strange
    and but or because when while after before with without about for from into over under around through
    is was are were be been have has had do does did can could will would should might must
    anyone everyone someone nobody here there now then soon later maybe definitely probably honestly
    """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private static readonly string[] Tags =
    """
    mirage newbie tips dev csharp dotnet sqlite postgres linux opensource music art photography travel food
    coffee books movies gaming science space ai privacy security design ux webdev rust golang python javascript
    weekend monday fridayfeeling motivation fitness running cycling hiking nature cats dogs gardening cooking
    baking history philosophy math physics climate news sports football basketball tennis chess anime comics
    writing poetry jazz rock hiphop classical indie diy maker robotics hardware retro vintage fashion
    """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    public static readonly string[] FirstNames =
        ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia", "Guido",
         "Katherine", "Niklaus", "Hedy", "Tim", "Sophie", "Yukihiro", "Anita", "Bjarne", "Lin", "Mei", "Ravi", "Amara"];

    public static readonly string[] LastNames =
        ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra",
         "Perlman", "van Rossum", "Johnson", "Wirth", "Lamarr", "Berners-Lee", "Wilson", "Matsumoto", "Borg", "Stroustrup"];

    private static readonly string[] Emoji = ["🎉", "🔥", "😀", "🚀", "☕", "👍🏽", "🌧️", "✨"];

    /// <summary>A post: a dozen-odd words, maybe an emoji, and up to three hashtags whose popularity drifts by day.</summary>
    public static string Post(ref SeedRandom random, int day)
    {
        var text = new StringBuilder();
        AppendWords(text, ref random, 4 + random.Next(20));
        if (random.NextDouble() < 0.15)
        {
            text.Append(' ').Append(Emoji[random.Next(Emoji.Length)]);
        }
        var roll = random.NextDouble();
        var tags = roll < 0.35 ? 0 : roll < 0.7 ? 1 : roll < 0.9 ? 2 : 3;
        for (var i = 0; i < tags; i++)
        {
            text.Append(" #").Append(Tags[(random.Skewed(Tags.Length, 2.5) + day * 7) % Tags.Length]);
        }
        return text.ToString();
    }

    /// <summary>A direct message: a few words, now and then an emoji.</summary>
    public static string Message(ref SeedRandom random)
    {
        var text = new StringBuilder();
        AppendWords(text, ref random, 1 + random.Next(15));
        if (random.NextDouble() < 0.1)
        {
            text.Append(' ').Append(Emoji[random.Next(Emoji.Length)]);
        }
        return text.ToString();
    }

    public static string Reply(ref SeedRandom random)
    {
        var text = new StringBuilder();
        AppendWords(text, ref random, 3 + random.Next(10));
        return text.ToString();
    }

    private static void AppendWords(StringBuilder text, ref SeedRandom random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var word = Words[random.Skewed(Words.Length, 1.5)];
            if (i == 0)
            {
                text.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
            else
            {
                text.Append(' ').Append(word);
            }
        }
        text.Append(random.NextDouble() < 0.2 ? '!' : '.');
    }
}

using System.Diagnostics;

namespace Mirage.Seeding;

/// <summary>
/// One line per phase: rewritten in place on a terminal (at most a few times a second), and printed at each
/// tenth when the output goes to a file or a pipe, so logs stay short.
/// </summary>
public sealed class SeedProgress(TextWriter output, bool interactive)
{
    private readonly Stopwatch total = Stopwatch.StartNew();
    private readonly Stopwatch phase = new();
    private string name = "";
    private long expected;
    private long lastDraw;
    private int lastTenth;

    public TimeSpan Elapsed => total.Elapsed;

    public void Begin(string phaseName, long expectedRows)
    {
        (name, expected, lastDraw, lastTenth) = (phaseName, expectedRows, 0, 0);
        phase.Restart();
    }

    public void Report(long done)
    {
        var tenth = expected == 0 ? 10 : (int)(done * 10 / expected);
        if (interactive && phase.ElapsedMilliseconds - lastDraw >= 250)
        {
            lastDraw = phase.ElapsedMilliseconds;
            output.Write($"\r{Line(done)}   ");
        }
        else if (!interactive && tenth > lastTenth && tenth < 10)
        {
            lastTenth = tenth;
            output.WriteLine(Line(done));
        }
    }

    public void End(long done) => output.WriteLine((interactive ? "\r" : "") + Line(done) + $" in {phase.Elapsed.TotalSeconds:0.0} s   ");

    private string Line(long done)
    {
        var rate = done / Math.Max(0.001, phase.Elapsed.TotalSeconds);
        var percent = expected == 0 ? 100 : Math.Min(100, done * 100 / expected);
        return $"{name,-10} {done,12:N0} / ~{expected:N0} ({percent,3}%) {rate,10:N0} rows/s";
    }
}

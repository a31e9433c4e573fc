using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Mirage.Apps.Lua.LuaNative;

namespace Mirage.Apps.Lua;

/// <summary>
/// Lua 5.4's pattern matcher (lstrlib.c's <c>match</c>, ported as is) with a time budget. The C matcher runs where
/// the count hook never fires, so a pattern such as <c>".-.-b"</c> on a long string ran unbounded; here every step
/// counts against the request's time limit. Backs string.find, match, gmatch and gsub (prelude.lua).
/// </summary>
internal static unsafe class LuaPatterns
{
    private const byte Escape = (byte)'%';
    private const int MaxCaptures = 32, MaxDepth = 200, CapUnfinished = -1, CapPosition = -2, StepsPerClockRead = 4096;

    private sealed class PatternException(string message) : Exception(message);

    private sealed class OutOfTimeException : Exception;

    private struct State
    {
        public byte* SourceInit, SourceEnd, PatternEnd;
        public int Depth, Level;
        public long Steps;
        public fixed long CaptureInit[MaxCaptures];
        public fixed long CaptureLength[MaxCaptures];
    }

    /// <summary>
    /// <c>pfind(s, p, start0, lastmatch, anchored)</c>: the first position from the 0-based <c>start0</c> where
    /// <c>p</c> matches with an end other than <c>lastmatch</c> (only <c>start0</c> when anchored). Returns the
    /// 1-based start, the end, then the captures; nil when nothing matches; false and a message on a malformed
    /// pattern or when the time is up (the request is then over).
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Find(nint L)
    {
        var was = LuaSandbox.SuspendLimit();
        try
        {
            _ = lua_checkstack(L, MaxCaptures + 4);
            if (lua_type(L, 1) != TypeString || lua_type(L, 2) != TypeString)
            {
                return Fail(L, "bad arguments to a pattern function");
            }
            nuint sourceLength, patternLength;
            var source = lua_tolstring(L, 1, &sourceLength);
            var pattern = lua_tolstring(L, 2, &patternLength);
            var start = ToInteger(L, 3);
            var lastMatch = ToInteger(L, 4);
            var anchored = lua_toboolean(L, 5) != 0;
            var state = new State { SourceInit = source, SourceEnd = source + sourceLength, PatternEnd = pattern + patternLength };
            for (var s = source + Math.Clamp(start, 0, (long)sourceLength); s <= state.SourceEnd; s++)
            {
                state.Level = 0;
                state.Depth = MaxDepth;
                var end = Match(ref state, s, pattern);
                if (end != null && end - source != lastMatch)
                {
                    lua_pushinteger(L, s - source + 1);
                    lua_pushinteger(L, end - source);
                    for (var i = 0; i < state.Level; i++)
                    {
                        PushCapture(L, ref state, i);
                    }
                    return 2 + state.Level;
                }
                if (anchored)
                {
                    break;
                }
            }
            lua_pushnil(L);
            return 1;
        }
        catch (PatternException ex)
        {
            return Fail(L, ex.Message);
        }
        catch (OutOfTimeException)
        {
            LuaSandbox.KillForTime();
            return Fail(L, "time limit exceeded");
        }
        finally
        {
            LuaSandbox.RestoreLimit(was);
        }
    }

    private static int Fail(nint L, string message)
    {
        lua_pushboolean(L, 0);
        PushString(L, message);
        return 2;
    }

    private static void PushCapture(nint L, ref State state, int i)
    {
        var length = state.CaptureLength[i];
        if (length == CapUnfinished)
        {
            throw new PatternException("unfinished capture");
        }
        if (length == CapPosition)
        {
            lua_pushinteger(L, state.CaptureInit[i] + 1);
            return;
        }
        lua_pushlstring(L, state.SourceInit + state.CaptureInit[i], (nuint)length);
    }

    private static void Step(ref State state)
    {
        if (++state.Steps % StepsPerClockRead == 0 && LuaSandbox.TimeIsUp())
        {
            throw new OutOfTimeException();
        }
    }

    private static byte* Match(ref State ms, byte* s, byte* p)
    {
        if (ms.Depth-- == 0)
        {
            throw new PatternException("pattern too complex");
        }
        Step(ref ms);
        while (p != ms.PatternEnd)
        {
            switch (*p)
            {
                case (byte)'(':
                    s = p[1] == ')' ? StartCapture(ref ms, s, p + 2, CapPosition) : StartCapture(ref ms, s, p + 1, CapUnfinished);
                    goto done;
                case (byte)')':
                    s = EndCapture(ref ms, s, p + 1);
                    goto done;
                case (byte)'$' when p + 1 == ms.PatternEnd:
                    s = s == ms.SourceEnd ? s : null;
                    goto done;
                case Escape when p[1] == 'b':
                    s = MatchBalance(ref ms, s, p + 2);
                    if (s == null)
                    {
                        goto done;
                    }
                    p += 4;
                    continue;
                case Escape when p[1] == 'f':
                {
                    p += 2;
                    if (*p != '[')
                    {
                        throw new PatternException("missing '[' after '%f' in pattern");
                    }
                    var classEnd = ClassEnd(ref ms, p);
                    var previous = s == ms.SourceInit ? (byte)0 : s[-1];
                    var current = s < ms.SourceEnd ? *s : (byte)0;
                    if (!MatchBracketClass(previous, p, classEnd - 1) && MatchBracketClass(current, p, classEnd - 1))
                    {
                        p = classEnd;
                        continue;
                    }
                    s = null;
                    goto done;
                }
                case Escape when p[1] >= '0' && p[1] <= '9':
                    s = MatchCapture(ref ms, s, p[1]);
                    if (s == null)
                    {
                        goto done;
                    }
                    p += 2;
                    continue;
                default:
                {
                    var ep = ClassEnd(ref ms, p);
                    if (!SingleMatch(ref ms, s, p, ep))
                    {
                        if (*ep is (byte)'*' or (byte)'?' or (byte)'-')
                        {
                            p = ep + 1;
                            continue;
                        }
                        s = null;
                        goto done;
                    }
                    switch (*ep)
                    {
                        case (byte)'?':
                            var result = Match(ref ms, s + 1, ep + 1);
                            if (result != null)
                            {
                                s = result;
                                goto done;
                            }
                            p = ep + 1;
                            continue;
                        case (byte)'+':
                            s = MaxExpand(ref ms, s + 1, p, ep);
                            goto done;
                        case (byte)'*':
                            s = MaxExpand(ref ms, s, p, ep);
                            goto done;
                        case (byte)'-':
                            s = MinExpand(ref ms, s, p, ep);
                            goto done;
                        default:
                            s++;
                            p = ep;
                            continue;
                    }
                }
            }
        }
    done:
        ms.Depth++;
        return s;
    }

    private static byte* ClassEnd(ref State ms, byte* p)
    {
        switch (*p++)
        {
            case Escape:
                if (p == ms.PatternEnd)
                {
                    throw new PatternException("malformed pattern (ends with '%')");
                }
                return p + 1;
            case (byte)'[':
                if (*p == '^')
                {
                    p++;
                }
                do
                {
                    if (p == ms.PatternEnd)
                    {
                        throw new PatternException("malformed pattern (missing ']')");
                    }
                    if (*p++ == Escape && p < ms.PatternEnd)
                    {
                        p++;
                    }
                }
                while (*p != ']');
                return p + 1;
            default:
                return p;
        }
    }

    private static bool MatchClass(int c, int cl)
    {
        bool result;
        switch (cl | 0x20)
        {
            case 'a': result = char.IsAsciiLetter((char)c); break;
            case 'c': result = c < 32 || c == 127; break;
            case 'd': result = char.IsAsciiDigit((char)c); break;
            case 'g': result = c > 32 && c < 127; break;
            case 'l': result = char.IsAsciiLetterLower((char)c); break;
            case 'p': result = c > 32 && c < 127 && !char.IsAsciiLetterOrDigit((char)c); break;
            case 's': result = c == ' ' || (c >= 9 && c <= 13); break;
            case 'u': result = char.IsAsciiLetterUpper((char)c); break;
            case 'w': result = char.IsAsciiLetterOrDigit((char)c); break;
            case 'x': result = char.IsAsciiHexDigit((char)c); break;
            default: return cl == c;
        }
        return char.IsAsciiLetterUpper((char)cl) ? !result : result;
    }

    private static bool MatchBracketClass(int c, byte* p, byte* ec)
    {
        var sig = true;
        if (p[1] == '^')
        {
            sig = false;
            p++;
        }
        while (++p < ec)
        {
            if (*p == Escape)
            {
                p++;
                if (MatchClass(c, *p))
                {
                    return sig;
                }
            }
            else if (p[1] == '-' && p + 2 < ec)
            {
                p += 2;
                if (p[-2] <= c && c <= *p)
                {
                    return sig;
                }
            }
            else if (*p == c)
            {
                return sig;
            }
        }
        return !sig;
    }

    private static bool SingleMatch(ref State ms, byte* s, byte* p, byte* ep)
    {
        if (s >= ms.SourceEnd)
        {
            return false;
        }
        int c = *s;
        return *p switch
        {
            (byte)'.' => true,
            Escape => MatchClass(c, p[1]),
            (byte)'[' => MatchBracketClass(c, p, ep - 1),
            _ => *p == c,
        };
    }

    private static byte* MatchBalance(ref State ms, byte* s, byte* p)
    {
        if (p >= ms.PatternEnd - 1)
        {
            throw new PatternException("malformed pattern (missing arguments to '%b')");
        }
        if (s >= ms.SourceEnd || *s != *p)
        {
            return null;
        }
        var (open, close, depth) = (*p, p[1], 1);
        while (++s < ms.SourceEnd)
        {
            Step(ref ms);
            if (*s == close)
            {
                if (--depth == 0)
                {
                    return s + 1;
                }
            }
            else if (*s == open)
            {
                depth++;
            }
        }
        return null;
    }

    private static byte* MaxExpand(ref State ms, byte* s, byte* p, byte* ep)
    {
        long i = 0;
        while (SingleMatch(ref ms, s + i, p, ep))
        {
            i++;
            Step(ref ms);
        }
        for (; i >= 0; i--)
        {
            var result = Match(ref ms, s + i, ep + 1);
            if (result != null)
            {
                return result;
            }
        }
        return null;
    }

    private static byte* MinExpand(ref State ms, byte* s, byte* p, byte* ep)
    {
        while (true)
        {
            var result = Match(ref ms, s, ep + 1);
            if (result != null)
            {
                return result;
            }
            if (!SingleMatch(ref ms, s, p, ep))
            {
                return null;
            }
            s++;
        }
    }

    private static byte* StartCapture(ref State ms, byte* s, byte* p, int what)
    {
        if (ms.Level >= MaxCaptures)
        {
            throw new PatternException("too many captures");
        }
        ms.CaptureInit[ms.Level] = s - ms.SourceInit;
        ms.CaptureLength[ms.Level] = what;
        ms.Level++;
        var result = Match(ref ms, s, p);
        if (result == null)
        {
            ms.Level--;
        }
        return result;
    }

    private static byte* EndCapture(ref State ms, byte* s, byte* p)
    {
        var l = ms.Level - 1;
        while (l >= 0 && ms.CaptureLength[l] != CapUnfinished)
        {
            l--;
        }
        if (l < 0)
        {
            throw new PatternException("invalid pattern capture");
        }
        ms.CaptureLength[l] = s - (ms.SourceInit + ms.CaptureInit[l]);
        var result = Match(ref ms, s, p);
        if (result == null)
        {
            ms.CaptureLength[l] = CapUnfinished;
        }
        return result;
    }

    private static byte* MatchCapture(ref State ms, byte* s, int digit)
    {
        var l = digit - '1';
        if (l < 0 || l >= ms.Level || ms.CaptureLength[l] == CapUnfinished)
        {
            throw new PatternException($"invalid capture index %{l + 1}");
        }
        var length = ms.CaptureLength[l];
        if (length >= 0 && ms.SourceEnd - s >= length
            && new ReadOnlySpan<byte>(ms.SourceInit + ms.CaptureInit[l], (int)length).SequenceEqual(new ReadOnlySpan<byte>(s, (int)length)))
        {
            return s + length;
        }
        return null;
    }
}

namespace Mirage.Tests.Apps;

/// <summary>
/// string.find, match, gmatch and gsub run on Mirage's port of Lua's matcher (so the time limit reaches them): the
/// results are Lua's, case by case, for captures, anchors, frontiers, balances, back-references and replacements.
/// </summary>
public sealed class PatternApps : IAppSet
{
    public static void Write(AppFolder folder) => folder.Write("pt/app.lua", """
        local app = framework()
        local failures = {}
        local function check(name, got, want)
          if got ~= want then failures[#failures + 1] = name .. ": got " .. tostring(got) .. ", want " .. tostring(want) end
        end
        app:get("/patterns", function(ctx)
          check("find1", select(1, ("hello world"):find("o w")), 5)
          local a, b = ("hello world"):find("l+"); check("find2", a .. "-" .. b, "3-4")
          local a2, b2, c2 = ("key = value"):find("(%w+)%s*=%s*(%w+)"); check("find3", a2 .. b2 .. c2, "111key")
          check("match1", ("key = value"):match("(%w+)%s*=%s*(%w+)"), "key")
          check("match2", ("2024-01-05"):match("^(%d+)-"), "2024")
          check("match3", ("abc"):match(".-$"), "abc")
          check("match4", ("  x  "):match("^%s*(.-)%s*$"), "x")
          check("match5", ("hello"):match("()ll()"), 3)
          check("match6", ("THE (quick) fox"):match("%((%a+)%)"), "quick")
          check("match7", ("f(a(b)c)d"):match("%b()"), "(a(b)c)")
          check("match8", ("THE (quick) fox"):find("%f[%a]%a+%f[%A]", 5), 6)
          check("match9", ("aXb"):match("%u"), "X")
          check("match10", ("abcabc"):match("(abc)%1"), "abc")
          check("match11", ("x"):match("^$"), nil)
          local t = {} for w in ("one two  three"):gmatch("%a+") do t[#t+1] = w end; check("gmatch", table.concat(t, ","), "one,two,three")
          local k = {} for a, b in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do k[#k+1] = a .. b end; check("gmatch2", table.concat(k, ","), "a1,b2")
          local e = {} for x in ("abc"):gmatch("") do e[#e+1] = "." end; check("gmatch3", #e, 4)
          check("gsub1", (("hello world"):gsub("o", "0")), "hell0 w0rld")
          check("gsub2", select(2, ("hello world"):gsub("o", "0")), 2)
          check("gsub3", (("hello world"):gsub("(%w+)", "<%1>")), "<hello> <world>")
          check("gsub4", (("hello"):gsub("", "-")), "-h-e-l-l-o-")
          check("gsub5", (("$name is $age"):gsub("%$(%w+)", { name = "Bob", age = 3 })), "Bob is 3")
          check("gsub6", (("abc"):gsub("%w", function(c) return c:upper() .. "." end)), "A.B.C.")
          check("gsub7", (("abc"):gsub("^a", "X")), "Xbc")
          check("gsub8", (("hello world"):gsub("o", "0", 1)), "hell0 world")
          check("gsub9", (("abc"):gsub("b", "%%")), "a%c")
          check("gsub10", (("abc"):gsub("(b)", "%0%0")), "abbc")
          check("gsub11", (("x = 1"):gsub("%s*=%s*", "=")), "x=1")
          local ok, err = pcall(string.find, "x", "[a"); check("err1", ok, false)
          local ok2, err2 = pcall(string.gsub, "x", "(x", "y"); check("err2", ok2, false)
          check("plain", ("a.b"):find(".", 1, true), 2)
          check("trim", str.trim("  hi  "), "hi")
          check("split", table.concat(str.split("a, b,c", ","), "|"), "a| b|c")
          if #failures == 0 then return "all ok" end
          return table.concat(failures, "\n")
        end)
        """);
}

public sealed class PatternTestsOnSqlite(AppsSqliteServer<PatternApps> server) : IClassFixture<AppsSqliteServer<PatternApps>>
{
    [Fact]
    public async Task Patterns_give_the_results_of_Luas_own_matcher()
    {
        Assert.Equal("all ok", (await Browser.Open((IAppsServer)server).GetAsync("/patterns")).Body);
    }
}

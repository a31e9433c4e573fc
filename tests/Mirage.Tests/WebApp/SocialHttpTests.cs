using System.Net;
using Mirage.Tests.Infrastructure;

namespace Mirage.Tests.WebApp;

public sealed class SocialHttpTestsOnSqlite(WebAppSqliteServer server) : SocialHttpTests(server), IClassFixture<WebAppSqliteServer>;

public sealed class SocialHttpTestsOnPostgres(WebAppPostgresServer server) : SocialHttpTests(server), IClassFixture<WebAppPostgresServer>;

/// <summary>Home, posts, votes, replies, hashtags, profiles, follows and settings of the default web app.</summary>
public abstract class SocialHttpTests(MirageServer server)
{
    private WebVisitor Visitor() => WebVisitor.For(server);

    private static async Task<string> PostAsync(WebVisitor author, string content)
    {
        var home = await author.SubmitAsync("/posts", ("content", content), ("return_to", "/"));
        Assert.Contains("Your post was published.", home.Html);
        var mine = await author.GetAsync("/u/" + await MeAsync(author));
        return WebVisitor.Find(mine, "id=\"post_([0-9]+)\"");
    }

    private static async Task<string> MeAsync(WebVisitor visitor) =>
        WebVisitor.Find(await visitor.GetAsync("/settings"), "Signed in as <strong>@([A-Za-z0-9_]+)</strong>");

    [Fact]
    public async Task A_new_post_is_first_on_the_page_it_was_written_on_though_the_feed_is_cached()
    {
        using var author = Visitor();
        await author.SignUpAsync("fresh");
        await author.GetAsync("/"); // the For-You pools are now cached, without the post to come
        var content = "brand new " + Guid.NewGuid().ToString("N")[..8];
        var posted = await author.PostAsync("/posts", ("content", content), ("return_to", "/"));
        Assert.Equal(HttpStatusCode.SeeOther, posted.Status);
        Assert.Matches(@"^/\?posted=[0-9]+$", posted.Location);
        var home = await author.GetAsync(posted.Location!);
        var first = home.Html.IndexOf("class=\"post-content", StringComparison.Ordinal);
        Assert.True(first > 0, "no post on the page");
        Assert.Contains(content, home.Html[first..(first + 400)], StringComparison.Ordinal);
        Assert.Contains("Your post was published.", home.Html);

        var following = await author.PostAsync("/posts", ("content", content + " again"), ("return_to", "/?tab=following#top"));
        Assert.Matches(@"^/\?tab=following&posted=[0-9]+$", following.Location);
    }

    [Fact]
    public async Task A_post_shows_on_home_its_page_its_tag_page_and_the_trending_list()
    {
        using var author = Visitor();
        var name = await author.SignUpAsync("poster");
        var tag = "tag" + Guid.NewGuid().ToString("N")[..8];
        var id = await PostAsync(author, $"Hello **world** #{tag.ToUpperInvariant()} @{name}");

        var home = await author.GetAsync("/?tab=following"); // one's own posts are in the home feed
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Contains("id=\"post_" + id + "\"", home.Html);
        Assert.Contains("<strong>world</strong>", home.Html);
        Assert.Equal(HttpStatusCode.OK, (await author.GetAsync("/")).Status);

        var post = await author.GetAsync("/posts/" + id);
        Assert.Equal(HttpStatusCode.OK, post.Status);
        Assert.Contains("href=\"/tags/" + tag, post.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("href=\"/u/" + name + "\"", post.Html);
        Assert.Contains("No replies yet", post.Html);
        Assert.DoesNotContain("/posts/" + id + "/vote", post.Html); // not on one's own post

        var tagPage = await author.GetAsync("/tags/" + tag.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.OK, tagPage.Status);
        Assert.Contains("<h1>#" + tag + "</h1>", tagPage.Html);
        Assert.Contains("id=\"post_" + id + "\"", tagPage.Html);
        Assert.Contains("href=\"/tags/" + tag + "\"", home.Html); // trending beside the feed

        var empty = await author.GetAsync("/tags/nothing" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Contains("Nothing tagged #", empty.Html);
    }

    [Fact]
    public async Task Empty_posts_and_replies_are_refused_with_a_flash()
    {
        using var author = Visitor();
        await author.SignUpAsync("blank");
        var refused = await author.SubmitAsync("/posts", ("content", "   "), ("return_to", "/?tab=following"));
        Assert.Contains("Write something first.", refused.Html);
        var id = await PostAsync(author, "something");
        var reply = await author.PostAsync($"/posts/{id}/replies", ("content", " "));
        Assert.Equal(HttpStatusCode.SeeOther, reply.Status);
        Assert.Equal($"/posts/{id}#replies", reply.Location);
        Assert.Contains("Write a reply first.", (await author.GetAsync($"/posts/{id}")).Html);
        var tooLong = await author.SubmitAsync("/posts", ("content", new string('x', 513)));
        Assert.Contains("flash-error", tooLong.Html);
    }

    [Fact]
    public async Task Votes_switch_and_withdraw_and_replies_notify_the_author()
    {
        using var author = Visitor();
        using var reader = Visitor();
        await author.SignUpAsync("voted");
        await reader.SignUpAsync("voter");
        var id = await PostAsync(author, "vote on me");

        var up = await reader.PostAsync($"/posts/{id}/vote", ("direction", "up"), ("return_to", $"/posts/{id}"));
        Assert.Equal(HttpStatusCode.SeeOther, up.Status);
        Assert.Equal($"/posts/{id}", up.Location);
        var page = await reader.GetAsync($"/posts/{id}");
        Assert.Contains("/posts/" + id + "/vote", page.Html);
        Assert.Contains("Upvote</span> 1", page.Html);
        await reader.PostAsync($"/posts/{id}/vote", ("direction", "down"));
        page = await reader.GetAsync($"/posts/{id}");
        Assert.Contains("Upvote</span> 0", page.Html);
        Assert.Contains("Downvote</span> 1", page.Html);
        await reader.PostAsync($"/posts/{id}/vote", ("direction", "none"));
        Assert.Contains("Downvote</span> 0", (await reader.GetAsync($"/posts/{id}")).Html);
        var bad = await reader.SubmitAsync($"/posts/{id}/vote", ("direction", "sideways"));
        Assert.Contains("You can only upvote or downvote.", bad.Html);

        var own = await author.SubmitAsync($"/posts/{id}/vote", ("direction", "up"), ("return_to", $"/posts/{id}"));
        Assert.Contains("flash-error", own.Html);

        var replied = await reader.SubmitAsync($"/posts/{id}/replies", ("content", "a *fine* reply"));
        Assert.Contains("Reply posted.", replied.Html);
        Assert.Contains("<em>fine</em>", replied.Html);
        Assert.Contains("1 reply", replied.Html);

        var notifications = await author.GetAsync("/notifications");
        Assert.Contains($"href=\"/posts/{id}\"", notifications.Html);
        Assert.Contains("Mark read", notifications.Html);
    }

    [Fact]
    public async Task Following_shows_posts_in_the_following_tab_and_on_the_profile()
    {
        using var author = Visitor();
        using var fan = Visitor();
        var authorName = await author.SignUpAsync("followed");
        var fanName = await fan.SignUpAsync("fan");
        await PostAsync(author, "for my followers");

        var before = await fan.GetAsync("/?tab=following");
        Assert.DoesNotContain("for my followers", before.Html);
        Assert.Contains("Follow people to see their posts here", before.Html);

        var profile = await fan.GetAsync("/u/" + authorName);
        Assert.Contains($"action=\"/u/{authorName}/follow\"", profile.Html);
        var followed = await fan.PostAsync($"/u/{authorName}/follow");
        Assert.Equal(HttpStatusCode.SeeOther, followed.Status);
        Assert.Equal("/u/" + authorName, followed.Location);
        profile = await fan.GetAsync(followed.Location!);
        Assert.Contains($"You follow @{authorName}.", profile.Html);
        Assert.Contains($"action=\"/u/{authorName}/unfollow\"", profile.Html);
        Assert.Contains("<strong>1</strong> followers", profile.Html);

        Assert.Contains("for my followers", (await fan.GetAsync("/?tab=following")).Html);
        Assert.Contains("@" + fanName, (await fan.GetAsync($"/u/{authorName}/followers")).Html);
        Assert.Contains("@" + authorName, (await fan.GetAsync($"/u/{fanName}/following")).Html);
        Assert.Contains("Nobody follows @" + fanName, (await fan.GetAsync($"/u/{fanName}/followers")).Html);

        var capitals = await fan.GetAsync("/u/" + authorName.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.Redirect, capitals.Status);
        Assert.Equal("/u/" + authorName, capitals.Location);

        var unfollowed = await fan.SubmitAsync($"/u/{authorName}/unfollow");
        Assert.Contains($"You no longer follow @{authorName}.", unfollowed.Html);
        var notifications = await author.GetAsync("/notifications");
        Assert.Contains(fanName, notifications.Html);
        var link = WebVisitor.Find(notifications, "class=\"notif-title\" href=\"(/u/[^\"]+)\"");
        var target = await author.GetAsync(link);
        Assert.True(target.Status == HttpStatusCode.OK || target.Location == "/u/" + fanName, $"{link}: {(int)target.Status} {target.Location}");
    }

    [Fact]
    public async Task Settings_change_the_profile_and_the_account_needs_the_current_password()
    {
        using var person = Visitor();
        var name = await person.SignUpAsync("settings");
        var settings = await person.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, settings.Status);
        Assert.Contains("<label for=\"s-bio\">Bio</label>", settings.Html);
        Assert.DoesNotContain("default-avatar.svg\"", WebVisitor.Find(settings, "(<input id=\"s-avatar\"[^>]*>)"));

        var saved = await person.SubmitAsync("/settings/profile", ("first_name", "Ada"), ("last_name", "Lovelace"), ("description", "I *compute*"),
            ("avatar_url", ""), ("background_image", ""), ("custom_css", ".profile-card { color: red }"));
        Assert.Contains("Profile updated.", saved.Html);
        var profile = await person.GetAsync("/u/" + name);
        Assert.Contains("<h1>Ada Lovelace</h1>", profile.Html);
        Assert.Contains("<em>compute</em>", profile.Html);
        Assert.Contains($"href=\"/u/{name}/style.css\"", profile.Html);
        var css = await person.Http.GetAsync($"/u/{name}/style.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".profile-custom", await css.Content.ReadAsStringAsync());

        var nothing = await person.SubmitAsync("/settings/account", ("email", name + "@example.com"), ("new_password", ""), ("current_password", ""));
        Assert.Contains("Nothing to change.", nothing.Html);
        var refused = await person.SubmitAsync("/settings/account", ("email", "new" + name + "@example.com"), ("current_password", "wrong password"));
        Assert.Contains("flash-error", refused.Html);
        Assert.Contains("value=\"" + name + "@example.com\"", refused.Html);
        var changed = await person.SubmitAsync("/settings/account", ("email", "new" + name + "@example.com"), ("new_password", "a new password"),
            ("current_password", WebVisitor.Password));
        Assert.Contains("Account updated.", changed.Html);
        Assert.Contains("value=\"new" + name + "@example.com\"", changed.Html);

        await person.SubmitAsync("/logout");
        await person.LogInAsync(name, "a new password");
    }
}

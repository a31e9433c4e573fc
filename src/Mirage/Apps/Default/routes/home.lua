local util = require("lib.util")

return function(app)
  local members = util.members(app)
  app:get("/", function(ctx)
    if not env.is_user then
      return ctx:render("welcome", { title = "Welcome", trending = api.posts.trending() })
    end
    local following = req.query.tab == "following"
    local posts, next_cursor, trending
    if following then
      local page = api.posts.feed({ cursor = req.query.cursor, limit = 20 })
      posts, next_cursor = page.posts, page.next_cursor
      trending = api.posts.trending()
    else
      local fyp = api.posts.fyp()
      posts, trending = fyp.posts, fyp.trending
    end
    -- Just posted: the visitor's new post first, whatever the feed sampled.
    local posted = tonumber(req.query.posted)
    if posted and not req.query.cursor then
      for i, p in ipairs(posts) do
        if p.id == posted then table.remove(posts, i) break end
      end
      local mine = api.posts.get(posted)
      if mine and mine.author.id == env.user.id then table.insert(posts, 1, mine) end
    end
    return ctx:render("home", {
      title = "Home", nav = "home", following = following, posts = util.with_votes(util.named(posts)), next_cursor = next_cursor,
      trending = trending, rooms = api.rooms.joined({ limit = 5 }).rooms,
    })
  end)

  members:get("/tags/:tag", function(ctx)
    local tag = ctx.params.tag:lower()
    local page = api.posts.by_tag(tag, { cursor = req.query.cursor })
    return ctx:render("tag", {
      title = "#" .. tag, nav = "home", tag = tag, posts = util.with_votes(util.named(page.posts)), next_cursor = page.next_cursor,
      trending = api.posts.trending(),
    })
  end)
end

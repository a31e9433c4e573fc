local util = require("lib.util")

return function(app)
  local members = util.members(app)
  members:post("/posts", function(ctx)
    local content = str.trim(req.post.content or "")
    if content == "" then
      ctx:flash("error", "Write something first.")
      return util.back(ctx, "/")
    end
    local ok, post = util.try(ctx, api.posts.create, content)
    if not ok then return util.back(ctx, "/") end
    ctx:flash("success", "Your post was published.")
    -- Feeds are sampled and cached for a few seconds: the page names the new post so it shows at once.
    local to = util.is_local(req.post.return_to) and req.post.return_to or "/"
    to = to:gsub("#.*$", "")
    return ctx:redirect(to .. (to:find("?", 1, true) and "&" or "?") .. "posted=" .. post.id)
  end)

  members:get("/posts/:id", function(ctx)
    local post = api.posts.get(ctx.params.id)
    if not post then return ctx:error("That post does not exist (or was deleted).", 404) end
    post.author.name = util.name(post.author)
    util.with_votes({ post })
    local replies = api.posts.replies(post.id, { cursor = req.query.cursor, limit = 50 })
    return ctx:render("post", {
      title = "Post by " .. post.author.name, nav = "home", post = post, mine = post.author.id == env.user.id,
      replies = util.named(replies.replies), next_cursor = replies.next_cursor,
    })
  end)

  -- Up, down, or the same again to withdraw (the buttons send the vote they would cast).
  members:post("/posts/:id/vote", function(ctx)
    local direction = req.post.direction
    if direction ~= "up" and direction ~= "down" and direction ~= "none" then
      ctx:flash("error", "You can only upvote or downvote.")
      return util.back(ctx, "/posts/" .. ctx.params.id)
    end
    util.try(ctx, api.posts.vote, ctx.params.id, direction)
    return util.back(ctx, "/posts/" .. ctx.params.id)
  end)

  members:post("/posts/:id/replies", function(ctx)
    local content = str.trim(req.post.content or "")
    if content == "" then
      ctx:flash("error", "Write a reply first.")
    elseif util.try(ctx, api.posts.reply, ctx.params.id, content) then
      ctx:flash("success", "Reply posted.")
    end
    return ctx:redirect("/posts/" .. ctx.params.id .. "#replies")
  end)
end

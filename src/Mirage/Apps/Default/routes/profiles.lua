local util = require("lib.util")

local function profile_data(ctx, tab)
  local user = api.users.get(ctx.params.username)
  if not user then return nil end
  user.name = util.name(user)
  local mine = env.is_user and env.user.id == user.id
  return {
    title = user.name .. " (@" .. user.username .. ")", user = user, mine = mine, tab = tab,
    following = env.is_user and not mine and api.users.is_following(user.username),
    head_css = (user.custom_css ~= nil and str.trim(user.custom_css) ~= "") and ("/u/" .. user.username .. "/style.css") or nil,
  }
end

return function(app)
  local members = util.members(app)
  members:get("/u/:username", function(ctx)
    local data = profile_data(ctx, "posts")
    if not data then return ctx:error("There is no user with that name.", 404) end
    if data.user.username ~= ctx.params.username then return ctx:redirect("/u/" .. data.user.username) end
    local page = api.posts.list(data.user.username, { cursor = req.query.cursor })
    data.posts, data.next_cursor = util.with_votes(util.named(page.posts)), page.next_cursor
    return ctx:render("profile", data)
  end)

  for _, tab in ipairs({ "followers", "following" }) do
    members:get("/u/:username/" .. tab, function(ctx)
      local data = profile_data(ctx, tab)
      if not data then return ctx:error("There is no user with that name.", 404) end
      data.people = api.users[tab](data.user.username, 200)
      return ctx:render("profile", data)
    end)
  end

  -- The user's own CSS, every rule scoped to their profile card and nothing that loads another resource.
  app:get("/u/:username/style.css", function(ctx)
    local user = api.users.get(ctx.params.username)
    ctx:header("Content-Type", "text/css; charset=utf-8")
    if not user or not user.custom_css then return "" end
    return str.scoped_css(user.custom_css, ".profile-custom")
  end)

  for _, action in ipairs({ "follow", "unfollow" }) do
    members:post("/u/:username/" .. action, function(ctx)
      if util.try(ctx, api.users[action], ctx.params.username) then
        ctx:flash("success", (action == "follow" and "You follow @" or "You no longer follow @") .. ctx.params.username .. ".")
      end
      return util.back(ctx, "/u/" .. ctx.params.username)
    end)
  end
end

local util = require("lib.util")

-- Where a notification points: its chat, post or person.
local function link(n)
  local data = n.data or {}
  if n.type == "new_message" and data.chat_id then return "/messages/c/" .. data.chat_id end
  if (n.type == "reply" or n.type == "mention") and data.post_id then return "/posts/" .. data.post_id end
  if n.type == "follow" and data.follower_id then return "/u/" .. data.follower_id end
  return "/notifications"
end

return function(app)
  local members = util.members(app)
  members:get("/notifications", function(ctx)
    local page = api.notifications.list({ limit = 50, cursor = req.query.cursor })
    for _, n in ipairs(page.notifications) do n.link = link(n) end
    return ctx:render("notifications", {
      title = "Notifications", nav = "notifications", notifications = page.notifications, unread_count = page.unread_count,
      next_cursor = page.next_cursor,
    })
  end)

  members:post("/notifications/read-all", function(ctx)
    api.notifications.read_all()
    ctx:flash("success", "All caught up.")
    return ctx:redirect("/notifications")
  end)

  for _, action in ipairs({ "read", "dismiss" }) do
    members:post("/notifications/:id/" .. action, function(ctx)
      util.try(ctx, api.notifications[action], ctx.params.id)
      return util.back(ctx, "/notifications")
    end)
  end
end

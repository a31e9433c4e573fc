-- Mirage's default web app: every page of the site, written on the public Lua API only (docs/apps.md), so it is
-- also the example operators copy. An operator overrides one template by shipping templates/NAME.liquid in their
-- own app, or one route by registering the same path.
local app = framework()

-- Seed 002's before-hook pattern: the navigation's unread badges on every page.
app:on("before", function(ctx)
  -- This page's path with its query (e.g. "/?tab=following"): where a form on it comes back to.
  local keys = {}
  for k in pairs(req.query) do keys[#keys + 1] = k end
  table.sort(keys)
  local query = {}
  for _, k in ipairs(keys) do query[#query + 1] = str.url_encode(k) .. "=" .. str.url_encode(req.query[k]) end
  ctx.here = #query > 0 and (req.path .. "?" .. table.concat(query, "&")) or req.path
  if env.is_user then
    ctx.unread = api.messages.unread()
    ctx.notifications_unread = api.notifications.unread()
  else
    ctx.unread = 0
    ctx.notifications_unread = 0
  end
end)

require("routes.auth")(app)
require("routes.home")(app)
require("routes.posts")(app)
require("routes.profiles")(app)
require("routes.rooms")(app)
require("routes.messages")(app)
require("routes.notifications")(app)
require("routes.settings")(app)

local util = require("lib.util")

local function blank_to_nil(value)
  if value == nil then return nil end
  return value
end

return function(app)
  local members = util.members(app)
  members:get("/settings", function(ctx)
    local profile = api.users.me()
    -- The API fills in the site's default avatar; the form shows only an avatar the person chose.
    if type(profile.avatar_url) == "string" and profile.avatar_url:find("/static/default-avatar.svg", 1, true) then
      profile.avatar_url = nil
    end
    return ctx:render("settings", { title = "Settings", nav = "settings", profile = profile })
  end)

  members:post("/settings/profile", function(ctx)
    local p = req.post
    local ok = util.try(ctx, api.users.update, {
      first_name = blank_to_nil(p.first_name), last_name = blank_to_nil(p.last_name), description = blank_to_nil(p.description),
      avatar_url = blank_to_nil(p.avatar_url), background_image = blank_to_nil(p.background_image), custom_css = blank_to_nil(p.custom_css),
    })
    if ok then ctx:flash("success", "Profile updated.") end
    return ctx:redirect("/settings")
  end)

  members:post("/settings/account", function(ctx)
    local p = req.post
    local fields = { current_password = p.current_password }
    local me = api.users.me()
    if p.email and str.trim(p.email) ~= "" and str.trim(p.email) ~= me.email then fields.email = str.trim(p.email) end
    if p.new_password and p.new_password ~= "" then fields.password = p.new_password end
    if not fields.email and not fields.password then
      ctx:flash("info", "Nothing to change.")
      return ctx:redirect("/settings")
    end
    if util.try(ctx, api.users.update, fields) then ctx:flash("success", "Account updated.") end
    return ctx:redirect("/settings")
  end)
end

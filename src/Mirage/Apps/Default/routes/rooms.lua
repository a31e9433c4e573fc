local util = require("lib.util")

local function initial(name)
  return (name:match("[%w]") or "#"):upper()
end

local function decorate(room)
  room.initial = initial(room.name)
  room.mine = env.is_user and room.owner_id == env.user.id
  return room
end

return function(app)
  local members = util.members(app)
  members:get("/rooms", function(ctx)
    local page = api.rooms.list({ cursor = req.query.cursor, limit = 50 })
    for _, room in ipairs(page.rooms) do decorate(room) end
    return ctx:render("rooms", { title = "Rooms", nav = "rooms", rooms = page.rooms, next_cursor = page.next_cursor })
  end)

  members:post("/rooms", function(ctx)
    local private = req.post.is_private == "1" or req.post.is_private == "on"
    local ok, room = util.try(ctx, api.rooms.create, { name = str.trim(req.post.name or ""), is_private = private, password = req.post.password })
    if not ok then return ctx:redirect("/rooms") end
    ctx:flash("success", "Room \"" .. room.name .. "\" created.")
    return ctx:redirect("/rooms/" .. room.id)
  end)

  members:get("/rooms/:id", function(ctx)
    local room = api.rooms.get(ctx.params.id)
    -- A private room is hidden from non-members exactly like a missing one: offer its password prompt (the owner
    -- shares the link and the password), without telling whether the room exists.
    if not room then
      return ctx:render("room_join", { title = "Join a private room", nav = "rooms", room_id = ctx.params.id }, 404)
    end
    decorate(room)
    if not room.joined then
      return ctx:render("room_join", { title = "Join " .. room.name, nav = "rooms", room = room })
    end
    local page = api.rooms.messages(room.id, { limit = 100, cursor = req.query.cursor })
    -- A message that is just one http(s) URL (an upload posts its file's URL) is shown as a link, as app.js does live.
    for _, m in ipairs(page.messages) do
      if type(m.content) == "string" and m.content:match("^https?://%S+$") then m.link = m.content end
    end
    return ctx:render("room", { title = room.name, nav = "rooms", room = room, messages = util.named(page.messages), next_cursor = page.next_cursor })
  end)

  -- A private room by its name and password (private rooms are not listed to non-members).
  members:post("/rooms/join", function(ctx)
    local name, password = str.trim(req.post.name or ""), req.post.password
    if name == "" then
      ctx:flash("error", "Type the room's name.")
      return ctx:redirect("/rooms")
    end
    if password == "" then password = nil end
    local ok, room = util.try(ctx, api.rooms.join, name, password)
    if not ok then return ctx:redirect("/rooms") end
    ctx:flash("success", "Welcome to " .. room.name .. ".")
    return ctx:redirect("/rooms/" .. room.id)
  end)

  members:post("/rooms/:id/join", function(ctx)
    local password = req.post.password
    if password == "" then password = nil end
    local ok, room = util.try(ctx, api.rooms.join, ctx.params.id, password)
    if ok then ctx:flash("success", "Welcome to " .. room.name .. ".") end
    return ctx:redirect("/rooms/" .. ctx.params.id)
  end)

  members:post("/rooms/:id/messages", function(ctx)
    local content = str.trim(req.post.content or "")
    if content == "" then
      ctx:flash("error", "Write a message first.")
    else
      local ok = util.try(ctx, api.rooms.send, ctx.params.id, content)
      if ok and util.fetched() then return ctx:json({ ok = true }, 201) end
    end
    return ctx:redirect("/rooms/" .. ctx.params.id)
  end)

  members:post("/rooms/:id/files", function(ctx)
    if not req.files.file then
      ctx:flash("error", "Choose a file to share.")
      return ctx:redirect("/rooms/" .. ctx.params.id)
    end
    local ok, result = util.try(ctx, api.rooms.upload, ctx.params.id, req.files.file)
    if ok then ctx:flash("success", "Shared " .. result.file.name .. ".") end
    if util.fetched() then
      if ok then return ctx:json({ ok = true, url = result.file.url }, 201) end
      return ctx:json({ ok = false }, 400)
    end
    return ctx:redirect("/rooms/" .. ctx.params.id)
  end)

  members:get("/rooms/:id/members", function(ctx)
    local room = api.rooms.get(ctx.params.id)
    if not room then return ctx:error("That room does not exist.", 404) end
    decorate(room)
    local members = api.rooms.members(room.id)
    for _, m in ipairs(members) do m.name = util.name(m) end
    return ctx:render("room_members", { title = "Members of " .. room.name, nav = "rooms", room = room, members = members })
  end)

  members:post("/rooms/:id/leave", function(ctx)
    if util.try(ctx, api.rooms.leave, ctx.params.id) then ctx:flash("info", "You left the room.") end
    return ctx:redirect("/rooms")
  end)

  members:post("/rooms/:id/delete", function(ctx)
    if util.try(ctx, api.rooms.delete, ctx.params.id) then
      ctx:flash("info", "The room was deleted.")
      return ctx:redirect("/rooms")
    end
    return ctx:redirect("/rooms/" .. ctx.params.id)
  end)
end

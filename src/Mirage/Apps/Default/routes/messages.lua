-- Seed 002's messages pages (api.messages: conversations, chat, send, edit, delete), and groups (api.chats).
local util = require("lib.util")

local SHOWN = 30

local function group_rows()
  local groups = api.chats.list({ limit = 50, type = "group" }).chats
  for _, chat in ipairs(groups) do
    local names = {}
    for _, p in ipairs(chat.chat_participants) do
      if p.user_id ~= env.user.id and p.profiles then names[#names + 1] = util.name(p.profiles) end
    end
    chat.title = chat.name or table.concat(names, ", ")
  end
  return groups
end

return function(app)
  local members = util.members(app)
  members:get("/messages", function(ctx)
    -- The latest conversations first; everyone's only on request (a person may have hundreds).
    local all = req.query.all == "1"
    local conversations = api.messages.conversations(not all and SHOWN or nil)
    for _, c in ipairs(conversations) do
      c.user.name = util.name(c.user)
      if c.last_message then c.last_message.mine = c.last_message.user_id == env.user.id end
    end
    return ctx:render("messages", {
      title = "Messages", nav = "messages", conversations = conversations, groups = group_rows(), unread_count = ctx.unread,
      more = not all and #conversations == SHOWN,
    })
  end)

  members:post("/messages/new", function(ctx)
    local who = str.trim(req.post.username or req.post.recipient or "")
    local user = who ~= "" and api.users.get(who) or nil
    if not user then
      ctx:flash("error", "There is no user called \"" .. who .. "\".")
      return ctx:redirect("/messages")
    end
    local content = str.trim(req.post.message or req.post.content or "")
    if content ~= "" and not util.try(ctx, api.messages.send, user.id, content) then
      return ctx:redirect("/messages")
    end
    return ctx:redirect("/messages/" .. user.id)
  end)

  members:post("/messages/groups", function(ctx)
    local names = {}
    for _, name in ipairs(str.split(req.post.usernames or "", ",")) do
      name = str.trim(name)
      if name ~= "" then names[#names + 1] = name end
    end
    if #names == 0 then
      ctx:flash("error", "Add at least one member.")
      return ctx:redirect("/messages")
    end
    local name = str.trim(req.post.name or "")
    local ok, created = util.try(ctx, api.chats.create, names, name ~= "" and name or nil, "group")
    if not ok then return ctx:redirect("/messages") end
    return ctx:redirect("/messages/c/" .. created.chat.id)
  end)

  -- Seed 002: the chat with one user, by id.
  members:get("/messages/:userid", function(ctx)
    local other = api.users.get(ctx.params.userid)
    if not other then return ctx:error("There is no such user.", 404) end
    if other.id == env.user.id then return ctx:redirect("/messages") end
    other.name = util.name(other)
    local page = tonumber(req.query.page) or 1
    local chat = api.messages.chat(other.id, page, 50)
    local chat_id = chat.items[1] and chat.items[1].chat_id
    -- Reading is a write: only when something is unread (the before hook counted this chat's messages too).
    if chat_id and page == 1 and ctx.unread > 0 then
      api.chats.read(chat_id)
      ctx.unread = api.messages.unread()
    end
    for _, m in ipairs(chat.items) do m.mine = m.user_id == env.user.id end
    return ctx:render("chat", {
      title = other.name, nav = "messages", other = other, messages = chat.items, total = chat.total, chat_id = chat_id,
      post_url = "/messages/" .. other.id, older = chat.total > page * 50 and page + 1 or nil, is_group = false,
      user_names = util.user_names({ other }),
    })
  end)

  app:post("/messages/:userid", function(ctx)
    if not env.is_user then return ctx:error("Login required", 401) end
    local content = req.post.message or req.post.content
    if not content or str.trim(content) == "" then
      ctx:flash("error", "Message cannot be empty")
      return ctx:redirect("/messages/" .. ctx.params.userid)
    end
    local ok = util.try(ctx, api.messages.send, ctx.params.userid, content)
    if util.fetched() and ok then return ctx:json({ ok = true }, 201) end
    return ctx:redirect("/messages/" .. ctx.params.userid)
  end, { csrf = true })

  -- Any chat by its id: groups live here; a DM goes to its seed 002 page.
  members:get("/messages/c/:chat", function(ctx)
    local chat = api.chats.get(ctx.params.chat)
    if not chat then return ctx:error("That conversation does not exist, or you are not in it.", 404) end
    if chat.type == "dm" then
      for _, p in ipairs(chat.chat_participants) do
        if p.user_id ~= env.user.id then return ctx:redirect("/messages/" .. p.user_id) end
      end
    end
    local page = api.chats.messages(chat.id, { limit = 50, cursor = req.query.cursor })
    util.named(page.messages)
    for _, m in ipairs(page.messages) do m.mine = m.user_id == env.user.id end
    if ctx.unread > 0 then
      api.chats.read(chat.id)
      ctx.unread = api.messages.unread()
    end
    local members = {}
    for _, p in ipairs(chat.chat_participants) do
      if p.profiles then p.profiles.name = util.name(p.profiles); members[#members + 1] = p.profiles end
    end
    return ctx:render("chat", {
      title = chat.name or "Group", nav = "messages", chat = chat, members = members, messages = page.messages,
      chat_id = chat.id, post_url = "/messages/c/" .. chat.id, next_cursor = page.next_cursor, is_group = true,
      user_names = util.user_names(members),
    })
  end)

  members:post("/messages/c/:chat", function(ctx)
    local content = str.trim(req.post.content or "")
    if content == "" then
      ctx:flash("error", "Message cannot be empty")
    else
      local ok = util.try(ctx, api.chats.send, ctx.params.chat, content)
      if util.fetched() and ok then return ctx:json({ ok = true }, 201) end
    end
    return ctx:redirect("/messages/c/" .. ctx.params.chat)
  end)

  app:post("/messages/c/:chat/typing", function(ctx)
    if not env.is_user then return ctx:json({ ok = false }, 401) end
    pcall(api.chats.typing, ctx.params.chat)
    return ctx:json({ ok = true })
  end)

  app:post("/messages/c/:chat/read", function(ctx)
    if not env.is_user then return ctx:json({ ok = false }, 401) end
    pcall(api.chats.read, ctx.params.chat)
    return ctx:json({ ok = true })
  end)

  members:post("/messages/c/:chat/rename", function(ctx)
    if util.try(ctx, api.chats.rename, ctx.params.chat, str.trim(req.post.name or "")) then ctx:flash("success", "Group renamed.") end
    return ctx:redirect("/messages/c/" .. ctx.params.chat)
  end)

  members:post("/messages/c/:chat/invite", function(ctx)
    local who = str.trim(req.post.username or "")
    local user = who ~= "" and api.users.get(who) or nil
    if not user then
      ctx:flash("error", "There is no user called \"" .. who .. "\".")
    elseif util.try(ctx, api.chats.invite, ctx.params.chat, user.id) then
      ctx:flash("success", "@" .. user.username .. " was added to the group.")
    end
    return ctx:redirect("/messages/c/" .. ctx.params.chat)
  end)

  for _, action in ipairs({ "archive", "unarchive" }) do
    members:post("/messages/c/:chat/" .. action, function(ctx)
      if util.try(ctx, api.chats[action], ctx.params.chat) then
        ctx:flash("info", action == "archive" and "Conversation archived." or "Conversation restored.")
      end
      return ctx:redirect("/messages")
    end)
  end

  members:post("/messages/m/:id/edit", function(ctx)
    local ok, message = util.try(ctx, api.messages.edit, ctx.params.id, req.post.content or "")
    if ok then return ctx:redirect("/messages/c/" .. message.chat_id) end
    return util.back(ctx, "/messages")
  end)

  members:post("/messages/m/:id/delete", function(ctx)
    local message = api.messages.get(ctx.params.id)
    if not api.messages.delete(ctx.params.id) then
      ctx:flash("error", "You can only delete your own messages.")
    end
    if message then return ctx:redirect("/messages/c/" .. message.chat_id) end
    return ctx:redirect("/messages")
  end)
end

-- Small helpers shared by the routes.
local M = {}

-- Pages that need a signed-in visitor send everyone else to the login page, and back afterwards.
function M.login_required(ctx)
  if env.is_user then return nil end
  ctx:flash("info", "Log in to continue.")
  return ctx:redirect("/login?next=" .. str.url_encode(req.path))
end

-- The app's route methods for pages that need a signed-in visitor: members:get(path, fn) is app:get(path, fn)
-- with the login check before fn.
function M.members(app)
  return setmetatable({}, { __index = function(_, method)
    return function(_, path, handler, opts)
      return app[method](app, path, function(ctx)
        local denied = M.login_required(ctx)
        if denied then return denied end
        return handler(ctx)
      end, opts)
    end
  end })
end

local function is_local(path)
  return type(path) == "string" and path:sub(1, 1) == "/" and path:sub(2, 2) ~= "/" and path:sub(2, 2) ~= "\\"
end
M.is_local = is_local

-- After a form: back to where it was sent from (a hidden return_to field), else the fallback.
function M.back(ctx, fallback)
  local to = req.post.return_to or req.query.next
  if is_local(to) then return ctx:redirect(to) end
  return ctx:redirect(fallback or "/")
end

-- The page's script sent this form itself (X-Requested-With: fetch): it wants a status, not a page.
function M.fetched()
  return req.headers["x-requested-with"] == "fetch"
end

-- The message of an api.* refusal, for a flash.
function M.message(err)
  if type(err) == "table" and err.message then return err.message end
  return "Something went wrong. Please try again."
end

-- Runs an api call; a refusal becomes an error flash and a nil result instead of an error page.
function M.try(ctx, fn, ...)
  local ok, result = pcall(fn, ...)
  if ok then return true, result end
  ctx:flash("error", M.message(result))
  return false, nil
end

function M.name(user)
  if user == nil then return "someone" end
  local first, last = user.first_name or "", user.last_name or ""
  local full = str.trim(first .. " " .. last)
  if full ~= "" then return full end
  return user.username
end

-- Display names for the authors of a list of posts, replies or messages.
function M.named(items, field)
  for _, item in ipairs(items or {}) do
    local who = item[field or "author"]
    if who then who.name = M.name(who) end
  end
  return items
end

-- {"user_42": "Ada Lovelace", ...} for app.js (data-user-names: who is typing), from a list of users.
local function json_string(s)
  return '"' .. tostring(s):gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end
function M.user_names(users)
  local parts = {}
  for _, u in ipairs(users or {}) do
    if u.id then parts[#parts + 1] = json_string("user_" .. tostring(u.id)) .. ":" .. json_string(u.name or M.name(u)) end
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

-- The visitor's own vote on each post (my_vote = "up" or "down"), so its button shows pressed.
function M.with_votes(posts)
  if not env.is_user or posts == nil or #posts == 0 then return posts end
  local ids = {}
  for i, post in ipairs(posts) do ids[i] = post.id end
  local votes = api.posts.my_votes(ids)
  for _, post in ipairs(posts) do post.my_vote = votes[tostring(post.id)] end
  return posts
end

function M.plural(n, one, many)
  if n == 1 then return "1 " .. one end
  return tostring(n) .. " " .. (many or (one .. "s"))
end

return M

-- Mirage's Lua side: the sandbox, the app framework and the api.* stubs. Runs once per Lua state, before any
-- app, with the real standard library; apps only ever see the read-only copies made here. Returns the host's
-- entry points.
local HOST, RESPONSE, API_ERROR, natives = ...

local type, pairs, ipairs, next, select, error, tostring, tonumber, setmetatable, getmetatable, rawget, rawset, rawequal, pcall =
      type, pairs, ipairs, next, select, error, tostring, tonumber, setmetatable, getmetatable, rawget, rawset, rawequal, pcall
local real_load, co_create, co_resume, co_yield, co_status, co_running, co_isyieldable, co_close =
      load, coroutine.create, coroutine.resume, coroutine.yield, coroutine.status, coroutine.running, coroutine.isyieldable, coroutine.close
local pack, unpack, concat, insert = table.pack, table.unpack, table.concat, table.insert
local s_find, s_sub, s_gsub, s_match, s_format, s_gmatch, s_lower = string.find, string.sub, string.gsub, string.match, string.format, string.gmatch, string.lower

-- Strings share one metatable in every state: nobody may see or change it, and no string method dumps bytecode.
getmetatable("").__metatable = false
string.dump = nil

-- ---------------------------------------------------------------- patterns
-- string.find/match/gmatch/gsub on a matcher with a time budget (LuaPatterns.cs): Lua's own runs in C, where the
-- time limit cannot reach it. The string table is shared by every string's methods, so the functions are replaced there.
local pfind, s_len, s_byte, s_rep, huge = natives.pfind, string.len, string.byte, string.rep, math.huge

local function pattern_args(fname, s, p)
  if type(s) == "number" then s = tostring(s) end
  if type(p) == "number" then p = tostring(p) end
  if type(s) ~= "string" then error("bad argument #1 to '" .. fname .. "' (string expected, got " .. type(s) .. ")", 3) end
  if type(p) ~= "string" then error("bad argument #2 to '" .. fname .. "' (string expected, got " .. type(p) .. ")", 3) end
  return s, p
end

local function start_of(init, len)
  init = init == nil and 1 or math.tointeger(tonumber(init)) or error("bad argument #3 (number has no integer representation)", 3)
  if init > 0 then return init end
  if init == 0 or -init > len then return 1 end
  return len + init + 1
end

local function search(fname, s, p, init, want_positions)
  local len = s_len(s)
  init = start_of(init, len)
  if init > len + 1 then return nil end
  local anchored = s_byte(p, 1) == 94 -- '^'
  if anchored then p = s_sub(p, 2) end
  local r = pack(pfind(s, p, init - 1, -1, anchored))
  if r[1] == false then error(r[2], 3) end
  if r[1] == nil then return nil end
  if want_positions then return unpack(r, 1, r.n) end
  if r.n == 2 then return s_sub(s, r[1], r[2]) end
  return unpack(r, 3, r.n)
end

string.find = function(s, p, init, plain)
  s, p = pattern_args("find", s, p)
  if plain or not s_find(p, "[%^%$%*%+%?%.%(%[%%%-]") then return s_find(s, p, init, true) end
  return search("find", s, p, init, true)
end

string.match = function(s, p, init)
  s, p = pattern_args("match", s, p)
  return search("match", s, p, init, false)
end

string.gmatch = function(s, p, init)
  s, p = pattern_args("gmatch", s, p)
  local len = s_len(s)
  local pos = start_of(init, len) - 1
  if pos > len then pos = len + 1 end
  local last = -1
  return function()
    if pos > len then return nil end
    local r = pack(pfind(s, p, pos, last, false))
    if r[1] == false then error(r[2], 2) end
    if r[1] == nil then pos = len + 1; return nil end
    pos, last = r[2], r[2]
    if r.n == 2 then return s_sub(s, r[1], r[2]) end
    return unpack(r, 3, r.n)
  end
end

local function expand(repl, whole, r)
  return (s_gsub(repl, "%%(.)", function(c)
    if c == "%" then return "%" end
    local d = tonumber(c)
    if d == nil then error("invalid use of '%' in replacement string", 4) end
    if d == 0 then return whole end
    local v
    if r.n == 2 and d == 1 then v = whole else v = r[d + 2] end
    if v == nil then error("invalid capture index %" .. d .. " in replacement string", 4) end
    return tostring(v)
  end))
end

string.gsub = function(s, p, repl, n)
  s, p = pattern_args("gsub", s, p)
  local kind = type(repl)
  if kind == "number" then repl, kind = tostring(repl), "string" end
  if kind ~= "string" and kind ~= "table" and kind ~= "function" then
    error("bad argument #3 to 'gsub' (string/function/table expected, got " .. kind .. ")", 2)
  end
  local max = n == nil and huge or math.tointeger(tonumber(n)) or error("bad argument #4 to 'gsub' (number expected)", 2)
  local anchored = s_byte(p, 1) == 94
  if anchored then p = s_sub(p, 2) end
  local out, count, pos, last = {}, 0, 0, -1
  while count < max do
    local r = pack(pfind(s, p, pos, last, anchored))
    if r[1] == false then error(r[2], 2) end
    if r[1] == nil then break end
    local start, stop = r[1], r[2]
    local whole = s_sub(s, start, stop)
    local value
    if kind == "string" then
      value = expand(repl, whole, r)
    else
      if kind == "table" then value = repl[r.n > 2 and r[3] or whole]
      elseif r.n > 2 then value = repl(unpack(r, 3, r.n))
      else value = repl(whole) end
      if value == nil or value == false then value = whole
      elseif type(value) == "number" then value = tostring(value)
      elseif type(value) ~= "string" then error("invalid replacement value (a " .. type(value) .. ")", 2) end
    end
    out[#out + 1] = s_sub(s, pos + 1, start - 1)
    out[#out + 1] = value
    count = count + 1
    pos, last = stop, stop
    if anchored then break end
  end
  out[#out + 1] = s_sub(s, pos + 1)
  return concat(out), count
end

-- ---------------------------------------------------------------- read-only tables
local PROTECTED = setmetatable({}, { __mode = "k" })

local function readonly(source, name)
  local proxy = {}
  PROTECTED[proxy] = true
  return setmetatable(proxy, {
    __index = source,
    __newindex = function() error("attempt to modify read-only table '" .. name .. "'", 2) end,
    __pairs = function() return next, source, nil end,
    __len = function() return #source end,
    __metatable = false,
  })
end

local function guarded_rawset(t, k, v)
  if PROTECTED[t] then error("attempt to modify a read-only table", 2) end
  return rawset(t, k, v)
end

-- ---------------------------------------------------------------- host calls
-- api.* and ctx:* yield to the host; the host resumes with (true, value) or (false, error table).
local function host(op, ...)
  local result = pack(co_yield(HOST, op, ...))
  if result[1] then return unpack(result, 2, result.n) end
  error(result[2], 2)
end

-- A script's own coroutines pass host calls through to the request's coroutine, so api.* works inside them.
local function forward(co, result)
  while result[1] and rawequal(result[2], HOST) and co_status(co) == "suspended" do
    local back = pack(co_yield(unpack(result, 2, result.n)))
    result = pack(co_resume(co, unpack(back, 1, back.n)))
  end
  return result
end

local function resume(co, ...)
  local result = forward(co, pack(co_resume(co, ...)))
  return unpack(result, 1, result.n)
end

local function wrap(f)
  local co = co_create(f)
  return function(...)
    local result = forward(co, pack(co_resume(co, ...)))
    if not result[1] then error(result[2], 2) end
    return unpack(result, 2, result.n)
  end
end

local function user_yield(...)
  if rawequal((...), HOST) then error("invalid yield", 2) end
  return co_yield(...)
end

-- ---------------------------------------------------------------- the safe globals
local safe_os = { time = os.time, date = os.date, clock = os.clock }

local function safe_setmetatable(t, mt)
  if PROTECTED[t] then error("cannot change a protected metatable", 2) end
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then error("__gc metamethods are not allowed", 2) end
  return setmetatable(t, mt)
end

local SAFE = {
  assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall, xpcall = xpcall,
  print = function() end, rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = guarded_rawset,
  select = select, getmetatable = getmetatable, setmetatable = safe_setmetatable, tonumber = tonumber,
  tostring = tostring, type = type, _VERSION = _VERSION,
  string = readonly(string, "string"), table = readonly(table, "table"), math = readonly(math, "math"),
  utf8 = readonly(utf8, "utf8"), os = readonly(safe_os, "os"),
  coroutine = readonly({
    create = co_create, resume = resume, wrap = wrap, yield = user_yield, status = co_status,
    running = co_running, isyieldable = co_isyieldable, close = co_close,
  }, "coroutine"),
}
for _, name in ipairs({ "string", "table", "math", "utf8", "os", "coroutine" }) do PROTECTED[SAFE[name]] = true end

-- ---------------------------------------------------------------- str.*
local function check_string(value, fname)
  if type(value) == "number" then return tostring(value) end
  if type(value) ~= "string" then error("bad argument to 'str." .. fname .. "' (string expected, got " .. type(value) .. ")", 3) end
  return value
end

local str = {}
function str.trim(s) return natives.trim(check_string(s, "trim")) end
function str.split(s, sep, plain)
  s = check_string(s, "split")
  sep = sep == nil and "," or check_string(sep, "split")
  local out, start = {}, 1
  if sep == "" then
    for ch in s_gmatch(s, utf8.charpattern) do out[#out + 1] = ch end
    return out
  end
  while true do
    local i, j = string.find(s, sep, start, plain ~= false)
    if not i then out[#out + 1] = s_sub(s, start); return out end
    out[#out + 1] = s_sub(s, start, i - 1)
    start = j + 1
  end
end
local ESCAPES = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }
function str.escape(s) if s == nil then return "" end s = check_string(s, "escape"); return (s_gsub(s, "[&<>\"']", ESCAPES)) end
function str.truncate(s, n, tail)
  s = check_string(s, "truncate")
  n = tonumber(n) or 100
  tail = tail == nil and "…" or check_string(tail, "truncate")
  if utf8.len(s) == nil or utf8.len(s) <= n then return s end
  return s_sub(s, 1, (utf8.offset(s, n + 1) or #s + 1) - 1) .. tail
end
function str.time_ago(t)
  local out = natives.time_ago(t)
  if out == nil then error("bad argument to 'str.time_ago' (ISO time or epoch seconds expected)", 2) end
  return out
end
function str.markdown(s) if s == nil then return "" end return natives.markdown(check_string(s, "markdown")) end
function str.scoped_css(css, scope)
  if css == nil then return "" end
  return natives.scoped_css(check_string(css, "scoped_css"), check_string(scope, "scoped_css"))
end
function str.url_encode(s) s = check_string(s, "url_encode"); return (s_gsub(s, "[^%w%-%._~]", function(c) return s_format("%%%02X", c:byte()) end)) end
SAFE.str = readonly(str, "str")
PROTECTED[SAFE.str] = true

-- ---------------------------------------------------------------- api.*
local API_FUNCTIONS = {
  messages = { "get", "send", "chat", "conversations", "unread", "edit", "delete" },
  chats = { "list", "get", "create", "messages", "send", "rename", "invite", "archive", "unarchive", "read", "typing" },
  users = { "get", "me", "register", "login", "logout", "update", "follow", "unfollow", "is_following", "followers", "following" },
  posts = { "get", "list", "by_tag", "feed", "fyp", "trending", "create", "vote", "reply", "replies", "my_votes" },
  rooms = { "list", "joined", "get", "create", "join", "leave", "delete", "members", "messages", "send", "upload" },
  notifications = { "list", "unread", "read", "read_all", "dismiss" },
  files = { "get" },
}
local api = {}
for domain, names in pairs(API_FUNCTIONS) do
  local t = {}
  for _, name in ipairs(names) do
    local op = "api." .. domain .. "." .. name
    t[name] = function(...) return host(op, ...) end
  end
  api[domain] = readonly(t, "api." .. domain)
  PROTECTED[api[domain]] = true
end
-- seed 002's shape: chat items name their sender
local raw_chat = api.messages.chat
api.messages = readonly(setmetatable({ chat = function(...)
  local page = raw_chat(...)
  for _, m in ipairs(page.items) do m.sender = m.author end
  return page
end }, { __index = api.messages }), "api.messages")
PROTECTED[api.messages] = true
SAFE.api = readonly(api, "api")
PROTECTED[SAFE.api] = true

-- ---------------------------------------------------------------- per-request globals
local REQUEST = {}
local LOADING = nil -- the load-time globals of the app being loaded

local function app_env(app)
  local loaded = {}
  local env = {}
  PROTECTED[env] = true
  setmetatable(env, {
    __index = function(_, k)
      local v = REQUEST[k]
      if v ~= nil then return v end
      v = loaded[k]
      if v ~= nil then return v end
      return SAFE[k]
    end,
    __newindex = function(_, k, v)
      if LOADING == loaded then loaded[k] = v else REQUEST[k] = v end
    end,
    __metatable = false,
  })
  loaded._G = env
  loaded._ENV = env
  loaded.load = function(chunk, name, mode, chunk_env)
    if type(chunk) ~= "string" then return nil, "load only takes source text" end
    if s_sub(chunk, 1, 1) == "\27" then return nil, "binary chunks are not allowed" end
    return real_load(chunk, name, "t", chunk_env == nil and env or chunk_env)
  end
  loaded.framework = function() return app end
  return env, loaded
end

-- ---------------------------------------------------------------- the app framework
local ROUTES = {}   -- route id -> { app = app, handler = fn }
local ROUTE_LIST = {} -- { method, path, id, app name } for the host's router
local APPS = {}

local App = {}
App.__index = App

local function add_route(self, method, path, handler, opts)
  if type(path) ~= "string" or s_sub(path, 1, 1) ~= "/" then error("route path must be a string starting with '/'", 3) end
  if type(handler) ~= "function" then error("route handler must be a function", 3) end
  if opts ~= nil and type(opts) ~= "table" then error("route options must be a table", 3) end
  local csrf = method ~= "GET"
  if opts and opts.csrf == false then csrf = false end
  local id = #ROUTES + 1
  ROUTES[id] = { app = self, handler = handler }
  ROUTE_LIST[#ROUTE_LIST + 1] = { method = method, path = path, id = id, app = self.name, csrf = csrf }
end

function App:get(path, fn, opts) add_route(self, "GET", path, fn, opts) end
function App:post(path, fn, opts) add_route(self, "POST", path, fn, opts) end
function App:put(path, fn, opts) add_route(self, "PUT", path, fn, opts) end
function App:patch(path, fn, opts) add_route(self, "PATCH", path, fn, opts) end
function App:delete(path, fn, opts) add_route(self, "DELETE", path, fn, opts) end
function App:on(event, fn)
  if event ~= "before" then error("unknown event '" .. tostring(event) .. "' (only \"before\")", 2) end
  if type(fn) ~= "function" then error("hook must be a function", 2) end
  self.before[#self.before + 1] = fn
end

-- ---------------------------------------------------------------- ctx
local Ctx = {}
Ctx.__index = Ctx
Ctx.__metatable = false
function Ctx:render(name, data, status) return host("render", name, data, self, status) end
function Ctx:redirect(url, status) return host("redirect", url, status) end
function Ctx:error(message, status) return host("error", message, status) end
function Ctx:json(value, status) return host("json", value, status) end
function Ctx:flash(kind, message) host("flash", kind, message) end
function Ctx:header(name, value) host("header", name, value) end

-- ---------------------------------------------------------------- entry points for the host
local entry = {}

-- Loads one app from its sources: { ["app"] = src, ["mod.name"] = src, ... } keyed by module name, paths by name.
function entry.load_app(name, sources, paths)
  local app = setmetatable({ name = name, before = {} }, App)
  local env, loaded = app_env(app)
  local modules, cache = {}, {}
  loaded.require = function(modname)
    if type(modname) ~= "string" then error("bad argument to 'require' (string expected)", 2) end
    local cached = cache[modname]
    if cached ~= nil then return cached end
    local src = sources[modname]
    if src == nil or modname == "app" then error("module '" .. modname .. "' not found in app '" .. name .. "'", 2) end
    local fn, err = real_load(src, "@" .. paths[modname], "t", env)
    if not fn then error(err, 0) end
    local value = fn(modname)
    if value == nil then value = true end
    cache[modname] = value
    return value
  end
  local fn, err = real_load(sources.app, "@" .. paths.app, "t", env)
  if not fn then error(err, 0) end
  local previous = LOADING
  LOADING = loaded
  local ok, failure = pcall(fn)
  LOADING = previous
  if not ok then error(failure, 0) end
  APPS[#APPS + 1] = app
  return true
end

function entry.routes() return ROUTE_LIST end

-- Runs one request: route id, params, req, env. Returns what the handler returned.
function entry.dispatch(id, params, req, visitor)
  REQUEST = { req = req, env = visitor }
  local route = ROUTES[id]
  local ctx = setmetatable({ params = params }, Ctx)
  for _, hook in ipairs(route.app.before) do
    local result = hook(ctx)
    if result ~= nil then return result end
  end
  return route.handler(ctx)
end

function entry.finish() REQUEST = {} end

return entry

local util = require("lib.util")

return function(app)
  app:get("/login", function(ctx)
    if env.is_user then return ctx:redirect("/") end
    return ctx:render("login", { title = "Log in", next = req.query.next, username = req.query.username })
  end)

  app:post("/login", function(ctx)
    local username, password = str.trim(req.post.username or ""), req.post.password or ""
    local ok = pcall(api.users.login, username, password)
    if not ok then
      ctx:flash("error", "Wrong username or password.")
      local back = "/login?username=" .. str.url_encode(username)
      if util.is_local(req.post.next) then back = back .. "&next=" .. str.url_encode(req.post.next) end
      return ctx:redirect(back)
    end
    if util.is_local(req.post.next) then return ctx:redirect(req.post.next) end
    return ctx:redirect("/")
  end)

  app:get("/signup", function(ctx)
    if env.is_user then return ctx:redirect("/") end
    return ctx:render("signup", { title = "Sign up", form = req.query })
  end)

  app:post("/signup", function(ctx)
    local form = {
      username = str.trim(req.post.username or ""), email = str.trim(req.post.email or ""), password = req.post.password or "",
      description = req.post.description, avatar_url = req.post.avatar_url,
    }
    if form.avatar_url == "" then form.avatar_url = nil end
    local ok, err = pcall(api.users.register, form)
    if not ok then
      ctx:flash("error", util.message(err))
      return ctx:redirect("/signup?username=" .. str.url_encode(form.username) .. "&email=" .. str.url_encode(form.email))
    end
    api.users.login(form.username, form.password)
    ctx:flash("success", "Welcome to Mirage, @" .. form.username .. "!")
    return ctx:redirect("/")
  end)

  app:post("/logout", function(ctx)
    api.users.logout()
    ctx:flash("info", "You have been logged out.")
    return ctx:redirect("/")
  end)
end

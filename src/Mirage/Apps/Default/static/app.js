/* Mirage default web app: progressive enhancement only.
   Every form on every page is a plain POST form that works without this file; everything below is driven by
   data attributes (see docs/web-app-dom.md). No inline handlers, no dependencies: it runs under script-src 'self'. */
(() => {
  'use strict';

  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const csrf = () => $('meta[name="csrf-token"]')?.content || '';
  const me = () => document.body.dataset.userId || '';
  const lang = document.documentElement.lang || 'en';
  // Count code points, as the server does (an emoji is one character); \r\n is what the browser sends for \n.
  const length = (s) => Array.from(s).length;
  const isSubmit = 'button[type="submit"], button:not([type]), input[type="submit"]';

  /* ---------- character counter ---------- */
  function setupCounter(area) {
    const max = parseInt(area.dataset.maxlength, 10);
    if (!max) return;
    const out = area.id ? $$('[data-counter-for]').find((el) => el.dataset.counterFor === area.id) : null;
    const update = () => {
      const left = max - length(area.value);
      if (out) {
        out.textContent = `${left} left`;
        out.classList.toggle('is-warning', left >= 0 && left < 20);
        out.classList.toggle('is-over', left < 0);
        out.setAttribute('aria-live', left < 20 ? 'polite' : 'off'); // announce only when it matters
      }
      if (left < 0) area.setAttribute('aria-invalid', 'true'); else area.removeAttribute('aria-invalid');
      if (area.form) for (const b of $$(isSubmit, area.form)) b.disabled = left < 0;
    };
    area.addEventListener('input', update);
    update();
  }
  const overLimit = (form) => $$('textarea[data-maxlength]', form)
    .some((a) => length(a.value) > parseInt(a.dataset.maxlength, 10));

  /* ---------- relative times ---------- */
  function relative(then, now = Date.now()) {
    const s = (now - then) / 1000;
    if (s < 45) return 'just now';
    if (s < 3600) return `${Math.max(1, Math.floor(s / 60))} min ago`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
    const d = new Date(then), yesterday = new Date(now);
    yesterday.setDate(yesterday.getDate() - 1);
    if (d.toDateString() === yesterday.toDateString()) return 'yesterday';
    const opts = { month: 'short', day: 'numeric' };
    if (d.getFullYear() !== new Date(now).getFullYear()) opts.year = 'numeric';
    return d.toLocaleDateString(lang, opts);
  }
  function refreshTimes(root = document) {
    for (const el of $$('time[data-relative][datetime]', root)) {
      const t = Date.parse(el.getAttribute('datetime'));
      if (Number.isNaN(t)) continue;
      el.textContent = relative(t);
      if (!el.title) el.title = new Date(t).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
    }
  }

  /* ---------- badges ---------- */
  // <span class="badge" data-badge="messages" hidden><span data-count>0</span>…</span>; the true count lives in data-value
  function bumpBadge(name, by = 1) {
    let badge = $(`[data-badge="${name}"]`);
    if (!badge) {
      const link = $(`[data-nav="${name}"]`);
      if (!link) return;
      badge = document.createElement('span');
      badge.className = 'badge';
      badge.dataset.badge = name;
      badge.innerHTML = '<span data-count></span><span class="visually-hidden"> unread</span>'; // static markup only
      link.append(' ', badge);
    }
    const slot = $('[data-count]', badge) || badge;
    const n = Math.max(0, (parseInt(badge.dataset.value ?? slot.textContent, 10) || 0) + by);
    badge.dataset.value = n;
    slot.textContent = n > 99 ? '99+' : String(n);
    badge.hidden = n === 0;
    badge.classList.remove('bump');
    void badge.offsetWidth; // restart the animation
    badge.classList.add('bump');
  }

  /* ---------- live lists: filling a <template> with a /v1 message ---------- */
  const byData = (attr, value) => $$(`[data-${attr}]`).find((el) => el.getAttribute(`data-${attr}`) === String(value));
  const childByMessageId = (list, id) => Array.from(list.children).find((li) => li.dataset.messageId === String(id));
  const displayName = (a) => [a.first_name, a.last_name].filter(Boolean).join(' ') || a.username || '';

  // Text only. A message that is just one http(s) URL (uploads post their file URL) becomes a link, built as a node.
  function setContent(el, text) {
    if (el.tagName === 'TEXTAREA' || !/^https?:\/\/\S+$/.test(text)) { el.textContent = text; return; }
    const a = document.createElement('a');
    a.href = text;
    a.rel = 'noopener nofollow ugc';
    a.textContent = text;
    el.replaceChildren(a);
  }

  function fill(item, m) {
    const a = m.author || {};
    const mine = (a.id || m.user_id) === me();
    const values = { id: m.id, chat_id: m.chat_id, room_id: m.room_id, username: a.username || '', name: displayName(a) };
    item.dataset.messageId = m.id;
    item.dataset.authorId = m.user_id || a.id || '';
    item.classList.add(mine ? 'mine' : 'theirs', 'is-new');
    $$(mine ? '[data-theirs-only]' : '[data-mine-only]', item).forEach((el) => el.remove());
    for (const el of $$('[data-field]', item)) {
      const f = el.dataset.field;
      if (f === 'avatar') { if (a.avatar_url) el.src = a.avatar_url; } // else keep the template's default avatar
      else if (f === 'time') { el.setAttribute('datetime', m.created_at); el.textContent = relative(Date.parse(m.created_at)); }
      else if (f === 'content') setContent(el, m.content || '');
      else if (f === 'edited') el.hidden = !m.edited_at;
      else if (f in values) el.textContent = values[f];
    }
    // data-href="/u/{username}", data-action="/messages/m/{id}/delete": fill the placeholders, URL-encoded
    const expand = (tpl) => tpl.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(values[k] ?? ''));
    for (const el of $$('[data-href]', item)) el.setAttribute('href', expand(el.dataset.href));
    for (const el of $$('[data-action]', item)) el.setAttribute('action', expand(el.dataset.action));
    $$('textarea[data-maxlength]', item).forEach(setupCounter);
    return mine;
  }

  // The history scrolls inside .chat-scroll (flex column-reverse: scrollTop is 0 at the newest end) or the page.
  const scrollerOf = (list) => list.closest('.chat-scroll') || document.scrollingElement;
  const reversed = (el) => getComputedStyle(el).flexDirection === 'column-reverse';
  const fromBottom = (el) => (reversed(el) ? Math.abs(el.scrollTop) : el.scrollHeight - el.scrollTop - el.clientHeight);
  const toBottom = (el) => { el.scrollTop = reversed(el) ? 0 : el.scrollHeight; };

  function append(list, templateId, m) {
    const tpl = document.getElementById(templateId);
    if (!tpl || childByMessageId(list, m.id)) return null; // replayed after a reconnect, or already rendered
    const item = tpl.content.firstElementChild.cloneNode(true);
    const mine = fill(item, m);
    const scroller = scrollerOf(list);
    const near = fromBottom(scroller) < 150;
    $$('[data-empty]', list).forEach((el) => el.remove());
    list.append(item);
    if (near || mine) toBottom(scroller);
    return item;
  }

  /* ---------- stream event handlers ---------- */
  function onRoomMessage(m) {
    const list = byData('live-room', m.room_id);
    if (list) append(list, 'tpl-room-message', m);
  }

  let readTimer;
  function markRead(list) {
    const url = list.dataset.readUrl;
    if (!url || document.visibilityState !== 'visible') return;
    clearTimeout(readTimer); // one request for a burst of messages
    readTimer = setTimeout(() => post(url), 1000);
  }

  // The conversation list (messages page): move the chat to the top with its new preview.
  function updateInboxRow(m) {
    const inbox = $('[data-live-inbox]');
    const row = inbox && Array.from(inbox.children).find((li) => li.dataset.chatId === m.chat_id);
    if (!row) return;
    const preview = $('[data-field="preview"]', row), time = $('[data-field="time"]', row), pill = $('[data-field="unread"]', row);
    if (preview) preview.textContent = m.content;
    if (time) { time.setAttribute('datetime', m.created_at); time.textContent = relative(Date.parse(m.created_at)); }
    if (pill && m.user_id !== me()) { pill.textContent = (parseInt(pill.textContent, 10) || 0) + 1; pill.hidden = false; row.classList.add('unread'); }
    inbox.prepend(row);
  }

  function onChatMessage(m, kind) {
    const list = byData('live-chat', m.chat_id);
    const item = list && childByMessageId(list, m.id);
    if (kind === 'created') {
      if (list) {
        append(list, 'tpl-chat-message', m);
        stopTyping(m.user_id);
        if (m.user_id !== me()) markRead(list);
      } else if (m.user_id !== me()) {
        // A DM page opened before the chat existed has no live list yet: its first message reloads it.
        const pending = $('[data-pending-dm]');
        if (pending && pending.dataset.pendingDm === m.user_id) { location.reload(); return; }
        bumpBadge('messages');
      }
      updateInboxRow(m);
    } else if (kind === 'updated' && item) {
      $$('[data-field="content"]', item).forEach((el) => setContent(el, m.content || ''));
      $$('[data-field="edited"]', item).forEach((el) => { el.hidden = !m.edited_at; });
    } else if (kind === 'deleted' && item) {
      item.remove();
    }
  }

  // new_message notifications collapse into one per chat while unread: count a chat once, and never the open one.
  const countedChats = new Set();
  function onNotification(n) {
    const chat = n.type === 'new_message' && n.data && n.data.chat_id;
    if (chat && (byData('live-chat', chat) || countedChats.has(chat))) return;
    if (chat) countedChats.add(chat);
    bumpBadge('notifications');
  }

  const typers = new Map(); // user id -> timer
  function renderTyping() {
    const line = $('[data-typing]');
    if (!line) return;
    let names = {};
    try { names = JSON.parse(byData('live-chat', line.dataset.typing)?.dataset.userNames || '{}'); } catch { /* no names */ }
    const who = Array.from(typers.keys(), (id) => names[id] || 'Someone');
    line.textContent = who.length === 1 ? `${who[0]} is typing…`
      : who.length === 2 ? `${who[0]} and ${who[1]} are typing…` : 'Several people are typing…';
    line.hidden = who.length === 0;
  }
  function stopTyping(userId) {
    clearTimeout(typers.get(userId));
    if (typers.delete(userId)) renderTyping();
  }
  function onTyping(t) {
    const line = $('[data-typing]');
    if (t.user_id === me() || !line || !byData('live-chat', t.chat_id)) return;
    line.dataset.typing = t.chat_id;
    clearTimeout(typers.get(t.user_id));
    typers.set(t.user_id, setTimeout(() => stopTyping(t.user_id), 4000));
    renderTyping();
  }

  function onPresence(p) {
    const online = p.status === 'online';
    for (const el of $$('[data-presence-user]')) {
      if (el.dataset.presenceUser !== p.user_id) continue;
      el.classList.toggle('online', online);
      el.classList.toggle('offline', !online);
      el.title = online ? 'Online' : 'Offline';
      const label = $('.visually-hidden', el);
      if (label) label.textContent = online ? 'online' : 'offline';
    }
  }

  // Missed events cannot be replayed: reload, but never throw away something the user is writing.
  let resyncPending = false;
  function onResync() {
    const busy = $$('textarea, input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"])')
      .some((el) => el.value !== el.defaultValue);
    if (!busy) { location.reload(); return; }
    if (!resyncPending) { resyncPending = true; setTimeout(() => { resyncPending = false; onResync(); }, 5000); }
  }

  function handleEvent(ev) {
    if (!ev || typeof ev !== 'object') return;
    const d = ev.data || {};
    switch (ev.type) {
      case 'room.message': onRoomMessage(d); break;
      case 'message.created': onChatMessage(d, 'created'); break;
      case 'message.updated': onChatMessage(d, 'updated'); break;
      case 'message.deleted': onChatMessage(d, 'deleted'); break;
      case 'notification.created': onNotification(d); break;
      case 'typing': onTyping(d); break;
      case 'presence': onPresence(d); break;
      case 'resync': onResync(); break;
      default: break; // ready, reconnect (EventSource reconnects by itself), pong, chat.updated, …
    }
  }

  let retry = 5000;
  function connect() {
    if (document.body.dataset.stream !== '1' || !window.EventSource) return;
    const es = new EventSource('/v1/stream'); // the session cookie authenticates it
    es.onopen = () => { retry = 5000; };
    es.onmessage = (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch { return; }
      handleEvent(ev);
    };
    // The browser retries dropped streams itself; it gives up (CLOSED) on e.g. 401/429, so we retry slowly.
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 300000);
    };
  }

  /* ---------- requests ---------- */
  const post = (url, body) => fetch(url, {
    method: 'POST', body, credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrf(), 'X-Requested-With': 'fetch' },
  }).catch(() => null);

  function setupTypingSender(form) {
    let last = 0;
    form.addEventListener('input', (e) => {
      const now = Date.now();
      if (!e.target.value || now - last < 3000) return;
      last = now;
      post(form.dataset.typingUrl); // best effort: failures are ignored
    });
  }

  async function ajaxSubmit(form, submitter) {
    let data;
    try { data = new FormData(form, submitter); } catch { data = new FormData(form); } // older browsers: no submitter
    const body = form.enctype === 'multipart/form-data' ? data : new URLSearchParams(data);
    const buttons = $$(isSubmit, form);
    buttons.forEach((b) => { b.disabled = true; });
    const res = await post(form.action, body);
    buttons.forEach((b) => { b.disabled = false; });
    if (!res || !res.ok) { form.submit(); return; } // let the server show what went wrong
    for (const area of $$('textarea', form)) {
      area.value = '';
      area.dispatchEvent(new Event('input', { bubbles: true })); // reset the counter
    }
    $('textarea', form)?.focus();
  }

  function upload(form) {
    const bar = $('progress', form), status = $('[data-upload-status]', form), buttons = $$(isSubmit, form);
    const say = (text, error) => { if (status) { status.textContent = text; status.classList.toggle('is-error', !!error); } };
    const fail = (code) => {
      if (bar) bar.hidden = true;
      buttons.forEach((b) => { b.disabled = false; });
      say(code === 413 ? 'That file is larger than 24 MiB.'
        : code ? `Upload failed (error ${code}). Please try again.` : 'Upload failed: check your connection.', true);
    };
    const file = $('input[type="file"]', form)?.files?.[0];
    const max = parseInt(form.dataset.maxBytes || '25165824', 10);
    if (file && file.size > max) { fail(413); return; }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-CSRF-Token', csrf());
    xhr.setRequestHeader('X-Requested-With', 'fetch'); // answered with JSON: the flash waits for the reload below
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      if (bar) { bar.max = e.total; bar.value = e.loaded; }
      say(`Uploading… ${Math.round((100 * e.loaded) / e.total)} %`);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) { fail(xhr.status); return; }
      say('Uploaded.');
      location.reload();
    };
    xhr.onerror = () => fail(0);
    buttons.forEach((b) => { b.disabled = true; });
    if (bar) { bar.hidden = false; bar.removeAttribute('value'); } // indeterminate until the first progress event
    say('Uploading…');
    xhr.send(new FormData(form));
  }

  /* ---------- wiring ---------- */
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (overLimit(form)) { e.preventDefault(); return; }
    if (form.matches('[data-upload]')) { e.preventDefault(); upload(form); }
    else if (form.matches('[data-ajax]')) { e.preventDefault(); ajaxSubmit(form, e.submitter); }
  });

  // Capture phase, so a cancelled confirm also stops any other handler.
  document.addEventListener('click', (e) => {
    const b = e.target.closest('[data-confirm]');
    if (b && !window.confirm(b.dataset.confirm)) { e.preventDefault(); e.stopImmediatePropagation(); }
    // close an open dropdown menu when clicking elsewhere
    for (const menu of $$('details.menu[open]')) if (!menu.contains(e.target)) menu.open = false;
  }, true);

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      for (const menu of $$('details.menu[open]')) { menu.open = false; $('summary', menu)?.focus(); }
      return;
    }
    // <textarea data-enter-submits>: Enter sends, Shift+Enter is a new line (keyboards with a fine pointer only)
    const area = e.target;
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || !area.matches?.('textarea[data-enter-submits]')) return;
    if (!matchMedia('(pointer: fine)').matches || !area.form) return;
    e.preventDefault();
    if (area.value.trim() && !$$(isSubmit, area.form).some((b) => b.disabled)) area.form.requestSubmit();
  });

  $$('textarea[data-maxlength]').forEach(setupCounter);
  $$('form[data-typing-url]').forEach(setupTypingSender);
  refreshTimes();
  setInterval(refreshTimes, 30000);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') refreshTimes(); });
  connect();

  window.Mirage = { handleEvent, relative, refreshTimes };
})();

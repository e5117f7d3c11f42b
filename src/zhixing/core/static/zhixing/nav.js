/* The main menu's phone toggle and the notification bell (WebSocket, else a poll every data-poll s). */
(function () {
  "use strict";
  function menu() {
    var btn = document.getElementById("menu-toggle");
    var bar = btn && btn.closest(".topbar");
    if (!btn || !bar) return;
    btn.addEventListener("click", function () {
      var open = bar.classList.toggle("nav-open");
      btn.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function bell() {
    var el = document.getElementById("bell");
    if (!el) return;
    var countEl = document.getElementById("bell-count");
    var toasts = document.getElementById("toasts");
    var poll = Math.max(1, parseInt(el.getAttribute("data-poll"), 10) || 30);
    var last = null;
    var timer = null;

    function show(n) {
      countEl.textContent = n > 99 ? "99+" : String(n);
      countEl.hidden = !n;
      el.classList.toggle("has-unread", n > 0);
      el.setAttribute("data-unread", String(n));
    }
    function toast(n) {
      if (!n || !toasts) return;
      var box = document.createElement(n.url ? "a" : "div");
      box.className = "toast";
      box.setAttribute("data-testid", "toast");
      if (n.url) box.href = n.url;
      box.textContent = n.text;
      toasts.appendChild(box);
      setTimeout(function () { box.remove(); }, 12000);
    }
    function changed(detail) {
      document.body.dispatchEvent(new CustomEvent("zx:notify", { detail: detail || {} }));
    }
    function fetchCount() {
      fetch(el.getAttribute("data-count-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d) return;
          if (last !== null && d.unread > last) { toast(d.latest); changed(d.latest); }
          else if (last !== null && d.unread !== last) { changed(null); }
          last = d.unread;
          show(d.unread);
        })
        .catch(function () {});
    }
    function startPoll() { if (!timer) timer = setInterval(fetchCount, poll * 1000); }
    function stopPoll() { if (timer) { clearInterval(timer); timer = null; } }
    function connect() {
      if (!("WebSocket" in window)) { startPoll(); return; }
      var ws;
      try {
        ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + el.getAttribute("data-ws"));
      } catch (e) { startPoll(); return; }
      var opened = false;
      ws.onopen = function () { opened = true; stopPoll(); fetchCount(); };
      ws.onmessage = function (ev) {
        var d;
        try { d = JSON.parse(ev.data); } catch (e) { return; }
        last = d.unread; show(d.unread); toast(d); changed(d);
      };
      ws.onclose = function () {
        startPoll();
        if (opened) setTimeout(connect, 15000); // the server restarted: try the socket again later
      };
    }
    fetchCount();
    startPoll();
    connect();
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(menu);
  ready(bell);
})();

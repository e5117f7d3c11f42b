// Live lot page: price, end time, bid history, watchers and the server clock over WebSocket
// (/ws/auctions/<id>/), polling the API every 2 s while the socket is down. Bids go to the JSON API;
// the server's arrival time is the bid time, and the end time shown is always the server's.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) return;
  var lotId = live.dataset.lot;
  var offset = Date.parse(live.dataset.now) - Date.now();
  var seen = {};
  var shownBids = parseInt((document.getElementById("bid-count") || {}).textContent, 10);
  if (isNaN(shownBids)) shownBids = -1;
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function fmt(ms) {
    // Beijing time, whatever the viewer's zone.
    var d = new Date(ms + 8 * 3600 * 1000);
    return d.getUTCFullYear() + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate()) + " " +
      two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()) + ":" + two(d.getUTCSeconds());
  }
  function set(id, text) { var el = document.getElementById(id); if (el) el.textContent = text; }
  function unhide(id) { var el = document.getElementById(id); if (el) el.hidden = false; }
  function addRow(b) {
    if (!b || seen[b.seq]) return;
    seen[b.seq] = true;
    var body = document.getElementById("history");
    var empty = body.querySelector("tr.empty");
    if (empty) empty.remove();
    var tr = document.createElement("tr");
    [b.seq, b.code + (b.priority ? "（优先）" : ""), b.amount, fmt(Date.parse(b.at))].forEach(function (v) {
      var td = document.createElement("td"); td.textContent = v; tr.appendChild(td);
    });
    // Newest first, placed by sequence number, not by arrival: two web workers' frames (or a poll
    // answer and a frame) may arrive in the other order than their bids were accepted.
    var after = null;
    for (var row = body.firstElementChild; row; row = row.nextElementSibling) {
      var n = parseInt(row.firstElementChild && row.firstElementChild.textContent, 10);
      if (n && n < b.seq) { after = row; break; }
    }
    body.insertBefore(tr, after);
  }
  function apply(data) {
    if (data.server_now) offset = Date.parse(data.server_now) - Date.now();
    // The lot's state shown only moves forward: an update that knows fewer bids than the page shows
    // (overtaken on the way) leaves the price, count and end time as they are; its bids are still placed.
    var fresh = typeof data.bids !== "number" || data.bids >= shownBids;
    if (fresh && typeof data.bids === "number") shownBids = data.bids;
    if (fresh && data.price) { set("price", data.price); unhide("price-unit"); }
    if (fresh && data.ends_at) { live.dataset.ends = data.ends_at; set("ends-at", fmt(Date.parse(data.ends_at))); }
    if (fresh && typeof data.bids === "number") set("bid-count", String(data.bids));
    if (typeof data.watchers === "number") set("watchers", String(data.watchers));
    // A frame lists every bid since the previous one (`recent`, in order); the last is the newest.
    (data.recent || []).forEach(addRow);
    if (data.last) addRow(data.last);
    var input = document.getElementById("bid-amount");
    if (input && data.price && document.activeElement !== input) {
      var inc = parseFloat(input.dataset.increment || "0");
      if (inc) input.value = (parseFloat(data.price) + inc).toFixed(2);
    }
  }
  document.querySelectorAll("#history tr").forEach(function (tr) {
    var n = parseInt(tr.firstElementChild && tr.firstElementChild.textContent, 10);
    if (n) seen[n] = true;
  });
  setInterval(function () { set("server-clock", fmt(Date.now() + offset)); }, 1000);

  var socket = null, poller = null;
  function poll() {
    fetch(live.dataset.api, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
      apply({ price: d.current_price, ends_at: d.ends_at, bids: d.bids, server_now: d.server_now });
      (d.history || []).slice().reverse().forEach(addRow);
    }).catch(function () {});
  }
  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(proto + location.host + "/ws/auctions/" + lotId + "/");
    socket.onopen = function () { if (poller) { clearInterval(poller); poller = null; } };
    socket.onmessage = function (e) { apply(JSON.parse(e.data)); };
    socket.onclose = function () {
      if (!poller) { poll(); poller = setInterval(poll, 2000); }
      setTimeout(connect, 3000);
    };
  }
  connect();

  var form = document.getElementById("bid-form");
  if (form) {
    var input = document.getElementById("bid-amount");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
      fetch(live.dataset.bidApi, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ amount: input.value })
      }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); }).then(function (res) {
        if (res.ok) {
          set("bid-result", "出价成功：" + res.d.amount + " 元");
          apply({ price: res.d.current_price, ends_at: res.d.ends_at });
          addRow({ seq: res.d.seq, code: res.d.code, amount: res.d.amount, at: res.d.at });
        } else {
          set("bid-result", res.d.detail || "出价失败");
        }
      }).catch(function () { set("bid-result", "网络异常，请重试"); });
    });
  }
})();

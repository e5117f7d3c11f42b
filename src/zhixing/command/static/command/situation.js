/* Situation screen (态势): draws the snapshot, then keeps it live.
 * Live path: WebSocket /ws/command/situation/<court>/ — a snapshot on connect, then one "update" per
 * court whose figures moved. While the socket is down (or the server speaks no WebSocket) the page
 * polls the snapshot URL; a reconnect starts with a fresh snapshot, so no change is ever missed. */
(function () {
  "use strict";
  var root = document.getElementById("situation");
  if (!root) return;
  var state = {};          // court id -> {figures, version, name, code, parent_id}
  var order = [];
  var socket = null, pollTimer = null, retry = 1000;
  var pollMs = parseInt(root.dataset.pollSeconds || "5", 10) * 1000;
  var chart = null;

  function cents(text) {  // "1234.5" -> 123450 (integer cents; no float sums of money)
    if (text === null || text === undefined) return 0;
    var neg = text.charAt(0) === "-"; if (neg) text = text.slice(1);
    var parts = text.split("."), frac = ((parts[1] || "") + "00").slice(0, 2);
    var v = parseInt(parts[0] || "0", 10) * 100 + parseInt(frac, 10);
    return neg ? -v : v;
  }
  function yuan(c) {
    var neg = c < 0; if (neg) c = -c;
    var s = String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + s + "." + String(c % 100).padStart(2, "0");
  }
  var MONEY = {received: 1, funds_received: 1, funds_paid: 1};

  function total(key) {
    var sum = 0, any = false;
    order.forEach(function (id) {
      var f = state[id] && state[id].figures; if (!f) return;
      var v = f[key]; if (v === null || v === undefined) return;
      any = true; sum += MONEY[key] ? cents(v) : v;
    });
    if (!any) return null;
    return MONEY[key] ? yuan(sum) : sum;
  }
  function nested(key, sub) {
    var sum = 0;
    order.forEach(function (id) { var f = state[id] && state[id].figures; if (f && f[key]) sum += f[key][sub] || 0; });
    return sum;
  }
  function set(el, value) {
    var text = value === null ? "未接入" : String(value);
    if (el.textContent !== text) { el.textContent = text; el.classList.add("flash"); setTimeout(function () { el.classList.remove("flash"); }, 1200); }
    el.classList.toggle("missing", value === null);
  }
  function render() {
    root.querySelectorAll("[data-fig]").forEach(function (el) {
      var key = el.dataset.fig, sub = el.dataset.sub;
      set(el, sub ? nested(key, sub) : total(key));
    });
    var open = 0; order.forEach(function (id) { var f = state[id] && state[id].figures; if (f) Object.keys(f.open_by_status || {}).forEach(function (k) { open += f.open_by_status[k]; }); });
    root.querySelectorAll("[data-fig-open]").forEach(function (el) { set(el, open); });
    root.querySelectorAll("tr[data-court-row]").forEach(function (tr) {
      var f = state[tr.dataset.courtRow] && state[tr.dataset.courtRow].figures; if (!f) return;
      tr.querySelectorAll("[data-cell]").forEach(function (td) {
        var k = td.dataset.cell, v;
        if (k === "open") { v = 0; Object.keys(f.open_by_status || {}).forEach(function (s) { v += f.open_by_status[s]; }); }
        else v = f[k] === undefined ? null : (MONEY[k] ? yuan(cents(f[k])) : f[k]);
        set(td, v);
      });
    });
    var stamp = document.getElementById("situation-updated");
    if (stamp) stamp.textContent = new Date().toLocaleTimeString("zh-CN", {hour12: false});
    drawChart();
  }
  function drawChart() {
    var box = document.getElementById("situation-chart");
    if (!box || !window.echarts) return;
    if (!chart) chart = window.echarts.init(box, root.dataset.theme || null);
    var names = [], series = {registered: [], in_progress: [], suspended: []};
    order.forEach(function (id) {
      var e = state[id]; if (!e) return; names.push(e.name);
      Object.keys(series).forEach(function (k) { series[k].push((e.figures.open_by_status || {})[k] || 0); });
    });
    var labels = {registered: "待分案", in_progress: "执行中", suspended: "中止执行"};
    chart.setOption({
      animation: false, tooltip: {trigger: "axis"}, legend: {textStyle: {color: root.dataset.theme === "dark" ? "#cfe3ff" : "#333"}},
      grid: {left: 40, right: 10, bottom: 60, top: 30},
      xAxis: {type: "category", data: names, axisLabel: {rotate: names.length > 4 ? 30 : 0}},
      yAxis: {type: "value"},
      series: Object.keys(series).map(function (k) { return {name: labels[k], type: "bar", stack: "open", data: series[k]}; })
    });
  }
  function apply(msg) {
    if (msg.type === "snapshot") {
      state = {}; order = [];
      msg.courts.forEach(function (c) { state[c.id] = c; order.push(String(c.id)); });
    } else if (msg.type === "update") {
      var cur = state[msg.court];
      if (!cur) return;  // a court outside this screen's subtree
      if (cur.version && msg.version && msg.version < cur.version) return;
      cur.figures = msg.figures; cur.version = msg.version;
    }
    render();
  }
  function poll() {
    fetch(root.dataset.snapshotUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (m) { if (m) apply(m); })
      .catch(function () {});
  }
  function startPolling() { if (!pollTimer) pollTimer = setInterval(poll, pollMs); }
  function stopPolling() { if (pollTimer) { clearInterval(pollTimer); pollTimer = null; } }
  function setLive(on) {
    var badge = document.getElementById("situation-live");
    if (badge) { badge.textContent = on ? "实时推送" : "定时刷新"; badge.classList.toggle("live", on); }
  }
  function connect() {
    if (!window.WebSocket) { startPolling(); return; }
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.dataset.wsPath;
    try { socket = new WebSocket(url); } catch (e) { startPolling(); return; }
    socket.onopen = function () { retry = 1000; stopPolling(); setLive(true); };
    socket.onmessage = function (ev) { try { apply(JSON.parse(ev.data)); } catch (e) {} };
    socket.onclose = function () {
      setLive(false); startPolling();
      setTimeout(connect, retry); retry = Math.min(retry * 2, 30000);
    };
  }
  apply(JSON.parse(document.getElementById("situation-data").textContent));
  setLive(false);
  startPolling();
  connect();
  window.addEventListener("resize", function () { if (chart) chart.resize(); });
})();

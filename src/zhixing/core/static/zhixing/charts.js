/* Leaders' charts: every <div data-chart="URL"> fetches its court-scoped JSON and is drawn by the
   platform's own ECharts (vendor/echarts, no CDN). Under each chart a plain data table is printed as
   well (for screen readers, for printing, and as the fallback when ECharts cannot draw); a figure with
   a link opens the list of exactly the items it counts (click a bar or point, or the table's number).
   JSON: {title, kind: "line"|"bar", unit, categories: [...], series: [{name, data, axis?, kind?, links?}]} */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function table(spec) {
    var t = el("table", { "class": "chart-table", "data-testid": "chart-table" });
    t.appendChild(el("caption", {}, spec.title));
    var head = el("tr");
    head.appendChild(el("th", { scope: "col" }, ""));
    spec.series.forEach(function (s) { head.appendChild(el("th", { scope: "col", "class": "num" }, s.name)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    spec.categories.forEach(function (c, i) {
      var tr = body.appendChild(el("tr"));
      tr.appendChild(el("th", { scope: "row" }, c));
      spec.series.forEach(function (s) {
        var td = tr.appendChild(el("td", { "class": "num" }));
        var link = s.links && s.links[i];
        if (link) td.appendChild(el("a", { href: link }, s.data[i]));
        else td.textContent = String(s.data[i]);
      });
    });
    return t;
  }

  function option(spec, width) {
    var narrow = width < 520;
    var twoAxes = spec.series.some(function (s) { return s.axis === 1; });
    var rotated = spec.categories.length > 6;
    var yAxis = [{ type: "value", name: spec.unit || "", minInterval: 1 }];
    if (twoAxes) yAxis.push({ type: "value", name: "万元", position: "right" });
    return {
      animation: false,  // drawn at once: leaders print and screenshot these pages
      title: { text: spec.title, left: "center", textStyle: { fontSize: 14, width: Math.max(120, width - 24), overflow: "break" } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      // rotated category labels run left of their tick: room for the first one (a court's name was cut)
      grid: { left: rotated ? 64 : 16, right: 16, top: narrow ? 76 : 60, bottom: 40, containLabel: true },
      xAxis: {
        type: "category",
        data: spec.categories,
        axisLabel: rotated
          ? { interval: 0, rotate: 40, width: 112, overflow: "truncate" }
          : { interval: 0, width: Math.max(48, Math.floor(260 / spec.categories.length)), overflow: "break" }
      },
      yAxis: yAxis,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: s.kind || spec.kind,
          yAxisIndex: s.axis || 0,
          data: s.data.map(Number),
          cursor: s.links ? "pointer" : "default",
          label: { show: (s.kind || spec.kind) === "bar" && spec.categories.length <= 8, position: "top" }
        };
      })
    };
  }

  function draw(box) {
    if (box.getAttribute("data-chart-drawn")) return;
    box.setAttribute("data-chart-drawn", "loading");
    var url = box.getAttribute("data-chart");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (spec) {
        var canvas = el("div", { "class": "chart-canvas", role: "img", "aria-label": spec.title + "（数据见下方数据表）" });
        box.appendChild(canvas);
        var details = el("details", { "class": "chart-data" });
        details.appendChild(el("summary", {}, "查看数据表"));
        details.appendChild(table(spec));
        box.appendChild(details);
        if (window.echarts) {
          var chart = window.echarts.init(canvas, null, { renderer: "canvas" });
          chart.setOption(option(spec, canvas.clientWidth || 600));
          chart.on("click", function (p) {
            var s = spec.series[p.seriesIndex];
            var link = s && s.links && s.links[p.dataIndex];
            if (link) window.location.href = link;
          });
          window.addEventListener("resize", function () { chart.resize(); });
        } else {
          canvas.remove();
          details.open = true;
        }
        box.setAttribute("data-chart-drawn", "done");
      })
      .catch(function (err) {
        box.setAttribute("data-chart-drawn", "error");
        box.appendChild(el("p", { "class": "muted" }, "图表数据加载失败（" + err.message + "），请刷新重试。"));
      });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  else drawAll();
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
})();

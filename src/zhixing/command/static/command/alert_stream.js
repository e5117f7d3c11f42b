/* Live alert list: poll the since-id API every 5 s from the last id shown; after a lost connection the
   next successful call returns every alert raised meanwhile (nothing is missed). New rows go on top. */
(function () {
  "use strict";
  var box = document.getElementById("alert-stream");
  if (!box) return;
  var last = parseInt(box.dataset.lastId || "0", 10), mine = box.dataset.mine === "1";
  var tbody = document.querySelector("#alert-table tbody"), live = document.getElementById("live-state");
  function cell(text) { var td = document.createElement("td"); td.textContent = text || ""; return td; }
  function tick() {
    fetch("/api/v1/command/alerts?after=" + last + (mine ? "&mine=true" : ""), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (page) {
        live.textContent = "实时更新中";
        page.alerts.forEach(function (a) {
          if (document.getElementById("alert-" + a.id)) return;
          var tr = document.createElement("tr"); tr.id = "alert-" + a.id; tr.setAttribute("data-testid", "alert-row");
          var link = document.createElement("a"); link.href = "/command/alerts/" + a.id + "/"; link.textContent = a.subject;
          var subj = document.createElement("td"); subj.appendChild(link);
          [cell(String(a.id)), cell(a.kind_label), subj, cell(a.place), cell(a.case_number), cell(a.handler || "—"),
           cell(a.raised_at.slice(0, 16).replace("T", " ")), cell("待处理")].forEach(function (td) { tr.appendChild(td); });
          tbody.insertBefore(tr, tbody.firstChild);
        });
        last = page.next_after;
      })
      .catch(function () { live.textContent = "连接中断，恢复后自动补齐"; })
      .finally(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 5000);
})();

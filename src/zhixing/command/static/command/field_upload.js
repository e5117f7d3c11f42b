/* Evidence capture: hash the file on the phone, start a resumable upload with time and position, send
   256 KB chunks at the server's offset; after a dropped connection ask the server how much it holds and
   resume from there (a few retries with back-off). */
(function () {
  "use strict";
  var CHUNK = 256 * 1024;
  var button = document.getElementById("evidence-upload");
  if (!button) return;
  var state = document.getElementById("upload-state");
  // The token the page was rendered with (base.html's hx-headers), else the cookie.
  var csrf = "";
  try { csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { csrf = ""; }
  if (!csrf) csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  function say(t) { state.textContent = t; }
  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(function (p) { resolve(p.coords); }, function () { resolve(null); }, { timeout: 3000 });
    });
  }
  function call(method, url, body, type) {
    var headers = { "X-CSRFToken": csrf };
    if (type) headers["Content-Type"] = type;
    return fetch(url, { method: method, headers: headers, body: body, credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) { var e = new Error(j.detail || r.status); e.status = r.status; throw e; } return j; });
    });
  }
  function send(file, url, received, tries) {
    if (received >= file.size) return Promise.resolve(null);
    var part = file.slice(received, received + CHUNK);
    return call("PUT", url + "?offset=" + received, part, "application/octet-stream").then(function (j) {
      say("已上传 " + Math.round(j.received * 100 / file.size) + "%");
      if (j.evidence) return j;
      return send(file, url, j.received, 0);
    }, function (err) {
      if (err.status && err.status !== 409) throw err;
      if (tries >= 5) throw new Error("网络中断，请稍后重试");
      say("连接中断，正在续传…");
      return new Promise(function (ok) { setTimeout(ok, 500 * (tries + 1)); })
        .then(function () { return call("GET", url); })
        .then(function (j) { return send(file, url, j.received, tries + 1); });
    });
  }
  button.addEventListener("click", function () {
    var file = document.getElementById("evidence-file").files[0];
    if (!file) { say("请先拍照或选择文件"); return; }
    button.disabled = true;
    say("正在计算内容哈希…");
    Promise.all([file.arrayBuffer().then(window.zxSha256), position()]).then(function (res) {
      var body = { filename: file.name, content_type: file.type, size: file.size, sha256: res[0],
        captured_at: new Date(file.lastModified || Date.now()).toISOString(),
        latitude: res[1] ? res[1].latitude : null, longitude: res[1] ? res[1].longitude : null };
      return call("POST", button.dataset.start, JSON.stringify(body), "application/json");
    }).then(function (up) {
      return send(file, button.dataset.chunk.replace("TOKEN", up.token), up.received, 0);
    }).then(function (j) {
      say("上传完成，哈希 " + j.evidence.sha256.slice(0, 12) + "… 已记入审计链");
      var li = document.createElement("li"); li.setAttribute("data-testid", "uploaded-item");
      li.textContent = file.name + " · " + j.evidence.sha256.slice(0, 12) + "…";
      document.getElementById("uploaded").appendChild(li);
    }).catch(function (e) { say("上传失败：" + e.message); }).finally(function () { button.disabled = false; });
  });
})();

/* A download that takes seconds shows that it is being prepared (ADR 0012).
 *
 * Links marked data-download are fetched in the page: the link says 正在生成… and is disabled until
 * the file has arrived, then the file is saved under the server's name (Content-Disposition, RFC 5987)
 * and the link is restored. A refusal or error is said beside the link. Without JavaScript the link is
 * an ordinary download.
 */
(function () {
  "use strict";

  function fileName(header, fallback) {
    if (!header) return fallback;
    var star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
    if (star) {
      try {
        return decodeURIComponent(star[1].trim());
      } catch (e) {
        /* fall through to the plain name */
      }
    }
    var plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function status(link, text) {
    var id = (link.id || "download") + "-status";
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement("span");
      el.id = id;
      el.className = "download-status";
      el.setAttribute("role", "status");
      link.insertAdjacentElement("afterend", el);
    }
    el.textContent = text;
  }

  document.addEventListener("click", function (evt) {
    var link = evt.target instanceof Element ? evt.target.closest("a[data-download]") : null;
    if (!link || evt.defaultPrevented || evt.button !== 0 || evt.metaKey || evt.ctrlKey) return;
    evt.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    var label = link.innerHTML;
    link.setAttribute("aria-disabled", "true");
    link.setAttribute("aria-busy", "true");
    link.dataset.downloadState = "preparing";
    link.textContent = link.getAttribute("data-download") || "正在生成…";
    status(link, "");
    var started = Date.now();
    fetch(link.href, { credentials: "same-origin" })
      .then(function (resp) {
        if (!resp.ok) throw new Error("生成失败（" + resp.status + "），请稍后重试");
        var name = fileName(resp.headers.get("Content-Disposition"), link.href.split("/").pop());
        return resp.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var a = document.createElement("a");
          a.href = url;
          a.download = name;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(function () {
            URL.revokeObjectURL(url);
          }, 10000);
          link.dataset.downloadState = "done";
          link.dataset.downloadName = name;
          var secs = Math.max(1, Math.round((Date.now() - started) / 1000));
          status(link, "已生成（" + secs + " 秒）");
        });
      })
      .catch(function (err) {
        link.dataset.downloadState = "failed";
        status(link, err && err.message ? err.message : "生成失败，请稍后重试");
      })
      .then(function () {
        link.innerHTML = label;
        link.removeAttribute("aria-disabled");
        link.removeAttribute("aria-busy");
      });
  });
})();

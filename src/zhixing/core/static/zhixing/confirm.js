/* Confirmation before an irreversible action (ADR 0012).
 *
 * A form, or the button that submits it, carrying data-confirm="…consequence…" opens a native <dialog>
 * that spells the consequence out; only 确定 lets the POST go. hx- requests use the same dialog through
 * htmx's htmx:confirm event. Without JavaScript the form posts as before (the server still checks).
 */
(function () {
  "use strict";
  var dialog = null;

  function build() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.id = "confirm-dialog";
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-title");
    dialog.innerHTML =
      '<form method="dialog">' +
      '<h2 id="confirm-title">请确认</h2>' +
      '<p id="confirm-message"></p>' +
      '<div class="confirm-actions">' +
      '<button value="cancel" class="secondary" id="confirm-cancel">取消</button> ' +
      '<button value="ok" class="danger" id="confirm-ok">确定</button>' +
      "</div></form>";
    document.body.appendChild(dialog);
    return dialog;
  }

  /* Show `message`; call `onOk` only if the user chooses 确定 (Esc and 取消 cancel). */
  function ask(message, onOk) {
    var d = build();
    d.querySelector("#confirm-message").textContent = message;
    d.returnValue = "cancel";
    d.onclose = function () {
      if (d.returnValue === "ok") onOk();
    };
    if (typeof d.showModal === "function") {
      d.showModal();
      d.querySelector("#confirm-cancel").focus();
    } else if (window.confirm(message)) {
      onOk();
    }
  }

  document.addEventListener(
    "submit",
    function (evt) {
      var form = evt.target;
      if (!(form instanceof HTMLFormElement) || form.method === "dialog") return;
      var submitter = evt.submitter || null;
      var message =
        (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (!message || form.hasAttribute("hx-post")) return;
      if (form.dataset.confirmed === "1") {
        delete form.dataset.confirmed;
        return;
      }
      evt.preventDefault();
      evt.stopImmediatePropagation();
      ask(message, function () {
        form.dataset.confirmed = "1";
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit(submitter || undefined);
        } else {
          form.submit();
        }
      });
    },
    true
  );

  document.addEventListener("htmx:confirm", function (evt) {
    /* Only the element that makes the request: a poll inside a confirmed form must not ask. */
    var elt = evt.detail && evt.detail.elt;
    var message = elt && elt.getAttribute && elt.getAttribute("data-confirm");
    if (!message) return;
    evt.preventDefault();
    ask(message, function () {
      evt.detail.issueRequest(true);
    });
  });

  window.zhixingConfirm = ask;
})();

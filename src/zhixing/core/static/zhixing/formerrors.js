/* After a failed POST the user is put back where they were (ADR 0012): the first field marked invalid
 * (Django sets aria-invalid="true"; our own inline forms do the same) is scrolled into view and focused,
 * so an error beside a field low on a long page is not hidden behind a jump to the page top.
 */
(function () {
  "use strict";
  function focusFirstError() {
    var field = document.querySelector('main [aria-invalid="true"]');
    var anchor = field || document.querySelector("main .field-error, main .errorlist");
    if (!anchor) return;
    anchor.scrollIntoView({ block: "center" });
    if (field && typeof field.focus === "function") field.focus({ preventScroll: true });
  }
  /* After "load": the browser has done its own scrolling to the URL's #fragment by then, so the field
   * the user must fix is the one left in view and focused. */
  if (document.readyState === "complete") {
    focusFirstError();
  } else {
    window.addEventListener("load", function () {
      setTimeout(focusFirstError, 0);
    });
  }
})();

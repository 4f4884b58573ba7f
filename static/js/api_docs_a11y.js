// Swagger UI puts a link inside each operation's toggle button (a control inside a control,
// WCAG 4.1.2). The button already opens the operation: the link becomes plain text.
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".opblock-summary-control a[href]").forEach((link) => {
      link.removeAttribute("href");
    });
  }
  new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
})();

// Accessible names the Django admin's own markup leaves out (WCAG 2.1 A, found by axe-core):
// - the filter widgets' search icons carry aria-label on a plain <span>: give them role="img";
// - a tabular inline's inputs have only their column heading: name them after it;
// - a date-and-time field's two inputs have no label each: name them after the field's label
//   and the "Date:" / "Time:" text before them.
(function () {
  "use strict";

  function columnName(input) {
    const cell = input.closest("td");
    const table = input.closest("table");
    if (!cell || !table || !table.tHead) return "";
    const headings = table.tHead.rows[0].cells;
    let index = 0;
    for (let c = cell.parentElement.firstElementChild; c && c !== cell; c = c.nextElementSibling) {
      index += c.colSpan || 1;
    }
    let position = 0;
    for (const heading of headings) {
      position += heading.colSpan || 1;
      if (position > index) return heading.textContent.trim();
    }
    return "";
  }

  function splitDateTimeName(input) {
    const row = input.closest(".form-row, .fieldBox, fieldset");
    const fieldLabel = row && row.querySelector("label, legend");
    let text = input.previousSibling;
    while (text && text.nodeType !== Node.TEXT_NODE) text = text.previousSibling;
    const part = text ? text.textContent.trim() : "";
    return [fieldLabel ? fieldLabel.textContent.trim() : "", part].filter(Boolean).join(" ");
  }

  function hasName(input) {
    if (input.getAttribute("aria-label") || input.getAttribute("aria-labelledby")) return true;
    if (input.closest("label")) return true;
    return Boolean(input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`));
  }

  function fix(root) {
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("input, select, textarea").forEach((input) => {
      if (input.type === "hidden" || hasName(input)) return;
      const name = input.closest("p.datetime") ? splitDateTimeName(input) : columnName(input);
      if (name) input.setAttribute("aria-label", name);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    fix(document);
    // The filter widgets are drawn on "load", inline rows on "Add another": fix them as they come.
    new MutationObserver((changes) => {
      for (const change of changes) {
        change.addedNodes.forEach((node) => {
          if (node.nodeType === Node.ELEMENT_NODE) fix(node.parentElement || node);
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
})();

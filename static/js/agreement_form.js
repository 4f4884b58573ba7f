// Agreement form: running totals of the parties' shares, and adding a party form.
// No inline script: the page loads this file (a Content-Security-Policy comes later).
(function () {
  "use strict";
  var form = document.getElementById("agreement-form");
  if (!form) {
    return;
  }
  var container = document.getElementById("party-forms");
  var template = document.getElementById("party-empty-form");
  var addButton = document.getElementById("add-party");
  var totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");

  function isDeleted(input) {
    var card = input.closest(".party-form");
    var del = card && card.querySelector("input[type='checkbox'][name$='-DELETE']");
    return del && del.checked;
  }

  function updateTotals() {
    ["risk", "value"].forEach(function (kind) {
      var sum = 0;
      form.querySelectorAll("input[data-share='" + kind + "']").forEach(function (input) {
        if (isDeleted(input)) {
          return;
        }
        var value = parseFloat(String(input.value).replace(",", "."));
        if (!isNaN(value)) {
          sum += Math.round(value * 100);
        }
      });
      var output = document.getElementById(kind + "-total");
      if (output) {
        output.textContent = (sum / 100).toFixed(2);
        output.classList.toggle("text-danger", sum !== 10000);
        output.classList.toggle("text-success", sum === 10000);
      }
    });
  }

  if (addButton && template && totalForms) {
    addButton.classList.remove("d-none");
    addButton.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      container.insertAdjacentHTML("beforeend", html);
      totalForms.value = String(index + 1);
      var first = container.lastElementChild.querySelector("select, input");
      if (first) {
        first.focus();
      }
      updateTotals();
    });
  }

  form.addEventListener("input", updateTotals);
  form.addEventListener("change", updateTotals);
  updateTotals();
})();

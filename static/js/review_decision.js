// The review page's one decision form: show only the fields of the chosen decision.
// Without this script every fieldset shows, each under its legend.
(function () {
  "use strict";
  var form = document.querySelector(".decision-form");
  if (!form) {
    return;
  }
  var radios = form.querySelectorAll("input[type=radio][name=action]");
  var groups = form.querySelectorAll("fieldset[data-decision]");

  function show() {
    var chosen = form.querySelector("input[type=radio][name=action]:checked");
    var value = chosen ? chosen.value : "";
    groups.forEach(function (group) {
      // Nothing chosen yet: nothing to fill in, so no fields show.
      group.hidden = group.getAttribute("data-decision") !== value;
    });
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();

// The idea form: show ideas and projects of the region that look like the one being typed.
// Progressive enhancement: the form works without it. No inline script (Content-Security-Policy).
(function () {
  "use strict";
  const form = document.querySelector("form.idea-form[data-similar-url]");
  const target = document.getElementById("similar-ideas");
  if (!form || !target || !window.fetch) {
    return;
  }
  const title = form.querySelector("[name=title]");
  const problem = form.querySelector("[name=problem]");
  const DELAY_MS = 400;
  let timer = null;
  let lastQuery = "";
  let controller = null;

  function query() {
    const params = new URLSearchParams();
    params.set("title", title ? title.value.trim() : "");
    params.set("problem", problem ? problem.value.trim().slice(0, 1000) : "");
    if (form.dataset.exclude) {
      params.set("exclude", form.dataset.exclude);
    }
    return params.toString();
  }

  function lookUp() {
    const q = query();
    if (q === lastQuery) {
      return;
    }
    lastQuery = q;
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    fetch(form.dataset.similarUrl + "?" + q, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller.signal,
    })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        // The fragment is rendered by Django's auto-escaping templates from our own server.
        target.innerHTML = html;
      })
      .catch(function () {
        /* aborted or offline: keep what is shown */
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, DELAY_MS);
  }

  [title, problem].forEach(function (field) {
    if (field) {
      field.addEventListener("input", schedule);
    }
  });
  if ((title && title.value) || (problem && problem.value)) {
    lookUp();
  }
})();

/* Draws a chart above every table marked data-chart (above its <details>): the table stays as the text alternative,
   so the chart and the numbers can never disagree. Needs Chart.js (static/vendor/chartjs). */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var PALETTE = ["#1f4e5f", "#2f7d6d", "#b35c1e", "#6a4c93", "#8a6d00", "#9b2335", "#4a6fa5"];
  var HEALTH = { on_track: "#2e7d32", at_risk: "#b26a00", off_track: "#b3261e" };

  function numberOf(text) {
    var value = parseFloat(String(text).replace(/\s/g, "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function draw(table) {
    var column = parseInt(table.dataset.chartColumn || "1", 10);
    var labels = [];
    var values = [];
    var colours = [];
    table.querySelectorAll("tbody tr").forEach(function (row, index) {
      var head = row.querySelector("th");
      var cells = row.querySelectorAll("td");
      if (!head || cells.length < column) {
        return;
      }
      labels.push(head.textContent.trim());
      values.push(numberOf(cells[column - 1].textContent));
      colours.push(HEALTH[row.dataset.health] || PALETTE[index % PALETTE.length]);
    });
    if (!labels.length) {
      return;
    }
    var type = table.dataset.chart === "doughnut" ? "doughnut" : "bar";
    var wrapper = document.createElement("div");
    wrapper.className = "chart-box";
    var canvas = document.createElement("canvas");
    var caption = table.querySelector("caption");
    // The table below carries the same numbers for screen readers.
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", caption ? caption.textContent.trim() : "");
    wrapper.appendChild(canvas);
    // Above the disclosure that holds the table, so the chart shows while the table is folded.
    var anchor = table.closest("details") || table;
    anchor.parentNode.insertBefore(wrapper, anchor);
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: type === "doughnut" } },
    };
    if (type === "bar") {
      options.indexAxis = table.dataset.chartHorizontal ? "y" : "x";
      var valueAxis = options.indexAxis === "y" ? "x" : "y";
      options.scales = {};
      options.scales[valueAxis] = { beginAtZero: true, ticks: { precision: 0 } };
      if (table.dataset.chartMax) {
        options.scales[valueAxis].suggestedMax = parseFloat(table.dataset.chartMax);
      }
    }
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: labels,
        datasets: [{ label: table.dataset.chartLabel || "", data: values, backgroundColor: colours }],
      },
      options: options,
    });
  }

  document.querySelectorAll("table[data-chart]").forEach(draw);
})();

// Clicking a bar of the outcome-change-by-cost chart opens the search page for its projects.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var chart = document.getElementById("cost-change-chart-plot");
    if (!chart) { return; }
    // Attached as the chart is drawn (charts.js), so a click on a bar as soon as it shows counts.
    var attach = function () {
      chart.on("plotly_click", function (event) {
        var url = event.points && event.points[0] && event.points[0].customdata;
        if (url) { window.location.href = url; }
      });
    };
    if (chart.classList.contains("drawn")) {
      attach();
    } else {
      chart.addEventListener("chart:drawn", attach, { once: true });
    }
  });
})();

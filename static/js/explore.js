// Clicking a bar of the outcome-change-by-cost chart opens the search page for its projects.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var chart = document.getElementById("cost-change-chart-plot");
    if (!chart) { return; }
    var attach = function () {
      if (!chart.on) { return window.setTimeout(attach, 200); }
      chart.on("plotly_click", function (event) {
        var url = event.points && event.points[0] && event.points[0].customdata;
        if (url) { window.location.href = url; }
      });
    };
    attach();
  });
})();

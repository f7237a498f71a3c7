// On a phone the filter panel starts folded, so the first result is on the first screen; the
// "Filter (n applied)" button opens it. Without JavaScript it simply stays open. CSS already
// hides it from the first paint (.js, set in <head>), so folding it here moves nothing.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector(".filters-panel");
    if (panel) {
      if (window.matchMedia("(max-width: 50rem)").matches) { panel.open = false; }
      panel.setAttribute("data-ready", "");
    }
    // Ticking a facet applies it at once, with whatever else is typed in the form.
    document.querySelectorAll(".facet input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () { box.form.submit(); });
    });
  });
})();

// On a phone the filter panel starts folded, so the first result is on the first screen; the
// "Filter (n applied)" button opens it. Without JavaScript it simply stays open.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector(".filters-panel");
    if (panel && window.matchMedia("(max-width: 50rem)").matches) { panel.open = false; }
    // Ticking a facet applies it at once, with whatever else is typed in the form.
    document.querySelectorAll(".facet input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () { box.form.submit(); });
    });
  });
})();

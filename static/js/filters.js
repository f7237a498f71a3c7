// On a phone the filter panel starts folded, so the first result is on the first screen; the
// "Filter (n applied)" button opens it. Without JavaScript it simply stays open. CSS already
// hides it from the first paint (.js, set in <head>), so folding it here moves nothing.
(function () {
  "use strict";
  // Only the fields in use go into the URL, so a shared link reads ?phase=ks3, not ?q=&phase=ks3&min_cost=…
  // (without JavaScript the server redirects to the same tidy URL).
  function go(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "" && !(name === "ordering" && value === "relevance")) { params.append(name, value); }
    });
    var query = params.toString();
    window.location.assign(form.action + (query ? "?" + query : ""));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector(".filters-panel");
    if (panel) {
      if (window.matchMedia("(max-width: 50rem)").matches) { panel.open = false; }
      panel.setAttribute("data-ready", "");
    }
    var form = document.getElementById("filter-form");
    if (!form) { return; }
    form.addEventListener("submit", function (event) { event.preventDefault(); go(form); });
    // Ticking a facet applies it at once, with whatever else is typed in the form.
    form.querySelectorAll(".facet input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () { go(form); });
    });
  });
})();

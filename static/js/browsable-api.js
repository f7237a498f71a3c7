// DRF's base.html gives the page no language (axe: html-has-lang) and its format menu button no
// name (axe: button-name), both outside any template block, so they are set here; the response
// scrolls, so a keyboard must be able to focus it (axe: scrollable-region-focusable).
(function () {
  "use strict";
  document.documentElement.lang = "en";
  document.querySelectorAll(".format-selection .dropdown-toggle:not([aria-label])").forEach(function (button) {
    button.setAttribute("aria-label", "Formats");
  });
  document.querySelectorAll(".response-info pre").forEach(function (pre) { pre.tabIndex = 0; });
})();

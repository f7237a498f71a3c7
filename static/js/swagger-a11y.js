// Swagger UI draws two things that keyboards and screen readers cannot use, and redraws them as
// operations open: a parameter's <select> with no label (axe: select-name), and code blocks that
// scroll but cannot take focus, so a keyboard cannot scroll them (axe: scrollable-region-focusable).
(function () {
  "use strict";
  function mend(root) {
    root.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    });
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }
  var root = document.getElementById("swagger-ui");
  new MutationObserver(function () { mend(root); }).observe(root, {childList: true, subtree: true});
})();

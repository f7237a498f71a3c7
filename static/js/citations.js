// A citation link moves focus to the quote it points to (opening a folded list of quotes first)
// and shows a "Back to text" link there, which returns focus to the citation link.
(function () {
  "use strict";
  var refs = 0;

  function reveal(target) {
    var folded = target.closest("details");
    if (folded && !folded.open) { folded.open = true; }
    target.focus();
    target.scrollIntoView({block: "start"});
  }

  function backLink(quote, ref) {
    var back = quote.querySelector("a.back-to-text");
    if (!back) {
      back = document.createElement("a");
      back.className = "back-to-text";
      back.textContent = "Back to text";
      // First in the quote, so the next Tab after the jump reaches it.
      var number = quote.querySelector(".cite-number");
      quote.insertBefore(back, number ? number.nextSibling : quote.firstChild);
    }
    if (!ref.id) { ref.id = "ref-" + (refs += 1); }
    back.href = "#" + ref.id;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.ref, a.back-to-text");
    var target = link && link.hash && document.getElementById(link.hash.slice(1));
    if (!target) { return; }
    if (link.classList.contains("ref")) { backLink(target, link); }
    // After the browser's own jump to the fragment, which does not open <details> or move focus.
    window.setTimeout(function () { reveal(target); }, 0);
  });

  function revealHash() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.closest(".citations")) { reveal(target); }
  }
  window.addEventListener("hashchange", revealHash);
  document.addEventListener("DOMContentLoaded", revealHash);
})();

// The compare basket: projects ticked on any page of results are kept in this browser's storage
// (when it allows), counted in the header, and all sent when "Compare" is pressed. Without
// JavaScript, or with storage off, the ?compare= selection in the URL still works.
(function () {
  "use strict";
  var KEY = "oa-evidence-compare";
  var MAX = 6;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]").filter(Boolean).slice(0, MAX); }
    catch (error) { return []; }
  }
  function save(slugs) {
    try { window.localStorage.setItem(KEY, JSON.stringify(slugs.slice(0, MAX))); } catch (error) { /* storage off */ }
  }
  function showCount(slugs) {
    var link = document.querySelector("[data-compare-count]");
    if (!link) { return; }
    link.querySelector(".basket-count").textContent = slugs.length ? " (" + slugs.length + ")" : "";
    link.href = link.dataset.compareUrl + (slugs.length ? "?projects=" + slugs.map(encodeURIComponent).join(",") : "");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var basket = load();
    var form = document.getElementById("compare-form");
    if (form) {
      // The URL's ?compare= selection joins the basket.
      form.querySelectorAll("input[type=hidden][name=projects]").forEach(function (input) {
        if (basket.indexOf(input.value) < 0) { basket.push(input.value); }
        input.remove();
      });
      form.querySelectorAll("input[type=checkbox][name=projects]").forEach(function (box) {
        if (box.checked && basket.indexOf(box.value) < 0) { basket.push(box.value); }
        box.checked = basket.indexOf(box.value) >= 0;
        box.addEventListener("change", function () {
          basket = basket.filter(function (slug) { return slug !== box.value; });
          if (box.checked) { basket.push(box.value); }
          save(basket);
          showCount(basket);
        });
      });
      form.addEventListener("submit", function () {
        var onPage = {};
        form.querySelectorAll("input[type=checkbox][name=projects]").forEach(function (box) { onPage[box.value] = true; });
        basket.forEach(function (slug) {
          if (onPage[slug]) { return; }
          var input = document.createElement("input");
          input.type = "hidden"; input.name = "projects"; input.value = slug;
          form.appendChild(input);
        });
        save([]);  // compared: the basket starts afresh
      });
      save(basket);
    }
    showCount(basket);
  });
})();

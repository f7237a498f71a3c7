// Draws each chart from the figure data the server embedded beside it, loading plotly (about
// 390 KB compressed) only when the first chart comes near the viewport, so the page's text and
// tables render and respond first (Lighthouse's TBT and LCP on a phone).
(function () {
  "use strict";
  var script = document.currentScript;
  var plotlyUrl = script && script.dataset.plotly;
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = plotlyUrl;
        tag.async = true;
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  function drawOne(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || element.classList.contains("drawn")) { return; }
    loadPlotly().then(function (Plotly) {
      var figure = JSON.parse(source.textContent);
      return Plotly.newPlot(element, figure.data, figure.layout, {
        displayModeBar: false, responsive: true, locale: "en-GB"
      });
    }).then(function () {
      element.classList.add("drawn");
      // For a page's own handlers (explore.js): the chart can now take plotly's events.
      element.dispatchEvent(new CustomEvent("chart:drawn"));
      var button = document.querySelector('[data-chart-png="' + element.id + '"]');
      if (button) { button.hidden = false; }
    });
  }

  // A PNG of a drawn chart, made in the page (plotly renders to a data: image, which the CSP's
  // img-src allows), so it needs no server and no inline script.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-chart-png]");
    if (!button || !window.Plotly) { return; }
    window.Plotly.downloadImage(document.getElementById(button.dataset.chartPng), {
      format: "png", filename: button.dataset.filename, scale: 2
    });
  });

  function start() {
    var elements = document.querySelectorAll("[data-chart]");
    if (!("IntersectionObserver" in window)) { elements.forEach(drawOne); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); drawOne(entry.target); }
      });
    }, { rootMargin: "300px 0px" });
    elements.forEach(function (element) { observer.observe(element); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

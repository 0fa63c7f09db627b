// Draws the dashboards' plotly figures. The numbers are also in the table under each chart,
// so the page is complete without this file. Only SVG trace types are used (no WebGL), so
// plotly.js runs under the Content-Security-Policy without 'unsafe-eval'.
(function () {
  function draw(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout, {displayModeBar: false, responsive: true});
      el.dataset.drawn = "true";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.elt.parentNode || document); });
})();

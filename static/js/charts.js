// Draws the dashboards' plotly figures. The numbers are also in the table under each chart,
// so the page is complete without this file. Only SVG trace types are used (no WebGL), so
// plotly.js runs under the Content-Security-Policy without 'unsafe-eval'.
// A point (or a flow of the Sankey diagram) carries its lineage address in `customdata`
// (dashboards/pages/charts.py): clicking it opens that page, like the figure's table cell.
(function () {
  function lineageOf(event) {
    var point = event && event.points && event.points[0];
    var url = point && point.customdata;
    // Only the portal's own pages: a path, never another origin or a scheme.
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }
  function draw(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      var source = document.getElementById(el.dataset.figure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout, {displayModeBar: false, responsive: true}).then(function () {
        el.on("plotly_click", function (event) {
          var url = lineageOf(event);
          if (url) window.location.assign(url);
        });
        el.dataset.drawn = "true";
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.detail.elt.parentNode || document); });
})();

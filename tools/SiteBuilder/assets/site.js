// The course site's only script: typesets every formula with KaTeX and draws every chart with plotly.js, both
// loaded from the site's own assets/ folder. When it is done, window.dlwSiteReady is true (the browser test waits for it).
(function () {
  'use strict';

  function typeset() {
    document.querySelectorAll('.math').forEach(function (element) {
      var tex = element.textContent.trim();
      var display = element.tagName === 'DIV';
      if (tex.startsWith('\\(') && tex.endsWith('\\)')) {
        tex = tex.slice(2, -2);
      } else if (tex.startsWith('\\[') && tex.endsWith('\\]')) {
        tex = tex.slice(2, -2);
        display = true;
      }
      // TeX reads a bare operator such as \max as a one-token subscript (\lambda_\max); KaTeX wants braces.
      tex = tex.replace(/([_^])\\(max|min|sup|inf|lim|log|ln|exp|det|arg)\b/g, '$1{\\$2}');
      try {
        katex.render(tex, element, { displayMode: display, throwOnError: true });
        element.classList.add('typeset');
      } catch (error) {
        element.classList.add('math-error');
        console.error('A formula could not be typeset: ' + tex + ' (' + error.message + ')');
      }
    });
  }

  function drawCharts() {
    var charts = Array.prototype.slice.call(document.querySelectorAll('.chart[data-figure]'));
    if (charts.length === 0) return Promise.resolve();
    if (typeof Plotly === 'undefined') {
      console.error('plotly.js did not load, so the charts show their static pictures.');
      return Promise.resolve();
    }
    return Promise.all(charts.map(function (chart) {
      try {
        var figure = JSON.parse(document.getElementById(chart.dataset.figure).textContent);
        var config = { displaylogo: false, responsive: true };
        return Plotly.newPlot(chart.querySelector('.chart-plot'), figure.data, figure.layout || {}, config)
          .then(function () { chart.classList.add('drawn'); })
          .catch(function (error) { console.error('A chart could not be drawn: ' + error); });
      } catch (error) {
        console.error('A chart could not be drawn: ' + error);
        return Promise.resolve();
      }
    }));
  }

  if (typeof katex === 'undefined') {
    console.error('KaTeX did not load, so formulas stay as TeX.');
  } else {
    typeset();
  }
  drawCharts().then(
    function () { window.dlwSiteReady = true; },
    function (error) { console.error('A chart could not be drawn: ' + error); window.dlwSiteReady = true; });
})();

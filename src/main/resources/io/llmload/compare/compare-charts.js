// Draws compare.html's charts from the JSON in #compare-data (one series per run), then writes a
// render check (points per dataset as given and as drawn, and any errors) into #render-check.
(function () {
  'use strict';
  var check = { charts: [], errors: window.__reportErrors || [] };
  var charts = [];
  try {
    var data = JSON.parse(document.getElementById('compare-data').textContent);
    var colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    function levelled(run) {
      return run.phases.filter(function (p) { return typeof p.level === 'number'; })
        .sort(function (a, b) { return a.level - b.level; });
    }
    function make(id, config) {
      var el = document.getElementById('chart-' + id);
      charts.push({ id: id, chart: new Chart(el, config) });
    }
    function againstLevel(id, key, title, unit) {
      var any = data.runs.some(function (r) { return r.phases.some(function (p) { return typeof p[key] === 'number'; }); });
      if (!any) {
        // no run has the figure (e.g. no GPU data): say so instead of drawing an empty chart
        make(id, { type: 'line', data: { datasets: [] },
          options: { plugins: { title: { display: true, text: title + ': no data in these runs' } } } });
        return;
      }
      make(id, { type: 'line', data: { datasets: data.runs.map(function (r, i) {
          return { label: r.label, borderColor: colors[i % colors.length], backgroundColor: colors[i % colors.length],
            pointRadius: 3, data: levelled(r).map(function (p) {
              return { x: p.level, y: typeof p[key] === 'number' ? p[key] : null }; }) }; }) },
        options: { plugins: { title: { display: true, text: title } },
          scales: { x: { type: 'linear', title: { display: true, text: 'level' } },
            y: { title: { display: true, text: unit }, beginAtZero: true } } } });
    }
    againstLevel('throughput', 'tokens_per_s', 'Output tokens/s against level', 'tokens/s');
    againstLevel('ttft', 'ttft_p95_ms', 'TTFT p95 against level', 'ms');
    againstLevel('tpot', 'tpot_p50_ms', 'TPOT p50 against level', 'ms');
    againstLevel('energy', 'j_per_token', 'GPU energy per output token against level', 'J/token');
    var sets = data.runs.map(function (r, i) {
      return { label: r.label, type: 'scatter', borderColor: colors[i % colors.length],
        backgroundColor: colors[i % colors.length], pointRadius: 4,
        data: r.phases.filter(function (p) {
          return typeof p.tokens_per_s === 'number' && typeof p.per_user_tokens_per_s === 'number'; })
          .map(function (p) { return { x: p.per_user_tokens_per_s, y: p.tokens_per_s, phase: p.name }; }) };
    });
    var front = data.pareto.slice().sort(function (a, b) { return a.x - b.x; });
    sets.push({ label: 'Pareto front', type: 'line', borderColor: '#000', borderDash: [6, 4], pointRadius: 0,
      fill: false, data: front.map(function (p) { return { x: p.x, y: p.y }; }) });
    make('pareto', { type: 'scatter', data: { datasets: sets },
      options: { plugins: { title: { display: true, text: 'Pareto: aggregate against per-user output tokens/s' },
        tooltip: { callbacks: { label: function (c) {
          return c.dataset.label + (c.raw.phase ? ' ' + c.raw.phase : '') + ': ' + c.raw.x + ', ' + c.raw.y; } } } },
        scales: { x: { title: { display: true, text: 'per-user tokens/s (median request)' }, beginAtZero: true },
          y: { title: { display: true, text: 'aggregate output tokens/s' }, beginAtZero: true } } } });
  } catch (e) {
    check.errors.push('compare script: ' + (e && e.message ? e.message : String(e)));
  }
  charts.forEach(function (c) {
    check.charts.push({ id: c.id, datasets: c.chart.data.datasets.map(function (ds, i) {
      return { label: ds.label, points: ds.data.length, drawn: c.chart.getDatasetMeta(i).data.length };
    }) });
  });
  check.scripts = document.scripts.length;
  check.images = document.images.length;
  check.injected = (typeof window.__pwned === 'undefined') ? null : String(window.__pwned);
  document.getElementById('render-check').textContent = JSON.stringify(check);
})();

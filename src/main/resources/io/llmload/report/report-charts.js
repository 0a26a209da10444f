// Draws the report's charts from the JSON in #report-data, then writes a render check (points per
// dataset as given and as drawn, and any errors) into #render-check for automated verification.
(function () {
  'use strict';
  var check = { charts: [], skipped: [], errors: window.__reportErrors || [] };
  var charts = [];
  try {
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var word = data.level_word;
    var colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;

    var levelled = data.phases.filter(function (p) { return typeof p.level === 'number'; })
      .sort(function (a, b) { return a.level - b.level; });
    var positive = levelled.length > 0 && levelled.every(function (p) { return p.level > 0; });
    function pts(key) {
      return levelled.map(function (p) { return { x: p.level, y: (typeof p[key] === 'number') ? p[key] : null }; });
    }
    function line(label, points, color, axis) {
      return { label: label, data: points, borderColor: color, backgroundColor: color, yAxisID: axis || 'y',
        spanGaps: false, pointRadius: 3, borderWidth: 2 };
    }
    var levelValues = levelled.map(function (p) { return p.level; });
    function levelAxis() {
      // Ticks only at the levels tested: a log axis would otherwise label 1.1, 1.2, ...
      return { type: positive ? 'logarithmic' : 'linear', title: { display: true, text: word },
        afterBuildTicks: function (axis) { axis.ticks = levelValues.map(function (v) { return { value: v }; }); },
        // The log axis would label only 1, 2, 5 × 10^n and leave 4, 8, 16... blank.
        ticks: { autoSkip: false, callback: function (v) { return String(v); } } };
    }
    function make(id, cfg) {
      var el = document.getElementById('chart-' + id);
      if (!el) { check.errors.push('no canvas for ' + id); return; }
      if (cfg.skip) {
        // a chart with nothing to say (one level, no GPU samples) is left out, not drawn empty
        el.parentNode.hidden = true;
        check.skipped.push(id);
        return;
      }
      var empty = cfg.data.datasets.every(function (ds) {
        return ds.data.every(function (p) { return p === null || (typeof p === 'object' && p.y === null); });
      });
      if (empty) cfg.options.plugins.title.text += ' (no data in this run)';
      charts.push({ id: id, chart: new Chart(el, cfg) });
    }

    var oneLevel = levelled.length < 2;
    make('throughput-vs-level', { skip: oneLevel, type: 'line', data: { datasets: [
        line('aggregate output tokens/s', pts('output_tokens_per_s'), colors[0], 'y'),
        line('per-request tokens/s (mean)', pts('tokens_per_s_mean'), colors[1], 'y1')] },
      options: { plugins: { title: { display: true, text: 'Aggregate and per-request tokens/s against ' + word } },
        scales: { x: levelAxis(), y: { title: { display: true, text: 'aggregate tokens/s' }, beginAtZero: true },
          y1: { position: 'right', title: { display: true, text: 'per-request tokens/s' }, beginAtZero: true,
            grid: { drawOnChartArea: false } } } } });

    ['ttft', 'tpot'].forEach(function (m) {
      make(m + '-vs-level', { skip: oneLevel, type: 'line', data: { datasets: ['p50', 'p95', 'p99'].map(function (q, i) {
          return line(m.toUpperCase() + ' ' + q, pts(m + '_ms_' + q), colors[i]); }) },
        options: { plugins: { title: { display: true, text: m.toUpperCase() + ' percentiles against ' + word } },
          scales: { x: levelAxis(), y: { title: { display: true, text: 'ms' }, beginAtZero: true } } } });
    });

    var s = data.series;
    var phases = s.phases || [];
    // Phases shaded behind the time charts; the warm-up part of each phase lighter still.
    var shade = { id: 'phaseShade', beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x, a = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      phases.forEach(function (p, i) {
        var x0 = x.getPixelForValue(p.start_s), xw = x.getPixelForValue(p.warmup_end_s), x1 = x.getPixelForValue(p.end_s);
        ctx.fillStyle = i % 2 ? 'rgba(31,119,180,0.10)' : 'rgba(44,160,44,0.10)';
        ctx.fillRect(xw, a.top, Math.max(0, x1 - xw), a.bottom - a.top);
        ctx.fillStyle = 'rgba(128,128,128,0.12)';
        ctx.fillRect(x0, a.top, Math.max(0, xw - x0), a.bottom - a.top);
        ctx.fillStyle = '#555';
        ctx.font = '11px sans-serif';
        ctx.fillText(p.name, Math.max(a.left, x0) + 3, a.top + 12);
      });
      ctx.restore();
    } };
    function xy(arr) { return s.t_s.map(function (t, i) { return { x: t, y: arr[i] }; }); }
    var tEnd = phases.reduce(function (m, p) { return Math.max(m, p.end_s); },
      s.t_s.length ? s.t_s[s.t_s.length - 1] + s.bucket_s / 2 : 1);
    var timeX = { type: 'linear', min: 0, max: tEnd, title: { display: true, text: 'seconds since run start' } };

    make('timeline', { type: 'line', plugins: [shade], data: { datasets: [
        line('output tokens/s', xy(s.output_tokens_per_s), colors[0], 'y'),
        line('TTFT mean (ms)', xy(s.ttft_ms_mean), colors[1], 'y1'),
        line('E2E mean (ms)', xy(s.e2e_ms_mean), colors[3], 'y1')] },
      options: { plugins: { title: { display: true, text: 'Throughput and latency over time (phases shaded, warm-up grey)' } },
        elements: { point: { radius: 0 } },
        scales: { x: timeX, y: { title: { display: true, text: 'tokens/s' }, beginAtZero: true },
          y1: { position: 'right', title: { display: true, text: 'ms' }, beginAtZero: true, grid: { drawOnChartArea: false } } } } });

    var g = s.gpu;
    make('gpu-timeline', { skip: !g, type: 'line', plugins: [shade], data: { datasets: g ? [
        line('power per GPU (W)', xy(g.power_w), colors[3], 'y'),
        line('utilisation (%)', xy(g.util_pct), colors[2], 'y'),
        line('SM clock (MHz)', xy(g.sm_clock_mhz), colors[4], 'y1')] : [] },
      options: { plugins: { title: { display: true, text: g ? 'GPU power, utilisation and SM clock over time' : 'GPU: no samples in this run' } },
        elements: { point: { radius: 0 } },
        scales: { x: timeX, y: { title: { display: true, text: 'W / %' }, beginAtZero: true },
          y1: { position: 'right', title: { display: true, text: 'MHz' }, beginAtZero: true, grid: { drawOnChartArea: false } } } } });

    var d = data.distribution;
    make('token-speed', { type: 'bar', data: { labels: (d.bin_start || []).map(function (v) { return String(v); }),
        datasets: (d.phases || []).map(function (p, i) {
          return { label: p.name, data: p.counts, backgroundColor: colors[i % colors.length] + 'aa' }; }) },
      options: { plugins: { title: { display: true, text: 'Distribution of per-request tokens/s (bin start)' } },
        scales: { x: { title: { display: true, text: 'tokens/s' } }, y: { title: { display: true, text: 'requests' } } } } });

    // TTFT, ITL and E2E distributions per phase, and prompt and output lengths: log-spaced bins, four per octave
    [['ttft_ms', 'TTFT', 'ms', 'requests'], ['itl_ms', 'ITL', 'ms', 'gaps'], ['e2e_ms', 'E2E', 'ms', 'requests'],
      ['prompt_tokens', 'prompt length', 'tokens', 'requests'], ['output_tokens', 'output length', 'tokens', 'requests']].forEach(function (m) {
      var dd = (data.distributions || {})[m[0]] || { bin_start: [], phases: [] };
      make(m[0].replace('_ms', '').replace('_', '-') + '-dist', { skip: !dd.phases.length, type: 'bar', data: {
          labels: dd.bin_start.map(function (v) { return String(Number(v.toPrecision(3))); }),
          datasets: dd.phases.map(function (p, i) {
            return { label: p.name, data: p.counts, backgroundColor: colors[i % colors.length] + 'aa' }; }) },
        options: { plugins: { title: { display: true, text: 'Distribution of ' + m[1] + ' (bin start, ' + m[2] + '; 4 bins per octave)' } },
          scales: { x: { title: { display: true, text: m[2] } }, y: { title: { display: true, text: m[3] } } } } });
    });
  } catch (e) {
    check.errors.push('report script: ' + (e && e.message ? e.message : String(e)));
  }
  charts.forEach(function (c) {
    check.charts.push({ id: c.id, datasets: c.chart.data.datasets.map(function (ds, i) {
      return { label: ds.label, points: ds.data.length, drawn: c.chart.getDatasetMeta(i).data.length };
    }) });
  });
  // What a payload in server or model text would have changed had it not been escaped.
  check.scripts = document.scripts.length;
  check.images = document.images.length;
  check.injected = (typeof window.__pwned === 'undefined') ? null : String(window.__pwned);
  document.getElementById('render-check').textContent = JSON.stringify(check);
})();

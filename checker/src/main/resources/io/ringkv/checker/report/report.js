// Draws the report's charts and timelines from the JSON in #report-data. Plain DOM and SVG, no
// libraries, nothing fetched: the page must open from disk, offline, years from now.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var drawn = 0;

  function svg(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function html(name, attrs, parent, text) {
    var e = document.createElement(name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function label(parent, x, y, text, attrs) {
    var t = svg('text', Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = text;
    return t;
  }
  function tooltip(parent, text) { svg('title', {}, parent).textContent = text; }
  // A round step that cuts [0, span] into about n parts: 1, 2 or 5 times a power of ten.
  function niceStep(span, n) {
    var raw = Math.max(span / n, 1e-9), p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function fmtMs(ms) { return ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + ' s' : (+ms.toFixed(3)) + ' ms'; }

  // Axes and fault shading shared by the two charts over run time.
  function timeFrame(container, title, yLabel) {
    var W = 1100, H = 260, L = 64, R = 16, T = 18, B = 34;
    var box = html('div', { 'class': 'chart', 'aria-label': title }, container);
    var root = svg('svg', { width: W, height: H, role: 'img' }, box);
    var end = Math.max(data.end, 1e-3);
    var x = function (ms) { return L + (W - L - R) * ms / end; };
    var faults = svg('g', { 'class': 'fault' }, root);
    data.faults.forEach(function (f) {
      var r = svg('rect', { x: x(f.start), y: T, width: Math.max(2, x(f.end) - x(f.start)), height: H - T - B }, faults);
      tooltip(r, f.fault + ': ' + fmtMs(f.start) + ' to ' + fmtMs(f.end));
      label(faults, x(f.start) + 3, T + 10, f.fault);
    });
    var axis = svg('g', { 'class': 'axis' }, root);
    svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B }, axis);
    svg('line', { x1: L, y1: T, x2: L, y2: H - B }, axis);
    var step = niceStep(end, 10);
    for (var t = 0; t <= end + 1e-9; t += step) {
      svg('line', { x1: x(t), y1: H - B, x2: x(t), y2: H - B + 4 }, axis);
      label(axis, x(t), H - B + 16, fmtMs(t), { 'text-anchor': 'middle' });
    }
    label(axis, L - 56, T - 6, yLabel);
    return { root: root, axis: axis, x: x, top: T, bottom: H - B, left: L, right: W - R };
  }

  function latencyChart(container) {
    var pts = data.latency;
    var f = timeFrame(container, 'latency over time', 'latency (log)');
    var max = 1e-3, min = Infinity;
    pts.forEach(function (p) { max = Math.max(max, p[1]); if (p[1] > 0) { min = Math.min(min, p[1]); } });
    var lo = Math.floor(Math.log10(Math.min(min === Infinity ? 1 : min, max))), hi = Math.ceil(Math.log10(max));
    if (hi === lo) { hi = lo + 1; }
    var y = function (ms) {
      var v = Math.log10(Math.max(ms, Math.pow(10, lo)));
      return f.bottom - (f.bottom - f.top) * (v - lo) / (hi - lo);
    };
    for (var e = lo; e <= hi; e++) {
      svg('line', { x1: f.left - 4, y1: y(Math.pow(10, e)), x2: f.left, y2: y(Math.pow(10, e)) }, f.axis);
      label(f.axis, f.left - 6, y(Math.pow(10, e)) + 4, fmtMs(Math.pow(10, e)), { 'text-anchor': 'end' });
    }
    var colors = ['#2f6fbd', '#d4a017', '#c0392b'];
    var g = svg('g', {}, f.root);
    pts.forEach(function (p) {
      svg('circle', { cx: f.x(p[0]).toFixed(1), cy: y(p[1]).toFixed(1), r: 1.6, fill: colors[p[2]], 'fill-opacity': 0.55 }, g);
    });
    legend(container, [['#2f6fbd', 'ok'], ['#d4a017', 'fail'], ['#c0392b', 'info (unknown)'], ['rgba(214,40,40,.25)', 'fault active']]);
  }

  function throughputChart(container) {
    var f = timeFrame(container, 'throughput', 'ops/s');
    var size = niceStep(Math.max(data.end, 1e-3), 80);
    var n = Math.ceil(Math.max(data.end, 1e-3) / size) + 1, buckets = [];
    for (var i = 0; i < n; i++) { buckets.push([0, 0, 0]); }
    data.latency.forEach(function (p) {
      var b = Math.min(n - 1, Math.floor((p[0] + p[1]) / size));
      buckets[b][p[2]] += 1;
    });
    var perSec = 1000 / size, max = 1;
    buckets.forEach(function (b) { max = Math.max(max, (b[0] + b[1] + b[2]) * perSec); });
    var y = function (v) { return f.bottom - (f.bottom - f.top) * v / max; };
    var step = niceStep(max, 5);
    for (var v = 0; v <= max; v += step) {
      label(f.axis, f.left - 6, y(v) + 4, Math.round(v), { 'text-anchor': 'end' });
    }
    var colors = ['#2f6fbd', '#d4a017', '#c0392b'];
    buckets.forEach(function (b, i) {
      var base = 0;
      for (var k = 0; k < 3; k++) {
        if (!b[k]) { continue; }
        var h = b[k] * perSec;
        var r = svg('rect', { x: f.x(i * size), y: y(base + h), width: Math.max(1, f.x(size) - f.x(0) - 1), height: y(base) - y(base + h), fill: colors[k] }, f.root);
        tooltip(r, fmtMs(i * size) + ': ' + Math.round(h) + ' ' + ['ok', 'fail', 'info'][k] + ' ops/s');
        base += h;
      }
    });
  }

  function legend(container, items) {
    var p = html('p', { 'class': 'legend' }, container);
    items.forEach(function (it) {
      var s = html('span', {}, p);
      s.style.background = it[0];
      p.appendChild(document.createTextNode(it[1]));
    });
  }

  // One partition's operations on a time axis compressed to the order of events, a row per client.
  function timeline(container, part) {
    var ops = part.ops;
    var times = [];
    ops.forEach(function (o) { times.push(o.call); if (o.ret >= 0) { times.push(o.ret); } });
    times.sort(function (a, b) { return a - b; });
    var rank = new Map();
    times.forEach(function (t) { if (!rank.has(t)) { rank.set(t, rank.size); } });
    var clients = Array.from(new Set(ops.map(function (o) { return o.client; }))).sort(function (a, b) { return a - b; });
    var row = new Map(clients.map(function (c, i) { return [c, i]; }));
    var order = new Map(), states = new Map();
    part.lin.forEach(function (s, i) { order.set(s[0], i + 1); states.set(s[0], s[1]); });

    var U = 22, RH = 26, L = 78, T = 8;
    var end = rank.size + 2;
    var X = function (r) { return L + r * U; };
    var W = X(end) + 10, H = T + clients.length * RH + 8;
    var box = html('div', { 'class': 'timeline' }, container);
    var root = svg('svg', { width: W, height: H }, box);
    var defs = svg('defs', {}, root);
    var grad = svg('linearGradient', { id: 'fade' }, defs);
    svg('stop', { offset: '0%', 'stop-color': '#d6e6fb' }, grad);
    svg('stop', { offset: '100%', 'stop-color': '#ffffff' }, grad);
    var retX = function (o) { return o.ret >= 0 ? X(rank.get(o.ret)) + U * 0.7 : X(end); };

    if (part.unplaced !== null && part.unplaced !== undefined) {
      var u = ops[part.unplaced];
      var band = svg('rect', { 'class': 'failing', x: X(rank.get(u.call)) - 2, y: 2, width: retX(u) - X(rank.get(u.call)) + 4, height: H - 4 }, root);
      tooltip(band, 'failing region: the interval of the operation that cannot be placed');
      // Long histories: open the page on the failing region rather than on the start.
      box.scrollLeft = Math.max(0, X(rank.get(u.call)) - 300);
    }
    clients.forEach(function (c, i) {
      var g = svg('g', { 'class': 'client' }, root);
      label(g, 6, T + i * RH + RH / 2 + 4, 'process ' + c);
    });
    ops.forEach(function (o, i) {
      var x1 = X(rank.get(o.call)), x2 = retX(o), y = T + row.get(o.client) * RH + 3;
      var cls = 'op' + (o.ret < 0 ? ' info' : '') + (i === part.unplaced ? ' unplaced'
        : (part.verdict !== 'OK' && !order.has(i) ? ' outside' : ''));
      var g = svg('g', { 'class': cls }, root);
      svg('rect', { x: x1, y: y, width: Math.max(6, x2 - x1), height: RH - 6 }, g);
      var n = order.get(i);
      var text = (n ? n + '. ' : '') + o.desc;
      var fit = Math.floor((x2 - x1 - 6) / 6.2);
      if (fit > 2) { label(g, x1 + 4, y + RH / 2 + 1, text.length > fit ? text.slice(0, fit - 1) + '…' : text); }
      tooltip(g, 'process ' + o.client + ': ' + o.desc + '\ninvoked ' + o.call + ', ' +
        (o.ret >= 0 ? 'returned ' + o.ret : 'outcome unknown (' + o.outcome + ')') +
        (n ? '\nlinearized #' + n + ', state after: ' + states.get(i) : '') +
        (i === part.unplaced ? '\ncannot take effect after the longest linearizable prefix' : ''));
    });
    drawn++;

    var det = html('details', {}, container);
    html('summary', {}, det, (part.verdict === 'OK' ? 'Linearization' : 'Longest linearizable prefix') +
      ' (' + part.lin.length + ' of ' + ops.length + ' operations)');
    var ol = html('ol', { 'class': 'linearization' }, det);
    part.lin.forEach(function (s) {
      html('li', {}, ol, 'process ' + ops[s[0]].client + ': ' + ops[s[0]].desc + '   → ' + s[1]);
    });
    if (part.unplaced !== null && part.unplaced !== undefined) {
      html('li', { 'class': 'unplaced' }, ol, 'process ' + ops[part.unplaced].client + ': ' +
        ops[part.unplaced].desc + '   cannot take effect here');
    }
  }

  function partitionView(container, part) {
    var name = part.name === '' ? 'the history' : 'partition ' + part.name;
    var head = part.verdict + ' · ' + name + ' · ' + part.size + ' operations' + (part.undecided ? ' · ' + part.undecided : '');
    if (!part.ops) {
      html('p', { 'class': 'meta' }, container, head + ' (too large to draw)');
      return;
    }
    if (part.verdict === 'ILLEGAL') {
      html('h3', {}, container, head);
      html('p', { 'class': 'legend' }, container, 'Numbers give the order of the longest linearizable prefix found; ' +
        'the red operation cannot take effect after it, and the shaded band is its interval. Grey operations are ' +
        'not in the prefix; a dashed outline means an unknown outcome (it may take effect until the end). ' +
        'Hover for details.');
      timeline(container, part);
      return;
    }
    var det = html('details', {}, container);
    html('summary', {}, det, head);
    var open = false;
    det.addEventListener('toggle', function () { if (det.open && !open) { open = true; timeline(det, part); } });
  }

  try {
    var latency = document.getElementById('latency-chart');
    if (latency) {
      latencyChart(latency); drawn++;
      throughputChart(document.getElementById('throughput-chart')); drawn++;
    }
    var boxes = document.querySelectorAll('.timelines[data-checker="linearizability"]');
    data.linearizability.forEach(function (lin, i) {
      var box = boxes[i];
      if (!box) { return; }
      lin.partitions.forEach(function (p) { partitionView(box, p); });
    });
    document.getElementById('render-status').textContent = 'Rendered ' + drawn + ' charts and timelines.';
    document.body.setAttribute('data-rendered', 'true');
  } catch (e) {
    document.getElementById('render-status').textContent = 'Rendering failed: ' + e;
    throw e;
  }
})();

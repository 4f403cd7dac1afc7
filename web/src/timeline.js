// Timeline view: records per month by category as stacked bars. Brushing
// sets since/until. The bars show every month the other filters allow, so the
// brush shows where the date filter sits.
import { axisBottom, axisLeft } from 'd3-axis';
import { brushX } from 'd3-brush';
import { max } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { api, latest } from './api.js';
import { clear, el, svg } from './dom.js';
import { filterKey, update } from './state.js';
import { CATEGORIES, categoryColour, label } from './vocab.js';

let loadedKey = null;
let last = null;
let lastWidth = 0;
let brushing = false;
const next = latest();

function monthsBetween(a, b) {
  const out = [];
  let [y, m] = a.split('-').map(Number);
  const [ey, em] = b.split('-').map(Number);
  while (y < ey || (y === ey && m <= em)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export function showTimeline(s, { onError } = {}) {
  const key = filterKey(s, ['since', 'until']);
  const wrap = document.getElementById('timeline-wrap');
  if (key === loadedKey) {
    if (last && wrap.clientWidth !== lastWidth) draw(last, s);
    else if (last) placeBrush(s);
    return;
  }
  loadedKey = key;
  const status = document.getElementById('timeline-status');
  status.textContent = 'Loading…';
  const signal = next();
  api.timeline(s, ['since', 'until'], signal).then((t) => {
    last = t;
    draw(t, s);
  }).catch((e) => {
    if (e.name === 'AbortError') return;
    loadedKey = null;
    status.textContent = `Could not load the timeline: ${e.message}`;
    if (onError) onError(e);
  });
}

let ctx = null; // {x, months, gBrush, brush, M}

function draw(t, s) {
  const wrap = document.getElementById('timeline-wrap');
  const status = document.getElementById('timeline-status');
  lastWidth = wrap.clientWidth;
  const buckets = (t.buckets || []).filter((b) => /^\d{4}-\d{2}$/.test(b.month));
  clear(wrap);
  if (!buckets.length) {
    status.textContent = 'No dated record passes the filters.';
    ctx = null;
    return;
  }
  const monthsSeen = buckets.map((b) => b.month).sort();
  const months = monthsBetween(monthsSeen[0], monthsSeen[monthsSeen.length - 1]);
  const cats = [...new Set(buckets.map((b) => b.category))].sort((a, b) => CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b));
  const perMonth = new Map(months.map((m) => [m, new Map()]));
  for (const b of buckets) perMonth.get(b.month).set(b.category, (perMonth.get(b.month).get(b.category) || 0) + b.records);
  const totals = months.map((m) => [...perMonth.get(m).values()].reduce((a, b) => a + b, 0));
  const total = totals.reduce((a, b) => a + b, 0);

  const W = Math.max(640, wrap.clientWidth || 900);
  const H = Math.max(300, Math.min(460, (wrap.clientHeight || 420)));
  const M = { top: 22, right: 16, bottom: 30, left: 44 };
  const x = scaleBand().domain(months).range([M.left, W - M.right]).paddingInner(months.length > 80 ? 0.05 : 0.15);
  const y = scaleLinear().domain([0, max(totals) || 1]).nice().range([H - M.bottom, M.top]);

  const root = svg('svg', { class: 'timeline', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `Records per month, ${months[0]} to ${months[months.length - 1]}` });
  const bars = svg('g', { class: 'bars' });
  for (const [i, m] of months.entries()) {
    let y0 = 0;
    for (const c of cats) {
      const n = perMonth.get(m).get(c) || 0;
      if (!n) continue;
      const r = svg('rect', { class: 'bar', x: x(m), width: Math.max(1, x.bandwidth()), y: y(y0 + n), height: Math.max(0.5, y(y0) - y(y0 + n)), fill: categoryColour(c), 'data-month': m, 'data-category': c },
        svg('title', null, `${m}: ${n} record${n === 1 ? '' : 's'} of ${label(c)} (month total ${totals[i]})`));
      bars.append(r);
      y0 += n;
    }
  }
  root.append(bars);
  wrap.append(root);

  // Axes with d3 (attributes only: no inline styles).
  const every = Math.ceil(months.length / Math.max(2, Math.floor((W - M.left - M.right) / 64)));
  const xa = axisBottom(x).tickValues(months.filter((m, i) => i % every === 0)).tickSizeOuter(0);
  const ya = axisLeft(y).ticks(Math.min(6, max(totals) || 1)).tickFormat((v) => (Number.isInteger(v) ? String(v) : ''));
  select(root).append('g').attr('class', 'axis axis-x').attr('transform', `translate(0,${H - M.bottom})`).call(xa);
  select(root).append('g').attr('class', 'axis axis-y').attr('transform', `translate(${M.left},0)`).call(ya);
  select(root).append('text').attr('class', 'axis-label').attr('x', 6).attr('y', 11).text('records per month');

  // Brush: snaps to whole months.
  const brush = brushX().extent([[M.left, M.top], [W - M.right, H - M.bottom]])
    .on('end', (ev) => {
      if (brushing || !ev.sourceEvent) return;
      if (!ev.selection) {
        update({ since: null, until: null, offset: null });
        return;
      }
      const [a, b] = ev.selection;
      const step = x.step();
      const i0 = Math.max(0, Math.min(months.length - 1, Math.round((a - M.left) / step)));
      const i1 = Math.max(i0, Math.min(months.length - 1, Math.round((b - M.left) / step) - 1));
      update({ since: months[i0], until: months[i1], offset: null });
    });
  const gBrush = select(root).append('g').attr('class', 'brush').call(brush);
  ctx = { x, months, gBrush, brush };
  placeBrush(s);

  const legend = el('ul', { class: 'timeline-legend' });
  for (const c of cats) {
    const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.backgroundColor = categoryColour(c);
    legend.append(el('li', null, sw, label(c)));
  }
  wrap.append(legend);
  status.textContent = `${total} dated record${total === 1 ? '' : 's'}, ${months[0]} to ${months[months.length - 1]}${s.since || s.until ? ` · selected ${s.since || '…'} to ${s.until || '…'}` : ''}`;
  wrap.dataset.ready = 'true';
}

/** Shows since/until as the brush selection (without feeding back into the URL). */
function placeBrush(s) {
  if (!ctx) return;
  const { x, months, gBrush, brush } = ctx;
  const status = document.getElementById('timeline-status');
  if (last) status.textContent = status.textContent.replace(/ · selected .*$/, '') + (s.since || s.until ? ` · selected ${s.since || '…'} to ${s.until || '…'}` : '');
  brushing = true;
  try {
    if (!s.since && !s.until) {
      gBrush.call(brush.move, null);
      return;
    }
    const s7 = !s.since ? months[0] : s.since.length === 4 ? `${s.since}-01` : s.since.slice(0, 7);
    const u7 = !s.until ? months[months.length - 1] : s.until.length === 4 ? `${s.until}-12` : s.until.slice(0, 7);
    const i0 = months.findIndex((m) => m >= s7);
    let i1 = -1;
    for (let i = months.length - 1; i >= 0; i--) if (months[i] <= u7) { i1 = i; break; }
    if (i0 < 0 || i1 < 0 || i1 < i0) {
      gBrush.call(brush.move, null);
      return;
    }
    gBrush.call(brush.move, [x(months[i0]), x(months[i1]) + x.bandwidth()]);
  } finally {
    brushing = false;
  }
}

export function initTimeline() {
  document.getElementById('timeline-clear').addEventListener('click', () => update({ since: null, until: null, offset: null }));
}

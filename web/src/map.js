// Map view: the same flows as arcs between countries (Natural Earth 1:110m
// from world-atlas). Actor codes of states are ISO 3166-1 alpha-3; the atlas
// uses ISO numeric ids. Non-state actors have no place on the map.
import { geoArea, geoCentroid, geoNaturalEarth1, geoPath, geoGraticule10 } from 'd3-geo';
import { feature } from 'topojson-client';
import codes from 'i18n-iso-countries/codes.json';
import { api, latest } from './api.js';
import { clear, el, svg } from './dom.js';
import { filterKey, update } from './state.js';
import { categoryColour, credibilityText, isState, label } from './vocab.js';

const A3_TO_NUM = new Map(codes.map((c) => [c[1], c[2]]));
const BY_NAME = { XKX: 'Kosovo', XKK: 'Kosovo' }; // atlas features without an ISO id

let world = null; // { features, byId: Map(numeric -> feature), byName }
let loadedKey = null;
let lastGraph = null;
let lastSize = '';
const next = latest();

async function loadWorld() {
  if (world) return world;
  const res = await fetch('/assets/countries-110m.json');
  if (!res.ok) throw new Error(`world map: ${res.status}`);
  const topo = await res.json();
  const fc = feature(topo, topo.objects.countries);
  const byId = new Map();
  const byName = new Map();
  for (const f of fc.features) {
    if (f.id) byId.set(String(f.id).padStart(3, '0'), f);
    if (f.properties && f.properties.name) byName.set(f.properties.name, f);
  }
  world = { features: fc.features, byId, byName };
  return world;
}

function featureFor(code) {
  if (!isState(code)) return null;
  const num = A3_TO_NUM.get(code);
  if (num && world.byId.has(num)) return world.byId.get(num);
  if (BY_NAME[code]) return world.byName.get(BY_NAME[code]) || null;
  return null;
}

/** Centroid of a country's largest polygon (France without Guiana, USA without Alaska). */
function anchor(f) {
  if (f.geometry.type !== 'MultiPolygon') return geoCentroid(f);
  let best = null;
  let bestArea = -1;
  for (const coords of f.geometry.coordinates) {
    const poly = { type: 'Polygon', coordinates: coords };
    const a = geoArea(poly);
    if (a > bestArea) {
      bestArea = a;
      best = poly;
    }
  }
  return geoCentroid(best);
}

export function showMap(s, { onError } = {}) {
  const key = filterKey(s);
  const wrap = document.getElementById('map-wrap');
  const size = `${wrap.clientWidth}x${wrap.clientHeight}`;
  if (key === loadedKey) {
    if (lastGraph && size !== lastSize) draw(lastGraph, s);
    else highlight(s);
    return;
  }
  loadedKey = key;
  const status = document.getElementById('map-status');
  status.textContent = 'Loading…';
  const signal = next();
  Promise.all([loadWorld(), api.graph(s, { limit: 2000 }, signal)]).then(([, g]) => {
    lastGraph = g;
    draw(g, s);
  }).catch((e) => {
    if (e.name === 'AbortError') return;
    loadedKey = null;
    status.textContent = `Could not load the map: ${e.message}`;
    if (onError) onError(e);
  });
}

function draw(g, s) {
  const wrap = document.getElementById('map-wrap');
  const W = Math.max(600, wrap.clientWidth || 900);
  const H = Math.max(360, wrap.clientHeight || Math.round(W * 0.52));
  lastSize = `${wrap.clientWidth}x${wrap.clientHeight}`;
  // fit the inhabited latitudes (no Antarctica) into the box
  const frame = [];
  for (let lon = -180; lon <= 180; lon += 10) frame.push([lon, 83], [lon, -56]);
  const projection = geoNaturalEarth1().fitExtent([[8, 8], [W - 8, H - 8]], { type: 'MultiPoint', coordinates: frame });
  const path = geoPath(projection);
  const names = new Map(g.nodes.map((n) => [n.id, n.name || n.id]));

  // Which transfers can be drawn.
  const drawable = [];
  const nonState = new Set();
  const unplaced = new Set();
  let offMap = 0;
  const pos = new Map();
  const involved = new Map(); // numeric id -> {supplies, receives}
  for (const e of g.edges) {
    let ok = true;
    for (const c of [e.source, e.target]) {
      if (!isState(c)) {
        nonState.add(c);
        ok = false;
      } else if (!pos.has(c)) {
        const f = featureFor(c);
        if (!f) {
          unplaced.add(c);
          ok = false;
        } else pos.set(c, { f, p: projection(anchor(f)) });
      }
    }
    if (!ok) {
      offMap++;
      continue;
    }
    if (e.source === e.target) {
      offMap++;
      continue;
    }
    drawable.push(e);
    const fs = pos.get(e.source).f;
    const ft = pos.get(e.target).f;
    involved.set(fs, { ...(involved.get(fs) || {}), supplies: true });
    involved.set(ft, { ...(involved.get(ft) || {}), receives: true });
  }

  const root = svg('svg', { class: 'map', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'World map of transfers between states' });
  root.append(svg('path', { class: 'sphere', d: path({ type: 'Sphere' }) }));
  root.append(svg('path', { class: 'graticule', d: path(geoGraticule10()) }));
  const countries = svg('g', { class: 'countries' });
  for (const f of world.features) {
    const inv = involved.get(f);
    const cls = inv ? (inv.supplies && inv.receives ? 'country both' : inv.supplies ? 'country supplier' : 'country recipient') : 'country';
    countries.append(svg('path', { class: cls, d: path(f) }, svg('title', null, f.properties && f.properties.name ? f.properties.name : '')));
  }
  root.append(countries);

  // Arcs: parallel transfers between one pair bend by different amounts.
  const arcs = svg('g', { class: 'arcs' });
  const pairCount = new Map();
  const sorted = drawable.slice().sort((a, b) => b.documents - a.documents);
  for (const e of sorted) {
    const pk = `${e.source}>${e.target}`;
    const i = pairCount.get(pk) || 0;
    pairCount.set(pk, i + 1);
    const [x1, y1] = pos.get(e.source).p;
    const [x2, y2] = pos.get(e.target).p;
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len = Math.hypot(dx, dy) || 1;
    const bend = 0.18 + 0.09 * i;
    const cx = (x1 + x2) / 2 - dy * bend;
    const cy = (y1 + y2) / 2 + dx * bend;
    const w = Math.min(9, 1.2 + 1.2 * Math.sqrt(e.documents || 1));
    const colour = categoryColour(e.category);
    // arrow head at the recipient, along the curve's end tangent
    const tx = x2 - cx;
    const ty = y2 - cy;
    const tl = Math.hypot(tx, ty) || 1;
    const ux = tx / tl;
    const uy = ty / tl;
    const ah = 5 + w;
    const hx = x2 - ux * 3;
    const hy = y2 - uy * 3;
    const head = `M${hx},${hy} L${hx - ux * ah - uy * ah * 0.5},${hy - uy * ah + ux * ah * 0.5} L${hx - ux * ah + uy * ah * 0.5},${hy - uy * ah - ux * ah * 0.5} Z`;
    const d = `M${x1},${y1} Q${cx},${cy} ${hx - ux * ah * 0.6},${hy - uy * ah * 0.6}`;
    const cls = ['arc', `modality-${e.modality}`, e.denied ? 'is-denied' : '', e.embargo ? 'is-embargo' : '', String(e.id) === s.transfer ? 'selected' : ''].filter(Boolean).join(' ');
    const title = `${names.get(e.source)} → ${names.get(e.target)}: ${label(e.category)}, ${e.modality}, ${e.documents} document${e.documents === 1 ? '' : 's'}, credibility ${credibilityText(e.credibility)}${e.embargo ? ', breaks an embargo' : ''}${e.denied ? ', denied by a source' : ''}`;
    const a = svg('a', { class: cls, href: '#', role: 'button', 'aria-label': title, 'data-transfer': e.id, 'data-source': e.source, 'data-target': e.target });
    if (e.embargo) a.append(svg('path', { class: 'arc-halo', d, 'stroke-width': w + 6 }));
    const line = svg('path', { class: 'arc-line', d, stroke: colour, 'stroke-width': w });
    a.append(line, svg('path', { class: 'arc-head', d: head, fill: colour }));
    if (e.denied) {
      // a short bar across the middle of the arc
      const mx = 0.25 * x1 + 0.5 * cx + 0.25 * x2;
      const my = 0.25 * y1 + 0.5 * cy + 0.25 * y2;
      const nx = -dy / len;
      const ny = dx / len;
      a.append(svg('path', { class: 'arc-deny', d: `M${mx + nx * 6},${my + ny * 6} L${mx - nx * 6},${my - ny * 6}` }));
    }
    a.append(svg('path', { class: 'arc-hit', d, 'stroke-width': Math.max(10, w + 6) }, svg('title', null, title)));
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      update({ transfer: String(e.id) });
    });
    arcs.append(a);
  }
  root.append(arcs);

  const dots = svg('g', { class: 'dots' });
  for (const [code, { p }] of pos) {
    if (!p) continue;
    dots.append(svg('circle', { cx: p[0], cy: p[1], r: 3 }, svg('title', null, `${names.get(code) || code} (${code})`)));
  }
  root.append(dots);
  clear(wrap).append(root);

  const status = document.getElementById('map-status');
  const more = g.total_edges > g.edges.length ? ` (of ${g.total_edges}; those with the most documents)` : '';
  status.textContent = `${drawable.length} of ${g.edges.length} transfers drawn${more}`;
  const note = clear(document.getElementById('map-note'));
  if (nonState.size) {
    const list = [...nonState].sort().map((c) => `${names.get(c) || c}`).join(', ');
    note.append(el('p', null, el('strong', null, 'Not on the map: '), `non-state actors have no territory (${list}). `,
      el('button', { type: 'button', class: 'link', onclick: () => update({ view: 'network' }) }, 'See them in the network view'), '.'));
  }
  if (unplaced.size) {
    note.append(el('p', null, el('strong', null, 'No shape at this scale: '), [...unplaced].sort().map((c) => `${names.get(c) || c} (${c})`).join(', ')));
  }
  if (!nonState.size && !unplaced.size) note.append(el('p', null, 'Every transfer shown is between states. Non-state actors would be listed here, since they have no place on the map.'));
  if (offMap && !g.edges.length) note.append(el('p', null, 'No transfer passes the filters.'));
  wrap.dataset.ready = 'true';
}

function highlight(s) {
  for (const a of document.querySelectorAll('#map-wrap .arc')) {
    a.classList.toggle('selected', a.dataset.transfer === s.transfer);
  }
}

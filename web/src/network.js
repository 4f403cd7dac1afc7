// Network view: actors as nodes, merged transfers as directed edges.
// Width by documents, colour by category, dashed when potential, dotted when
// denied, a bar across the edge when a source denies it, a red halo when it
// breaks an embargo. Selecting an edge opens its evidence.
import cytoscape from 'cytoscape';
import { api, latest } from './api.js';
import { clear, el } from './dom.js';
import { filterKey, update } from './state.js';
import { categoryColour, credibilityText, label } from './vocab.js';

let cy = null;
let loadedKey = null;
const next = latest();

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 12,
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      color: '#1f2933',
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.75,
      'text-background-padding': 1,
      width: 'data(size)',
      height: 'data(size)',
      'background-color': '#47627f',
      'border-width': 1.5,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node[kind != "state"]', style: { shape: 'round-rectangle', 'background-color': '#b07a2a' } },
  { selector: 'node[kind = "igo"]', style: { shape: 'hexagon', 'background-color': '#5f7f5f' } },
  { selector: 'node[kind = "company"]', style: { shape: 'diamond', 'background-color': '#7a6a8f' } },
  {
    selector: 'edge',
    style: {
      width: 'data(width)',
      'line-color': 'data(colour)',
      'target-arrow-color': 'data(colour)',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.9,
      'curve-style': 'bezier',
      'control-point-step-size': 22,
      opacity: 0.85,
    },
  },
  { selector: 'edge[modality = "potential"]', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 4] } },
  { selector: 'edge[modality = "denied"]', style: { 'line-style': 'dotted', 'line-dash-pattern': [2, 3] } },
  {
    selector: 'edge[?denied]',
    style: { 'mid-target-arrow-shape': 'tee', 'mid-target-arrow-color': '#111111', 'mid-target-arrow-fill': 'filled', 'arrow-scale': 1.1 },
  },
  { selector: 'edge[?embargo]', style: { 'underlay-color': '#e0192b', 'underlay-opacity': 0.22, 'underlay-padding': 3 } },
  { selector: 'edge:selected', style: { opacity: 1, 'overlay-color': '#0b5fff', 'overlay-opacity': 0.18, 'overlay-padding': 4 } },
  { selector: 'node:selected', style: { 'border-color': '#0b5fff', 'border-width': 3 } },
  { selector: '.faded', style: { opacity: 0.12 } },
];

// Cytoscape adds a <style> element to <head> unless one with this id exists;
// the CSP (style-src 'self') blocks it, and app.css carries the rule instead.
const CY_STYLESHEET_ID = '__________cytoscape_stylesheet';

function ensure() {
  if (cy) return cy;
  if (!document.getElementById(CY_STYLESHEET_ID)) {
    document.head.append(el('meta', { id: CY_STYLESHEET_ID, name: 'cytoscape-stylesheet', content: 'in app.css' }));
  }
  cy = cytoscape({
    container: document.getElementById('cy'),
    style: STYLE,
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: false,
  });
  window.__armscope = Object.assign(window.__armscope || {}, { cy });
  const tip = document.getElementById('network-tip');
  cy.on('tap', 'edge', (e) => {
    update({ transfer: String(e.target.data('tid')) });
  });
  cy.on('tap', 'node', (e) => showNode(e.target));
  cy.on('tap', (e) => {
    if (e.target === cy) hideNode();
  });
  cy.on('mouseover', 'edge', (e) => {
    const d = e.target.data();
    clear(tip).append(
      el('strong', null, `${d.sname} → ${d.tname}`), el('br'),
      `${label(d.category)} · ${d.modality} · ${d.documents} document${d.documents === 1 ? '' : 's'}`, el('br'),
      `credibility ${credibilityText(d.credibility)}`,
      d.denied ? el('span', { class: 'tip-flag' }, ' · denied by a source') : null,
      d.embargo ? el('span', { class: 'tip-flag tip-embargo' }, ' · embargo') : null,
      el('br'), el('em', null, 'click for the evidence'),
    );
    const p = e.renderedPosition || e.target.renderedMidpoint();
    tip.style.left = `${Math.round(p.x + 14)}px`;
    tip.style.top = `${Math.round(p.y + 10)}px`;
    tip.hidden = false;
  });
  cy.on('mouseout', 'edge', () => { tip.hidden = true; });
  cy.on('viewport', () => { tip.hidden = true; });
  document.getElementById('network-fit').addEventListener('click', () => cy.fit(undefined, 30));
  document.getElementById('network-relayout').addEventListener('click', () => layout(true));
  document.getElementById('network-limit').addEventListener('change', (e) => update({ edges: e.target.value === '300' ? null : e.target.value }));
  return cy;
}

function showNode(n) {
  const card = document.getElementById('node-card');
  const d = n.data();
  const out = n.outgoers('edge').length;
  const inc = n.incomers('edge').length;
  cy.elements().addClass('faded');
  n.closedNeighborhood().removeClass('faded');
  clear(card).append(
    el('h3', null, d.name, ' ', el('span', { class: 'code' }, d.id)),
    el('p', null, `${d.kind} · supplies ${out}, receives ${inc} transfer${inc === 1 ? '' : 's'} shown`),
    el('div', { class: 'node-actions' },
      el('button', { type: 'button', class: 'btn', onclick: () => update({ supplier: d.id, offset: null }) }, 'As supplier'),
      el('button', { type: 'button', class: 'btn', onclick: () => update({ recipient: d.id, offset: null }) }, 'As recipient'),
      el('button', { type: 'button', class: 'btn', onclick: () => update({ actor: d.id, offset: null }) }, 'Either side'),
      el('button', { type: 'button', class: 'btn btn-close', 'aria-label': 'Close', onclick: hideNode }, '✕')),
  );
  card.hidden = false;
}

function hideNode() {
  document.getElementById('node-card').hidden = true;
  if (cy) cy.elements().removeClass('faded');
}

function layout(randomize) {
  // Lay out on one edge per pair of actors: parallel transfers (one per
  // category) would otherwise pull a pair into a knot.
  const seen = new Set();
  const springs = cy.edges().filter((e) => {
    const a = e.data('source');
    const b = e.data('target');
    const k = a < b ? `${a}|${b}` : `${b}|${a}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const n = cy.nodes().length;
  cy.nodes().union(springs).layout({
    name: 'cose',
    animate: false,
    randomize: !!randomize,
    nodeRepulsion: () => 60000,
    nodeOverlap: 40,
    idealEdgeLength: () => 110,
    edgeElasticity: () => 60,
    gravity: 0.35,
    componentSpacing: 80,
    numIter: n > 150 ? 600 : 1200,
    padding: 30,
    fit: false,
  }).run();
  cy.fit(undefined, 30);
}

export function showNetwork(s, { onError } = {}) {
  ensure();
  cy.resize();
  const limit = s.edges || '300';
  document.getElementById('network-limit').value = limit;
  const key = filterKey(s) + `&limit=${limit}`;
  syncSelection(s);
  if (key === loadedKey) return;
  loadedKey = key;
  const status = document.getElementById('network-status');
  status.textContent = 'Loading…';
  const signal = next();
  api.graph(s, { limit }, signal).then((g) => {
    hideNode();
    const names = new Map(g.nodes.map((n) => [n.id, n.name || n.id]));
    const degree = new Map();
    for (const e of g.edges) {
      degree.set(e.source, (degree.get(e.source) || 0) + e.documents);
      degree.set(e.target, (degree.get(e.target) || 0) + e.documents);
    }
    const els = [];
    for (const n of g.nodes) {
      els.push({ group: 'nodes', data: { id: n.id, name: n.name || n.id, label: n.name || n.id, kind: n.kind || 'state', size: 16 + Math.min(34, 5 * Math.sqrt(degree.get(n.id) || 1)) } });
    }
    for (const e of g.edges) {
      els.push({
        group: 'edges',
        data: {
          id: `t${e.id}`, tid: e.id, source: e.source, target: e.target, category: e.category, modality: e.modality,
          documents: e.documents, credibility: e.credibility, denied: !!e.denied, embargo: !!e.embargo,
          sname: names.get(e.source) || e.source, tname: names.get(e.target) || e.target,
          colour: categoryColour(e.category), width: Math.min(14, 1.5 + 1.6 * Math.sqrt(e.documents || 1)),
        },
      });
    }
    cy.batch(() => {
      cy.elements().remove();
      cy.add(els);
    });
    layout(true);
    const shown = g.edges.length;
    status.textContent = g.total_edges > shown
      ? `${shown} of ${g.total_edges} transfers (those with the most documents), ${g.nodes.length} actors`
      : `${shown} transfer${shown === 1 ? '' : 's'}, ${g.nodes.length} actors`;
    if (!shown) status.textContent = 'No transfer passes the filters.';
    syncSelection(s);
    document.getElementById('cy').dataset.ready = 'true';
  }).catch((e) => {
    if (e.name === 'AbortError') return;
    loadedKey = null;
    status.textContent = `Could not load the network: ${e.message}`;
    if (onError) onError(e);
  });
}

function syncSelection(s) {
  if (!cy) return;
  cy.$(':selected').unselect();
  if (s.transfer) cy.$id(`t${s.transfer}`).select();
}

export function networkInvalidate() {
  loadedKey = null;
}

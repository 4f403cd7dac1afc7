// armscope web view: wires the filter bar, the views and the evidence panel
// to the URL hash (the single source of state).
import { api } from './api.js';
import { initEvidence, showEvidence } from './evidence.js';
import { initFilters, showError, syncFilters } from './filters.js';
import { showMap } from './map.js';
import { showNetwork } from './network.js';
import { VIEWS, current, serialize } from './state.js';
import { initTable, showTable } from './table.js';
import { initTimeline, showTimeline } from './timeline.js';

const SHOW = { network: showNetwork, map: showMap, timeline: showTimeline, table: showTable };
const onError = (e) => showError(e.parameter ? `${e.message}` : `Error: ${e.message}`);
let lastView = null;

function render() {
  const s = current();
  showError(null);
  syncFilters(s);
  for (const b of document.querySelectorAll('.view-tab')) b.setAttribute('aria-pressed', String(b.dataset.view === s.view));
  for (const v of VIEWS) document.getElementById(`view-${v}`).hidden = v !== s.view;
  document.getElementById('layout').dataset.view = s.view;
  document.title = `armscope · ${s.view}`;
  const panelChanged = showEvidence(s, { onError });
  // the views measure their container: draw after layout settles
  const draw = () => SHOW[s.view](s, { onError });
  if (panelChanged || lastView !== s.view) requestAnimationFrame(draw);
  else draw();
  lastView = s.view;
}

function init() {
  for (const b of document.querySelectorAll('.view-tab')) {
    b.addEventListener('click', () => {
      const s = current();
      if (s.view !== b.dataset.view) location.hash = serialize({ ...s, view: b.dataset.view });
    });
  }
  initTable();
  initTimeline();
  initEvidence();
  window.__armscope = Object.assign(window.__armscope || {}, { state: current });
  window.addEventListener('hashchange', render);
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      const s = current();
      if (s.view !== 'table') SHOW[s.view](s, { onError });
    }, 200);
  });

  api.meta().then((m) => {
    const meta = document.getElementById('meta');
    const nf = new Intl.NumberFormat('en');
    meta.textContent = `${nf.format(m.documents)} documents · ${nf.format(m.records)} records · ${nf.format(m.transfers)} transfers${m.first_date ? ` · ${m.first_date} to ${m.last_date}` : ''}`;
    meta.title = `armscope ${m.version}${m.read_only ? ' (read-only)' : ''}`;
    initFilters({ categories: m.categories, onError });
    render();
  }).catch((e) => {
    initFilters({ categories: null, onError });
    render();
    onError(e);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();

// Evidence panel: every sentence of one transfer, the matched span in <mark>,
// the outlet, date, language, URL (http/https only) and who claims or denies.
import { api, latest } from './api.js';
import { clear, el, safeHttpUrl } from './dom.js';
import { update } from './state.js';
import { categoryColour, credibilityText, label } from './vocab.js';

const PAGE = 100;
let openId = null;
let loaded = 0;
let total = 0;
const next = latest();
const nf = new Intl.NumberFormat('en');

export function initEvidence() {
  document.getElementById('evidence-close').addEventListener('click', () => update({ transfer: null }));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !document.getElementById('evidence').hidden) update({ transfer: null });
  });
  document.getElementById('evidence-more').addEventListener('click', () => loadPage(openId, loaded));
}

export function showEvidence(s, { onError } = {}) {
  const panel = document.getElementById('evidence');
  const layout = document.getElementById('layout');
  if (!s.transfer) {
    if (!panel.hidden) {
      panel.hidden = true;
      layout.classList.remove('with-evidence');
      next(); // abort a pending load
    }
    openId = null;
    return false;
  }
  const wasHidden = panel.hidden;
  panel.hidden = false;
  layout.classList.add('with-evidence');
  if (s.transfer === openId) return wasHidden;
  openId = s.transfer;
  loaded = 0;
  total = 0;
  clear(document.getElementById('evidence-list'));
  clear(document.getElementById('evidence-summary'));
  document.getElementById('evidence-title').textContent = 'Evidence';
  document.getElementById('evidence-more').hidden = true;
  delete panel.dataset.ready;
  loadPage(openId, 0, onError);
  return true;
}

function loadPage(id, offset, onError) {
  const status = document.getElementById('evidence-status');
  status.textContent = 'Loading…';
  api.evidence(id, { limit: PAGE, offset }, next()).then((r) => {
    if (id !== openId) return;
    if (offset === 0) summary(r.transfer);
    const list = document.getElementById('evidence-list');
    for (const ev of r.evidence) list.append(item(ev));
    loaded = offset + r.evidence.length;
    total = r.total;
    status.textContent = `${nf.format(total)} sentence${total === 1 ? '' : 's'}${loaded < total ? `, ${nf.format(loaded)} shown` : ''}`;
    document.getElementById('evidence-more').hidden = loaded >= total;
    document.getElementById('evidence').dataset.ready = 'true';
    if (offset === 0) document.getElementById('evidence-title').focus({ preventScroll: true });
  }).catch((e) => {
    if (e.name === 'AbortError') return;
    status.textContent = e.status === 404 ? `No transfer ${id} in this database.` : `Could not load the evidence: ${e.message}`;
    if (onError && e.status !== 404) onError(e);
  });
}

function summary(t) {
  const title = document.getElementById('evidence-title');
  title.setAttribute('tabindex', '-1');
  const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  sw.style.backgroundColor = categoryColour(t.category);
  clear(title).append(
    el('span', { class: 'actor-name' }, t.supplier_name || t.supplier), ' → ',
    el('span', { class: 'actor-name' }, t.recipient_name || t.recipient),
    el('span', { class: 'evidence-cat' }, sw, label(t.category)),
  );
  const dl = clear(document.getElementById('evidence-summary'));
  const add = (k, ...v) => dl.append(el('div', null, el('dt', null, k), el('dd', null, ...v)));
  const counts = [`${t.n_fact} fact`, `${t.n_potential} potential`, `${t.n_denied} denied`].join(', ');
  add('Modality', el('span', { class: `badge modality-${t.modality}` }, t.modality), ` (${counts})`);
  add('Dates', `${t.first_date || '?'} – ${t.last_date || '?'}`);
  add('Documents', `${t.documents} in ${t.stories} stor${t.stories === 1 ? 'y' : 'ies'}`);
  add('Credibility', credibilityText(t.credibility));
  add('Sources', `${t.asserts} assert, ${t.denies} deny, ${t.doubts} doubt${t.official ? `; ${t.official} official` : ''}`);
  if (t.quantity !== null && t.quantity !== undefined) add('Quantity', nf.format(t.quantity), t.quantity_doc ? ` (${t.quantity_doc})` : '');
  if (t.designations && t.designations.length) add('Systems', t.designations.join(', '));
  if (t.embargo) add('Embargo', el('span', { class: 'badge embargo' }, 'breaks'), ' ', t.embargo);
}

function item(ev) {
  const url = safeHttpUrl(ev.url);
  const sentence = el('blockquote', { class: 'sentence', lang: ev.lang || null },
    ev.before || '', el('mark', null, ev.match || ''), ev.after || '');
  const meta = el('p', { class: 'ev-meta' },
    el('span', { class: 'outlet' }, ev.outlet || 'unknown outlet'),
    ' · ', el('span', null, ev.date || 'undated'),
    ' · ', el('span', { class: 'lang' }, ev.lang || '?'),
    ' · ', el('span', { class: `badge modality-${ev.modality}` }, ev.modality),
    ' · ', el('span', { class: 'doc code' }, ev.doc));
  const title = ev.title ? el('p', { class: 'ev-title' }, ev.title) : null;
  const link = url
    ? el('p', { class: 'ev-url' }, el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', title: ev.url }, ev.url))
    : ev.url ? el('p', { class: 'ev-url muted' }, 'URL not shown (not http/https): ', el('code', null, ev.url)) : null;
  const claims = el('ul', { class: 'claims' });
  for (const c of ev.claims || []) {
    const party = c.actor_name || c.actor;
    const who = c.name || party
      ? [...new Set([c.name, party].filter(Boolean))].join(', ')
      : 'the document itself';
    claims.append(el('li', { class: `claim stance-${c.stance}` }, el('span', { class: 'stance' }, c.stance), ' ', who));
  }
  return el('li', { class: 'ev' }, sentence, title, meta, link, (ev.claims || []).length ? claims : null);
}

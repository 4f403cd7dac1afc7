// Table view: merged transfers, sorted and paginated by the server, with
// CSV / GraphML export links for exactly the current filters.
import { api, latest } from './api.js';
import { clear, el } from './dom.js';
import { filterKey, update } from './state.js';
import { categoryColour, credibilityText, label } from './vocab.js';

const COLUMNS = [
  { key: 'supplier', title: 'Supplier', sort: 'supplier' },
  { key: 'recipient', title: 'Recipient', sort: 'recipient' },
  { key: 'category', title: 'Category', sort: 'category' },
  { key: 'modality', title: 'Modality' },
  { key: 'first_date', title: 'First', sort: 'first_date' },
  { key: 'last_date', title: 'Last', sort: 'last_date' },
  { key: 'documents', title: 'Docs', sort: 'documents', num: true },
  { key: 'stories', title: 'Stories', sort: 'stories', num: true },
  { key: 'quantity', title: 'Quantity', sort: 'quantity', num: true },
  { key: 'credibility', title: 'Credibility', sort: 'credibility' },
  { key: 'embargo', title: 'Embargo' },
  { key: 'evidence', title: 'Evidence' },
];

let loadedKey = null;
const next = latest();
const nf = new Intl.NumberFormat('en');

export function initTable() {
  const head = document.getElementById('transfers-head');
  for (const c of COLUMNS) {
    const th = el('th', { scope: 'col', class: c.num ? 'num' : null, dataset: { key: c.key } });
    if (c.sort) {
      th.append(el('button', { type: 'button', class: 'sort', dataset: { sort: c.sort }, onclick: () => sortBy(c.sort) }, c.title, el('span', { class: 'sort-ind', 'aria-hidden': 'true' })));
    } else th.append(c.title);
    head.append(th);
  }
  document.getElementById('page-prev').addEventListener('click', () => page(-1));
  document.getElementById('page-next').addEventListener('click', () => page(1));
  document.getElementById('page-size').addEventListener('change', (e) => update({ limit: e.target.value === '100' ? null : e.target.value, offset: null }));
}

let cur = null;
function sortBy(key) {
  const s = cur || {};
  const sort = s.sort || 'documents';
  const order = s.order || 'desc';
  let nextOrder = 'desc';
  if (sort === key) nextOrder = order === 'desc' ? 'asc' : 'desc';
  else if (['supplier', 'recipient', 'category'].includes(key)) nextOrder = 'asc';
  else if (key === 'credibility') nextOrder = 'asc'; // 1 is best
  update({ sort: key === 'documents' ? null : key, order: nextOrder === 'desc' ? null : nextOrder, offset: null });
}

function page(dir) {
  const s = cur || {};
  const limit = Number(s.limit || 100);
  const offset = Math.max(0, Number(s.offset || 0) + dir * limit);
  update({ offset: offset ? String(offset) : null });
}

function actorCell(code, name) {
  return el('td', { title: `${name || code} (${code})` }, el('span', { class: 'actor-name' }, name || code), ' ', el('span', { class: 'code' }, code));
}

export function showTable(s, { onError } = {}) {
  cur = s;
  const sort = s.sort || 'documents';
  const order = s.order || 'desc';
  const limit = s.limit || '100';
  const offset = s.offset || '0';
  document.getElementById('page-size').value = limit;
  document.getElementById('export-csv').href = api.exportUrl(s, 'csv');
  document.getElementById('export-graphml').href = api.exportUrl(s, 'graphml');
  for (const th of document.querySelectorAll('#transfers-head th')) {
    const b = th.querySelector('button.sort');
    if (!b) continue;
    const active = b.dataset.sort === sort;
    th.setAttribute('aria-sort', active ? (order === 'asc' ? 'ascending' : 'descending') : 'none');
    b.querySelector('.sort-ind').textContent = active ? (order === 'asc' ? ' ▲' : ' ▼') : '';
  }
  const key = `${filterKey(s)}&sort=${sort}&order=${order}&limit=${limit}&offset=${offset}`;
  if (key === loadedKey) {
    markOpen(s);
    return;
  }
  loadedKey = key;
  const status = document.getElementById('table-status');
  status.textContent = 'Loading…';
  const table = document.getElementById('transfers');
  table.setAttribute('aria-busy', 'true');
  api.transfers(s, { sort, order, limit, offset }, next()).then((r) => {
    const body = clear(document.getElementById('transfers-body'));
    for (const t of r.transfers) body.append(row(t));
    if (!r.transfers.length) body.append(el('tr', null, el('td', { colspan: COLUMNS.length, class: 'empty' }, 'No transfer passes the filters.')));
    const from = r.total ? r.offset + 1 : 0;
    const to = r.offset + r.transfers.length;
    status.textContent = `${nf.format(r.total)} transfer${r.total === 1 ? '' : 's'}`;
    status.dataset.total = String(r.total);
    document.getElementById('page-info').textContent = `${nf.format(from)}–${nf.format(to)} of ${nf.format(r.total)}`;
    document.getElementById('page-prev').disabled = r.offset <= 0;
    document.getElementById('page-next').disabled = to >= r.total;
    table.setAttribute('aria-busy', 'false');
    table.dataset.ready = 'true';
    markOpen(s);
  }).catch((e) => {
    if (e.name === 'AbortError') return;
    loadedKey = null;
    table.setAttribute('aria-busy', 'false');
    status.textContent = `Could not load the transfers: ${e.message}`;
    if (onError) onError(e);
  });
}

function row(t) {
  const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  sw.style.backgroundColor = categoryColour(t.category);
  const counts = [t.n_fact ? `${t.n_fact} fact` : '', t.n_potential ? `${t.n_potential} potential` : '', t.n_denied ? `${t.n_denied} denied` : ''].filter(Boolean).join(', ');
  const q = t.quantity === null || t.quantity === undefined ? '' : nf.format(t.quantity);
  const desig = (t.designations || []).join(', ');
  const open = () => update({ transfer: String(t.id) });
  return el('tr', { dataset: { id: t.id } },
    actorCell(t.supplier, t.supplier_name),
    actorCell(t.recipient, t.recipient_name),
    el('td', null, el('span', { class: 'cat' }, sw, label(t.category)), desig ? el('div', { class: 'sub' }, desig) : null),
    el('td', null, el('span', { class: `badge modality-${t.modality}` }, t.modality), counts ? el('div', { class: 'sub' }, counts) : null),
    el('td', { class: 'date' }, t.first_date || '–'),
    el('td', { class: 'date' }, t.last_date || '–'),
    el('td', { class: 'num' }, t.documents),
    el('td', { class: 'num' }, t.stories),
    el('td', { class: 'num', title: t.quantity_doc ? `from ${t.quantity_doc}` : null }, q),
    el('td', null, el('span', { class: `cred cred-${t.credibility}` }, credibilityText(t.credibility)),
      t.denies ? el('div', { class: 'sub' }, `${t.denies} denial${t.denies === 1 ? '' : 's'}`) : null),
    el('td', { class: 'embargo-cell' }, t.embargo ? el('span', { class: 'badge embargo', title: t.embargo }, 'yes') : '', t.embargo ? el('div', { class: 'sub clip', title: t.embargo }, t.embargo) : null),
    el('td', null, el('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Evidence for ${t.supplier} to ${t.recipient}, ${label(t.category)}`, onclick: open }, 'Evidence')),
  );
}

function markOpen(s) {
  for (const tr of document.querySelectorAll('#transfers-body tr')) {
    tr.classList.toggle('open', tr.dataset.id === s.transfer);
  }
}

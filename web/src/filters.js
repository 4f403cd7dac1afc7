// The filter bar: one form that drives every view through the URL state.
import { api } from './api.js';
import { clear, el } from './dom.js';
import { update } from './state.js';
import { CATEGORIES, FILTER_KEYS, categoryColour, label } from './vocab.js';

const form = () => document.getElementById('filters');
let actorsByName = new Map();
let actorNames = new Map();

export function actorName(code) {
  return actorNames.get(code) || code;
}

export function initFilters({ categories, onError }) {
  const f = form();
  const cat = f.elements.category;
  for (const c of categories && categories.length ? categories : CATEGORIES) cat.append(el('option', { value: c }, label(c)));

  // Legend: one button per category, which filters on it.
  const legend = document.getElementById('legend-cats');
  for (const c of categories && categories.length ? categories : CATEGORIES) {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.backgroundColor = categoryColour(c);
    legend.append(el('li', null, el('button', {
      type: 'button', class: 'legend-cat', dataset: { category: c }, title: `Show only ${label(c)}`,
      onclick: () => apply({ category: f.elements.category.value === c ? '' : c }),
    }, swatch, label(c))));
  }

  f.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  f.addEventListener('change', (e) => {
    if (e.target && e.target.name) apply();
  });
  document.getElementById('f-reset').addEventListener('click', () => {
    const patch = {};
    for (const k of FILTER_KEYS) patch[k] = null;
    patch.offset = null;
    update(patch);
  });

  api.actors({}).then((res) => {
    const list = document.getElementById('actor-list');
    clear(list);
    actorsByName = new Map();
    actorNames = new Map();
    for (const a of res.actors || []) {
      actorNames.set(a.code, a.name || a.code);
      if (a.name) actorsByName.set(a.name.toLowerCase(), a.code);
      list.append(el('option', { value: a.code, label: `${a.name || a.code} (${a.kind})` }));
    }
  }).catch((e) => onError && onError(e));
}

/** Reads the form into a patch of the state (plus any override) and applies it. */
function apply(override = {}) {
  const f = form();
  const patch = {};
  let bad = null;
  for (const k of FILTER_KEYS) {
    const input = f.elements[k];
    if (!input) continue;
    let v = input.type === 'checkbox' ? (input.checked ? '1' : '') : input.value.trim();
    if (['supplier', 'recipient', 'actor'].includes(k) && v) {
      const byName = actorsByName.get(v.toLowerCase());
      if (byName) v = byName;
      else if (/^[a-z]{3}$/.test(v) && actorNames.has(v.toUpperCase())) v = v.toUpperCase();
      input.value = v;
    }
    if ((k === 'since' || k === 'until') && v && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) {
      bad = bad || input;
      input.setAttribute('aria-invalid', 'true');
      continue;
    }
    input.removeAttribute('aria-invalid');
    patch[k] = v;
  }
  Object.assign(patch, override);
  if (bad) {
    showError(`${bad.name}: use YYYY, YYYY-MM or YYYY-MM-DD`);
    bad.focus();
    return;
  }
  patch.offset = null;
  update(patch);
}

/** Puts the state's filter values into the form. */
export function syncFilters(s) {
  const f = form();
  for (const k of FILTER_KEYS) {
    const input = f.elements[k];
    if (!input) continue;
    if (input.type === 'checkbox') input.checked = !!s[k];
    else if (document.activeElement !== input || input.value !== (s[k] || '')) {
      if (input.tagName === 'SELECT' && s[k] && ![...input.options].some((o) => o.value === s[k])) {
        input.append(el('option', { value: s[k] }, label(s[k])));
      }
      input.value = s[k] || '';
    }
    input.removeAttribute('aria-invalid');
  }
  for (const b of document.querySelectorAll('.legend-cat')) {
    b.setAttribute('aria-pressed', String(b.dataset.category === s.category));
  }
}

export function showError(msg) {
  const e = document.getElementById('error');
  if (!msg) {
    e.hidden = true;
    clear(e);
    return;
  }
  clear(e).append(el('span', null, msg), el('button', { type: 'button', class: 'btn btn-close', 'aria-label': 'Dismiss', onclick: () => showError(null) }, '✕'));
  e.hidden = false;
}

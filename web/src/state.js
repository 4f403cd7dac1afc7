// The URL hash holds the whole state: view, filters, table paging and the
// open transfer, e.g. #view=network&supplier=PRK&since=2023-01&transfer=17
import { FILTER_KEYS } from './vocab.js';

export const VIEWS = ['network', 'map', 'timeline', 'table'];
const TABLE_KEYS = ['sort', 'order', 'offset', 'limit'];
const ORDER = ['view', ...FILTER_KEYS, 'edges', ...TABLE_KEYS, 'transfer'];

export function parse(hash) {
  const p = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const s = {};
  for (const k of ORDER) {
    const v = p.get(k);
    if (v !== null && v !== '') s[k] = v;
  }
  if (!VIEWS.includes(s.view)) s.view = 'network';
  if (s.embargo && s.embargo !== '1' && s.embargo !== 'true') delete s.embargo;
  if (s.embargo) s.embargo = '1';
  return s;
}

export function serialize(s) {
  const p = new URLSearchParams();
  for (const k of ORDER) if (s[k] !== undefined && s[k] !== null && s[k] !== '') p.set(k, s[k]);
  return '#' + p.toString();
}

export function current() {
  return parse(location.hash);
}

/** Merge a patch into the state and push a history entry (fires hashchange). */
export function update(patch, { replace = false } = {}) {
  const next = { ...current(), ...patch };
  for (const k of Object.keys(next)) if (next[k] === null || next[k] === undefined || next[k] === '') delete next[k];
  const h = serialize(next);
  if (h === location.hash || (h === '#' && !location.hash)) return false;
  if (replace) {
    history.replaceState(null, '', h);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = h;
  }
  return true;
}

/** The filters of a state as one string, to know when data must be fetched again. */
export function filterKey(s, omit = []) {
  return FILTER_KEYS.filter((k) => !omit.includes(k)).map((k) => `${k}=${s[k] || ''}`).join('&');
}

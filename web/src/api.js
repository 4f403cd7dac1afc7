// The JSON API of `armscope serve` (web/API.md).
import { FILTER_KEYS } from './vocab.js';

export class ApiError extends Error {
  constructor(message, status, parameter) {
    super(message);
    this.status = status;
    this.parameter = parameter || null;
  }
}

/** Query string of the filters in state plus extra parameters. */
export function query(state, extra = {}, omit = []) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (state[k] && !omit.includes(k)) p.set(k, state[k]);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  return p.toString();
}

export async function get(path, params = '', signal) {
  const url = params ? `${path}?${params}` : path;
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(`cannot reach the server (${e.message})`, 0);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const msg = body && body.error ? body.error : `${res.status} ${res.statusText}`;
    const hint = res.status === 429 ? ' (server busy: try again)' : res.status === 503 ? ' (query took too long: narrow the filters)' : '';
    throw new ApiError(msg + hint, res.status, body && body.parameter);
  }
  return body;
}

export const api = {
  meta: (signal) => get('/api/meta', '', signal),
  transfers: (state, extra, signal) => get('/api/transfers', query(state, extra), signal),
  evidence: (id, extra, signal) => get(`/api/transfers/${encodeURIComponent(id)}/evidence`, new URLSearchParams(extra).toString(), signal),
  actors: (state, signal) => get('/api/actors', query(state || {}), signal),
  graph: (state, extra, signal) => get('/api/graph', query(state, extra), signal),
  timeline: (state, omit, signal) => get('/api/timeline', query(state, {}, omit), signal),
  exportUrl: (state, format) => `/api/export?${query(state, { format })}`,
};

/** Runs one request at a time per slot: a newer call aborts the older. */
export function latest() {
  let ctl = null;
  return () => {
    if (ctl) ctl.abort();
    ctl = new AbortController();
    return ctl.signal;
  };
}

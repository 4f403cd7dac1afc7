// API tests of `armscope serve`: every endpoint, its filters and pages, the
// 400s that name the bad parameter, the limits and headers of a safe
// server. Run against a running server on a database that holds the
// bundled examples and tests/web/xss.jsonl:
//   node tests/web/api.mjs --base http://127.0.0.1:PORT
// Prints "ok - NAME" / "not ok - NAME: why" and ends "N passed, N failed".
const base = process.argv[process.argv.indexOf('--base') + 1];
if (!base || !base.startsWith('http')) {
  console.error('usage: node tests/web/api.mjs --base http://127.0.0.1:PORT');
  process.exit(2);
}

let passed = 0, failed = 0;
function check(name, ok, why = '') {
  if (ok) { passed++; console.log(`ok - ${name}`); }
  else { failed++; console.log(`not ok - ${name}${why ? ': ' + why : ''}`); }
}
async function get(path, init) {
  const r = await fetch(base + path, init);
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, text, json };
}
const KEYS = ['id', 'supplier', 'supplier_name', 'recipient', 'recipient_name', 'category', 'modality', 'n_fact',
  'n_potential', 'n_denied', 'first_date', 'last_date', 'documents', 'stories', 'quantity', 'quantity_doc',
  'designations', 'asserts', 'denies', 'doubts', 'official', 'credibility', 'embargo'];

// ---------------------------------------------------------------- meta
{
  const r = await get('/api/meta');
  check('meta: 200 JSON', r.status === 200 && r.json && r.headers.get('content-type').startsWith('application/json'));
  check('meta: counts', r.json && r.json.documents > 0 && r.json.transfers > 0 && r.json.records >= r.json.transfers,
    r.text.slice(0, 200));
  check('meta: read_only is false without --read-only', r.json && r.json.read_only === false);
  check('meta: the 18 categories of the spec', r.json && r.json.categories.length === 18 &&
    r.json.categories.includes('artillery_ammunition'));
}

// ----------------------------------------------------------- transfers
const all = await get('/api/transfers?limit=1000');
const T = all.json ? all.json.transfers : [];
check('transfers: 200 with a page', all.status === 200 && all.json && all.json.total === T.length && T.length > 3,
  all.text.slice(0, 200));
check('transfers: every field of the contract', T.length && T.every(t => KEYS.every(k => k in t)),
  T.length ? KEYS.filter(k => !(k in T[0])).join(',') : 'none');
check('transfers: sorted by documents by default', T.every((t, i) => !i || T[i - 1].documents >= t.documents));
{
  const p1 = await get('/api/transfers?limit=2&offset=0'), p2 = await get('/api/transfers?limit=2&offset=2');
  check('transfers: limit and offset page through', p1.json.transfers.length === 2 && p2.json.transfers.length === 2 &&
    p1.json.transfers[0].id !== p2.json.transfers[0].id && p2.json.transfers[0].id === T[2].id);
  const s = await get('/api/transfers?sort=credibility&order=asc&limit=1000');
  const c = s.json.transfers.map(t => t.credibility);
  check('transfers: sort=credibility&order=asc', c.every((v, i) => !i || c[i - 1] <= v) && c.length === T.length);
  const sup = T[0].supplier;
  const f = await get(`/api/transfers?supplier=${sup}&limit=1000`);
  check('transfers: supplier filter', f.json.transfers.length > 0 &&
    f.json.transfers.every(t => t.supplier === sup) && f.json.total === T.filter(t => t.supplier === sup).length);
  const a = await get(`/api/transfers?actor=${sup}&limit=1000`);
  check('transfers: actor filter (either side)', a.json.total ===
    T.filter(t => t.supplier === sup || t.recipient === sup).length);
  const cat = await get('/api/transfers?category=uav&limit=1000');
  check('transfers: category filter', cat.json.total > 0 && cat.json.transfers.every(t => t.category === 'uav'));
  const mod = await get('/api/transfers?modality=potential&limit=1000');
  check('transfers: modality filter', mod.json.transfers.every(t => t.modality === 'potential') &&
    mod.json.total === T.filter(t => t.modality === 'potential').length);
  const cr = await get('/api/transfers?min_credibility=2&limit=1000');
  check('transfers: min_credibility', cr.json.transfers.every(t => t.credibility <= 2) &&
    cr.json.total === T.filter(t => t.credibility <= 2).length);
  const emb = await get('/api/transfers?embargo=1&limit=1000');
  check('transfers: embargo=1 keeps violations only', emb.json.total > 0 && emb.json.transfers.every(t => t.embargo));
  const since = await get('/api/transfers?since=2024-01&limit=1000');
  check('transfers: since', since.json.total > 0 && since.json.transfers.every(t => t.last_date &&
    t.last_date.slice(0, 7) >= '2024-01'.slice(0, Math.min(7, t.last_date.length))));
  const until = await get('/api/transfers?until=2023&limit=1000');
  check('transfers: until', until.json.transfers.every(t => t.first_date && t.first_date.slice(0, 4) <= '2023'));
  const q = await get('/api/transfers?q=Shahed&limit=1000');
  check('transfers: q (full text of the evidence)', q.json.total > 0 &&
    q.json.transfers.some(t => t.category === 'uav'));
}

// ---------------------------------------------------------------- 400s
const BAD = [
  ['since=notadate', 'since'], ['until=2024-13', 'until'], ['since=2024-02-30x', 'since'],
  ['category=tanks', 'category'], ['modality=maybe', 'modality'], ['min_credibility=9', 'min_credibility'],
  ['min_credibility=x', 'min_credibility'], ['limit=0', 'limit'], ['limit=abc', 'limit'], ['limit=5000', 'limit'],
  ['offset=-1', 'offset'], ['supplier=XXQ', 'supplier'], ['recipient=media:reuters', 'recipient'],
  ['actor=%3Cscript%3E', 'actor'], ['embargo=perhaps', 'embargo'], ['sort=bogus', 'sort'], ['order=up', 'order'],
];
for (const [qs, param] of BAD) {
  const r = await get('/api/transfers?' + qs);
  check(`400 names the parameter: ${qs}`, r.status === 400 && r.json && r.json.parameter === param &&
    typeof r.json.error === 'string' && r.json.error.startsWith(param), `${r.status} ${r.text.slice(0, 160)}`);
}
for (const ep of ['graph', 'timeline', 'actors', 'export?format=csv&x=1']) {
  const r = await get(`/api/${ep}${ep.includes('?') ? '&' : '?'}since=notadate`);
  check(`400 on /api/${ep.split('?')[0]} too`, r.status === 400 && r.json && r.json.parameter === 'since');
}

// ------------------------------------------------------------- evidence
{
  const t = T[0];
  const r = await get(`/api/transfers/${t.id}/evidence`);
  const ev = r.json ? r.json.evidence : [];
  check('evidence: 200 with the transfer', r.status === 200 && r.json.transfer.id === t.id && r.json.total >= 1 &&
    ev.length === Math.min(r.json.total, 100));
  check('evidence: before + match + after is the sentence', ev.length &&
    ev.every(e => e.before + e.match + e.after === e.sentence && e.match.length > 0));
  check('evidence: byte offsets of the span', ev.every(e =>
    Buffer.from(e.sentence).subarray(e.span_start, e.span_end).toString() === e.match));
  check('evidence: claims with stances', ev.every(e => Array.isArray(e.claims) &&
    e.claims.every(c => ['asserts', 'denies', 'doubts'].includes(c.stance))));
  const one = await get(`/api/transfers/${t.id}/evidence?limit=1&offset=0`);
  check('evidence: paged', one.json.evidence.length === 1 && one.json.total === r.json.total);
  const none = await get('/api/transfers/999999999/evidence');
  check('evidence: unknown id is 404', none.status === 404 && none.json && none.json.error);
  const bad = await get('/api/transfers/abc/evidence');
  check('evidence: malformed id is 404', bad.status === 404);
}

// ---------------------------------------------------------- actors, graph
{
  const r = await get('/api/actors');
  const codes = new Set(r.json.actors.map(a => a.code));
  check('actors: every side of every transfer', T.every(t => codes.has(t.supplier) && codes.has(t.recipient)));
  check('actors: names, kinds, counts', r.json.actors.every(a => a.name && a.kind && a.supplied + a.received > 0));
  const sup = r.json.actors.find(a => a.code === T[0].supplier);
  check('actors: supplied counts transfers', sup && sup.supplied === T.filter(t => t.supplier === sup.code).length);
  const g = await get('/api/graph');
  const ids = new Set(g.json.nodes.map(n => n.id));
  check('graph: total_edges and edges', g.json.total_edges === T.length && g.json.edges.length === T.length);
  check('graph: every edge has its nodes', g.json.edges.every(e => ids.has(e.source) && ids.has(e.target)));
  check('graph: edge fields', g.json.edges.every(e => typeof e.denied === 'boolean' && typeof e.embargo === 'boolean' &&
    e.documents > 0 && e.category && e.modality));
  const small = await get('/api/graph?limit=2');
  check('graph: limit keeps the edges with most documents', small.json.edges.length === 2 &&
    small.json.total_edges === T.length && small.json.edges[0].documents === T[0].documents);
}

// -------------------------------------------------------------- timeline
{
  const r = await get('/api/timeline');
  const b = r.json.buckets;
  check('timeline: buckets by month', r.status === 200 && b.length > 0 &&
    b.every((x, i) => /^\d{4}-\d{2}$/.test(x.month) && x.records > 0 && (!i || b[i - 1].month <= x.month)));
  const s = await get('/api/timeline?since=2024-01&until=2024-12');
  check('timeline: since/until bound the months', s.json.buckets.every(x => x.month >= '2024-01' && x.month <= '2024-12'));
  const c = await get('/api/timeline?category=uav');
  check('timeline: filters apply', c.json.buckets.every(x => x.category === 'uav'));
}

// ----------------------------------------------------------------- search
{
  const r = await get('/api/search?q=Shahed');
  check('search: ranked (few matches)', r.json && r.json.order === 'rank');
  check('search: results with transfer and span', r.status === 200 && r.json.total > 0 &&
    r.json.results.every(x => x.transfer > 0 && x.match && x.sentence.includes(x.match)));
  const h = await get('/api/search?q=Shahed-136');
  check('search: a designation with a hyphen is a phrase', h.status === 200 && h.json.total > 0, h.text.slice(0, 200));
  const sf = await get('/api/search?q=drones&category=uav');
  check('search: filters apply to the transfer', sf.status === 200 && sf.json.total > 0 &&
    sf.json.results.every(x => x.category === 'uav'));
  const n = await get('/api/search');
  check('search: q is required', n.status === 400 && n.json.parameter === 'q');
  const tq = await get('/api/transfers?q=' + encodeURIComponent('"unclosed'));
  check('transfers: malformed q is 400 on q', tq.status === 400 && tq.json.parameter === 'q', tq.text.slice(0, 200));
  const bad = await get('/api/search?q=' + encodeURIComponent('"unclosed'));
  check('search: malformed query is 400 on q', bad.status === 400 && bad.json.parameter === 'q', bad.text.slice(0, 200));
  const x = await get('/api/search?q=onerror');
  check('search: article markup comes back as text', x.status === 200 && x.json.total === 1 &&
    x.json.results[0].sentence.includes('<script>window.__xss=1</script>'));
}

// ------------------------------------------------------------------ export
{
  const r = await fetch(base + '/api/export?format=csv');
  const text = await r.text();
  const lines = text.trim().split('\n');
  check('export csv: a download of every transfer', r.status === 200 &&
    (r.headers.get('content-disposition') || '').includes('attachment') &&
    lines[0].startsWith('supplier,recipient,category') && lines.length - 1 === T.length);
  const f = await fetch(base + '/api/export?format=csv&category=uav');
  const fl = (await f.text()).trim().split('\n');
  check('export csv: exactly what is filtered', fl.length - 1 === T.filter(t => t.category === 'uav').length &&
    fl.slice(1).every(l => l.split(',')[2] === 'uav'));
  const g = await fetch(base + '/api/export?format=graphml');
  const gt = await g.text();
  check('export graphml', g.status === 200 && gt.includes('<graphml') && (gt.match(/<edge /g) || []).length === T.length);
  const bad = await get('/api/export?format=xls');
  check('export: unknown format is 400', bad.status === 400 && bad.json.parameter === 'format');
}

// ------------------------------------------------------ static and safety
{
  const r = await get('/');
  check('/: the application', r.status === 200 && r.headers.get('content-type').startsWith('text/html') &&
    r.text.includes('/assets/app.js'));
  const csp = r.headers.get('content-security-policy') || '';
  check('/: Content-Security-Policy without inline script', csp.includes("default-src 'self'") &&
    !csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  check('/: nosniff and no framing', r.headers.get('x-content-type-options') === 'nosniff' &&
    r.headers.get('x-frame-options') === 'DENY');
  const js = await get('/assets/app.js');
  check('/assets/app.js', js.status === 200 && js.headers.get('content-type').startsWith('text/javascript') &&
    js.text.length > 1000);
  const map = await get('/assets/countries-110m.json');
  check('/assets/countries-110m.json (the map, served locally)', map.status === 200 && map.json && map.json.objects);
  for (const p of ['/assets/../../etc/passwd', '/assets/%2e%2e%2fetc%2fpasswd', '/assets/.hidden', '/assets/',
    '/assets/sub/app.js', '/etc/passwd', '/api/nothing']) {
    const x = await get(p);
    check(`no file outside the embedded set: ${p}`, x.status === 404 && !x.text.includes('root:'), String(x.status));
  }
  const post = await get('/api/meta', { method: 'POST', body: 'x=1' });
  check('POST is 405 with Allow', post.status === 405 && (post.headers.get('allow') || '').includes('GET'));
  const del = await get('/api/transfers', { method: 'DELETE' });
  check('DELETE is 405', del.status === 405);
  const head = await fetch(base + '/', { method: 'HEAD' });
  check('HEAD /', head.status === 200);
  const long = await get('/api/transfers?q=' + 'a'.repeat(5000));
  check('an over-long request is refused', long.status === 414 || long.status === 431 || long.status === 413,
    String(long.status));
  const apiHdr = await fetch(base + '/api/transfers?limit=1');
  check('API answers are not cached and not sniffed', apiHdr.headers.get('cache-control') === 'no-store' &&
    apiHdr.headers.get('x-content-type-options') === 'nosniff');
}

// --------------------------- the rate of expensive queries is bounded (last)
{
  const rs = await Promise.all(Array.from({ length: 24 }, () => fetch(base + '/api/search?q=drones')));
  const codes = rs.map(r => r.status);
  const limited = rs.filter(r => r.status === 429);
  check('expensive queries: a burst gets 429 with Retry-After', limited.length > 0 &&
    limited.every(r => r.headers.get('retry-after') === '1') && codes.filter(c => c === 200).length > 0,
    codes.join(','));
  await Promise.all(rs.map(r => r.text()));
  await new Promise(res => setTimeout(res, 2500));
  const again = await get('/api/search?q=drones');
  check('expensive queries: allowed again after a pause', again.status === 200);
  const cheap = await get('/api/meta');
  check('cheap queries are not limited', cheap.status === 200);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

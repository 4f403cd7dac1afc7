#!/usr/bin/env node
// Browser tests of the armscope web view, against a running `armscope serve`.
//
//   node tests/web/ui.mjs --base http://127.0.0.1:PORT --shots DIR
//
// The server must hold a database with the dev corpus and the XSS article
// (an evidence sentence with <script>window.__xss=1</script> and
// <img src=x onerror="window.__xss=2">). Prints `ok - NAME` or
// `not ok - NAME: why` per check, then `N passed, N failed`; exits 1 if any
// check failed. Uses headless Chromium from /usr/bin/chromium.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}
const BASE = arg('base', 'http://127.0.0.1:8080').replace(/\/$/, '');
const SHOTS = arg('shots', 'tests/tmp/web-shots');
const CHROMIUM = arg('chromium', process.env.CHROMIUM || '/usr/bin/chromium');
const WAIT = 10000;
mkdirSync(SHOTS, { recursive: true });

let passed = 0;
let failed = 0;
function report(name, err) {
  if (err) {
    failed++;
    const why = String(err && err.message ? err.message : err).split('\n')[0].slice(0, 300);
    console.log(`not ok - ${name}: ${why}`);
  } else {
    passed++;
    console.log(`ok - ${name}`);
  }
}
async function check(name, fn) {
  try {
    await fn();
    report(name, null);
  } catch (e) {
    report(name, e);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// The whole run stays well under a minute; never hang CI.
const watchdog = setTimeout(() => {
  report('run finished in time', 'still running after 100 s');
  finish();
}, 100000);

async function api(path) {
  const res = await fetch(BASE + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

/** Minimal RFC 4180 CSV parser: rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const hashParams = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.slice(1))));

async function waitHash(page, pred, what) {
  const deadline = Date.now() + WAIT;
  let h = {};
  while (Date.now() < deadline) {
    h = await hashParams(page);
    if (pred(h)) return h;
    await page.waitForTimeout(50);
  }
  throw new Error(`URL hash never ${what} (hash: #${new URLSearchParams(h)})`);
}

/** A fresh load of the application at a hash (a same-page goto would only change the hash). */
async function open(page, hash) {
  await page.goto('about:blank');
  await page.goto(`${BASE}/#${hash}`, { waitUntil: 'load' });
}

async function tableTotal(page) {
  await page.waitForSelector('#transfers[data-ready="true"][aria-busy="false"]', { timeout: WAIT });
  return Number(await page.getAttribute('#table-status', 'data-total'));
}

/** Waits until the table shows the given total (after a filter change). */
async function waitTableTotal(page, total) {
  await page.waitForFunction((t) => {
    const s = document.getElementById('table-status');
    const tb = document.getElementById('transfers');
    return tb && tb.getAttribute('aria-busy') === 'false' && s && s.dataset.total === String(t);
  }, total, { timeout: WAIT });
}

async function evidenceMatchesApi(page, id) {
  await page.waitForFunction((tid) => {
    const p = document.getElementById('evidence');
    return p && !p.hidden && p.dataset.ready === 'true' && new URLSearchParams(location.hash.slice(1)).get('transfer') === tid;
  }, String(id), { timeout: WAIT });
  const ev = await api(`/api/transfers/${id}/evidence?limit=100`);
  const shown = await page.$$eval('#evidence-list > li.ev', (lis) => lis.map((li) => {
    const q = li.querySelector('blockquote.sentence');
    const marks = q ? q.querySelectorAll('mark') : [];
    return { marks: marks.length, mark: marks[0] ? marks[0].textContent : null, text: q ? q.textContent : null };
  }));
  assert(shown.length === ev.evidence.length, `transfer ${id}: ${shown.length} sentences shown, the API has ${ev.evidence.length}`);
  assert(shown.length > 0, `transfer ${id}: no evidence sentence shown`);
  shown.forEach((s, i) => {
    const e = ev.evidence[i];
    assert(s.marks === 1, `transfer ${id} sentence ${i + 1}: ${s.marks} <mark> elements`);
    assert(s.mark === e.match, `transfer ${id} sentence ${i + 1}: <mark> holds ${JSON.stringify(s.mark)}, the API's match is ${JSON.stringify(e.match)}`);
    assert(s.text === e.before + e.match + e.after, `transfer ${id} sentence ${i + 1}: shown sentence differs from before+match+after`);
  });
  const links = await page.$$eval('#evidence-list a', (as) => as.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel') })));
  for (const l of links) {
    assert(/^https?:/i.test(l.href), `evidence link is not http(s): ${l.href}`);
    assert(l.rel === 'noopener noreferrer', `evidence link rel is ${l.rel}`);
  }
  return ev;
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
const consoleErrors = [];
const cspViolations = [];
await context.addInitScript(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    const v = `${e.violatedDirective} ${e.blockedURI || ''} ${e.sourceFile || ''}:${e.lineNumber || ''}`;
    window.__csp.push(v);
    if (window.__reportCsp) window.__reportCsp(v);
  });
});
const page = await context.newPage();
page.on('console', (m) => {
  if (m.type() === 'error') consoleErrors.push(m.text());
  if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
});
page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
await page.exposeFunction('__reportCsp', (s) => cspViolations.push(s));

// Facts from the API that the checks compare against.
let top = null; // the transfer with the most documents
let filter = null; // {supplier, category, total}
try {
  const t = await api('/api/transfers?limit=1&sort=documents&order=desc');
  top = t.transfers[0];
  const f = await api(`/api/transfers?limit=1&supplier=${encodeURIComponent(top.supplier)}&category=${encodeURIComponent(top.category)}`);
  filter = { supplier: top.supplier, category: top.category, total: f.total };
} catch (e) {
  report('API reachable', e);
}

// 1. The page loads and shows transfers, with no console error and no CSP violation.
await check('page loads and the table shows transfers', async () => {
  await open(page, `view=table`);
  const total = await tableTotal(page);
  const rows = await page.locator('#transfers-body tr[data-id]').count();
  const meta = await api('/api/transfers?limit=1');
  assert(rows > 0, 'the table has no rows');
  assert(total === meta.total, `table says ${total} transfers, the API ${meta.total}`);
  assert(rows === Math.min(100, meta.total), `${rows} rows on the first page, expected ${Math.min(100, meta.total)}`);
  const csp = await page.evaluate(() => window.__csp.slice());
  assert(!consoleErrors.length, `console error: ${consoleErrors[0]}`);
  assert(!csp.length && !cspViolations.length, `CSP violation: ${csp[0] || cspViolations[0]}`);
});

// 2. Filters through the filter bar: table and graph update, URL keeps them, reload restores them.
await check('filter bar sets supplier and category; table, graph and URL follow; reload and back/forward restore', async () => {
  assert(filter, 'no transfer to filter on');
  await page.fill('#f-supplier', filter.supplier);
  await page.press('#f-supplier', 'Tab');
  await waitHash(page, (h) => h.supplier === filter.supplier, `held supplier=${filter.supplier}`);
  await page.selectOption('#f-category', filter.category);
  const h = await waitHash(page, (x) => x.supplier === filter.supplier && x.category === filter.category, `held supplier and category`);
  assert(h.view === 'table', `view is ${h.view}`);
  await waitTableTotal(page, filter.total);
  const cells = await page.$$eval('#transfers-body tr[data-id]', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[2].textContent]));
  assert(cells.length === Math.min(100, filter.total), `${cells.length} rows for the filter, expected ${filter.total}`);
  for (const [sup, cat] of cells) {
    assert(sup.includes(filter.supplier), `row supplier ${sup} is not ${filter.supplier}`);
    assert(cat.includes(filter.category.replace(/_/g, ' ')), `row category ${cat} is not ${filter.category}`);
  }
  // the graph follows the same filters
  await page.click('button.view-tab[data-view="network"]');
  await waitHash(page, (x) => x.view === 'network' && x.supplier === filter.supplier, 'switched to the network view');
  await page.waitForFunction(() => document.getElementById('network-status').textContent && !/Loading/.test(document.getElementById('network-status').textContent) && window.__armscope && window.__armscope.cy, null, { timeout: WAIT });
  const edges = await page.evaluate(() => window.__armscope.cy.edges().map((e) => [e.data('source'), e.data('category')]));
  assert(edges.length === Math.min(300, filter.total), `graph has ${edges.length} edges, expected ${Math.min(300, filter.total)}`);
  for (const [s, c] of edges) assert(s === filter.supplier && c === filter.category, `graph edge ${s} ${c} does not pass the filter`);
  // reload restores the filters into the form and the view
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('f-category').options.length > 1, null, { timeout: WAIT });
  assert((await page.inputValue('#f-supplier')) === filter.supplier, 'supplier not restored after reload');
  assert((await page.inputValue('#f-category')) === filter.category, 'category not restored after reload');
  assert(!(await page.isHidden('#view-network')), 'network view not restored after reload');
  // back and forward
  await page.goBack();
  await waitHash(page, (x) => x.view === 'table', 'went back to the table view');
  await page.goBack();
  await waitHash(page, (x) => x.supplier === filter.supplier && !x.category, 'went back to supplier only');
  assert((await page.inputValue('#f-category')) === '', 'category still set after going back');
  await page.goForward();
  await waitHash(page, (x) => x.category === filter.category, 'went forward to the category');
  assert((await page.inputValue('#f-category')) === filter.category, 'category not set again after going forward');
});

// 3. Network view: click an edge, the evidence panel opens for it.
let clickedEdge = null;
await check('network view: clicking an edge opens its evidence', async () => {
  await open(page, `view=network`);
  await page.waitForFunction(() => window.__armscope && window.__armscope.cy && window.__armscope.cy.edges().length > 0 && document.getElementById('cy').dataset.ready === 'true', null, { timeout: WAIT });
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(SHOTS, 'network.png'), fullPage: true });
  // the edge whose midpoint lies farthest from every node, so the click cannot land on a node
  const target = await page.evaluate(() => {
    const { cy } = window.__armscope;
    let best = null;
    let bestGap = -Infinity;
    cy.edges().forEach((e) => {
      const m = e.renderedMidpoint();
      let gap = Infinity;
      cy.nodes().forEach((n) => {
        const p = n.renderedPosition();
        gap = Math.min(gap, Math.hypot(p.x - m.x, p.y - m.y) - n.renderedOuterWidth() / 2);
      });
      if (gap > bestGap) {
        bestGap = gap;
        best = e;
      }
    });
    const m = best.renderedMidpoint();
    const box = cy.container().getBoundingClientRect();
    return { id: String(best.data('tid')), x: box.left + m.x, y: box.top + m.y, ids: cy.edges().map((e) => String(e.data('tid'))) };
  });
  await page.mouse.click(target.x, target.y);
  const h = await waitHash(page, (x) => !!x.transfer, 'got a transfer after the click');
  assert(target.ids.includes(h.transfer), `transfer ${h.transfer} is not an edge of the graph`);
  clickedEdge = h.transfer;
  await page.waitForSelector('#evidence:not([hidden])', { timeout: WAIT });
  await page.waitForSelector('#evidence[data-ready="true"]', { timeout: WAIT });
  const title = await page.textContent('#evidence-title');
  const ev = await api(`/api/transfers/${h.transfer}/evidence?limit=1`);
  assert(title.includes(ev.transfer.supplier_name || ev.transfer.supplier), `evidence title "${title}" lacks the supplier`);
  assert(await page.evaluate((id) => window.__armscope.cy.$id(`t${id}`).selected(), h.transfer), 'the clicked edge is not selected');
});

// 4. Evidence: one <mark> per sentence, equal to the API's match.
await check('evidence: each sentence has exactly one <mark> equal to the API match', async () => {
  assert(clickedEdge || top, 'no transfer to look at');
  if (clickedEdge) await evidenceMatchesApi(page, clickedEdge);
  // the best-documented transfer has the most sentences
  await open(page, `view=network&transfer=${top.id}`);
  const ev = await evidenceMatchesApi(page, top.id);
  assert(ev.evidence.length >= 1, 'no evidence');
  await page.waitForSelector('#cy[data-ready="true"]', { timeout: WAIT });
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(SHOTS, 'evidence.png'), fullPage: true });
  // Escape closes the panel and drops the transfer from the URL
  await page.keyboard.press('Escape');
  await waitHash(page, (x) => !x.transfer, 'dropped the transfer after Escape');
  // the hash changes first, the view follows on its hashchange event
  await page.waitForSelector('#evidence', { state: 'hidden', timeout: WAIT }).catch(() => {});
  assert(await page.isHidden('#evidence'), 'panel still open after Escape');
});

// 5. CSV export of exactly what is filtered.
await check('export CSV: header and row count match the filtered table', async () => {
  assert(filter, 'no filter');
  await open(page, `view=table&supplier=${encodeURIComponent(filter.supplier)}`);
  const total = await tableTotal(page);
  const href = await page.getAttribute('#export-csv', 'href');
  const q = new URLSearchParams(href.split('?')[1]);
  assert(href.startsWith('/api/export?') && q.get('format') === 'csv' && q.get('supplier') === filter.supplier, `export link is ${href}`);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.click('#export-csv')]);
  const path = await download.path();
  const text = readFileSync(path, 'utf8');
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
  assert(rows.length > 0, 'empty CSV');
  const header = rows[0];
  assert(header[0] === 'supplier' && header[1] === 'recipient' && header[2] === 'category', `CSV header is ${header.slice(0, 4).join(',')}`);
  assert(header.includes('credibility') && header.includes('embargo'), `CSV header lacks credibility/embargo: ${header.join(',')}`);
  assert(rows.length - 1 === total, `CSV has ${rows.length - 1} rows, the table says ${total}`);
  for (const r of rows.slice(1)) assert(r[0] === filter.supplier, `CSV row with supplier ${r[0]}`);
  assert(/\.csv$/.test(download.suggestedFilename()), `download named ${download.suggestedFilename()}`);
  const gml = await page.getAttribute('#export-graphml', 'href');
  assert(new URLSearchParams(gml.split('?')[1]).get('format') === 'graphml', `GraphML link is ${gml}`);
  await page.screenshot({ path: join(SHOTS, 'table.png'), fullPage: true });
});

// 6. XSS: the hostile article's evidence shows as text and runs nothing.
await check('XSS: hostile evidence renders as text, runs no script', async () => {
  const s = await api('/api/search?q=onerror');
  assert(s.results && s.results.length, '/api/search?q=onerror found nothing: is the XSS article in the database?');
  const id = String(s.results[0].transfer);
  // through the UI: search the text, open the row's evidence
  await open(page, `view=table`);
  await tableTotal(page);
  await page.fill('#f-q', 'onerror');
  await page.press('#f-q', 'Enter');
  await waitHash(page, (x) => x.q === 'onerror', 'held q=onerror');
  const row = page.locator(`#transfers-body tr[data-id="${id}"]`);
  await row.waitFor({ timeout: WAIT });
  await row.locator('button', { hasText: 'Evidence' }).click();
  await waitHash(page, (x) => x.transfer === id, `opened transfer ${id}`);
  await page.waitForSelector('#evidence[data-ready="true"]', { timeout: WAIT });
  await page.waitForTimeout(300);
  const xss = await page.evaluate(() => window.__xss);
  assert(xss === undefined, `window.__xss is ${xss}`);
  const sentence = page.locator('#evidence-list blockquote.sentence', { hasText: '<script>' }).first();
  assert(await sentence.count(), 'no sentence shows the literal text <script>');
  assert(await sentence.isVisible(), 'the sentence with <script> is not visible');
  const text = await sentence.textContent();
  assert(text.includes('<script>window.__xss=1</script>'), `sentence text: ${text}`);
  assert(text.includes('onerror'), 'sentence lacks the <img onerror> text');
  const injected = await page.$$eval('#evidence script, #evidence img, #evidence iframe, #evidence [onerror]', (n) => n.length);
  assert(injected === 0, `${injected} element(s) injected from article text`);
  const hostile = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\s*(javascript|data|vbscript):/i.test(h)));
  assert(!hostile.length, `a link to ${hostile[0]}`);
});

// 7. Map and timeline render; brushing sets since/until.
await check('map view: countries and arcs for state-to-state flows; an arc opens its evidence', async () => {
  await open(page, `view=map`);
  await page.waitForSelector('#map-wrap[data-ready="true"] svg.map', { timeout: WAIT });
  const countries = await page.locator('#map-wrap path.country').count();
  assert(countries > 100, `${countries} country paths`);
  const g = await api('/api/graph?limit=2000');
  const states = g.edges.filter((e) => /^[A-Z]{3}$/.test(e.source) && /^[A-Z]{3}$/.test(e.target) && e.source !== e.target);
  const nonState = g.edges.length - states.length;
  const arcs = await page.$$eval('#map-wrap .arc', (as) => as.map((a) => [a.dataset.source, a.dataset.target, a.dataset.transfer]));
  assert(states.length === 0 || arcs.length > 0, `no arc drawn for ${states.length} state-to-state transfers`);
  assert(arcs.length <= states.length, `${arcs.length} arcs for ${states.length} state-to-state transfers`);
  for (const [s, t] of arcs) assert(/^[A-Z]{3}$/.test(s) && /^[A-Z]{3}$/.test(t), `arc for a non-state actor ${s}->${t}`);
  const note = await page.textContent('#map-note');
  // every state-to-state transfer is an arc, unless the note names a state too small for the 1:110m map
  const drawn = new Set(arcs.map((a) => a[2]));
  for (const e of states) {
    assert(drawn.has(String(e.id)) || note.includes(`(${e.source})`) || note.includes(`(${e.target})`), `transfer ${e.id} ${e.source}->${e.target} is neither an arc nor named as off the map`);
  }
  if (nonState) assert(/non-state/i.test(note), `the map does not say non-state actors are left out: ${note}`);
  await page.screenshot({ path: join(SHOTS, 'map.png'), fullPage: true });
  // click the middle of an arc
  const pt = await page.evaluate(() => {
    const hits = [...document.querySelectorAll('#map-wrap .arc .arc-hit')];
    for (const p of hits) {
      const L = p.getTotalLength();
      for (const f of [0.5, 0.35, 0.65, 0.2, 0.8]) {
        const q = p.getPointAtLength(L * f);
        const m = p.getScreenCTM();
        const x = q.x * m.a + q.y * m.c + m.e;
        const y = q.x * m.b + q.y * m.d + m.f;
        const at = document.elementFromPoint(x, y);
        const arc = at && at.closest('.arc');
        if (arc) return { x, y, id: arc.dataset.transfer };
      }
    }
    return null;
  });
  assert(pt, 'no clickable arc');
  await page.mouse.click(pt.x, pt.y);
  await waitHash(page, (x) => x.transfer === pt.id, `opened the clicked arc's transfer ${pt.id}`);
  await page.waitForSelector('#evidence[data-ready="true"]', { timeout: WAIT });
});

await check('timeline view: bars render; brushing sets since/until in the URL', async () => {
  await open(page, `view=timeline`);
  await page.waitForSelector('#timeline-wrap[data-ready="true"] svg.timeline', { timeout: WAIT });
  const t = await api('/api/timeline');
  const buckets = t.buckets.filter((b) => b.records > 0 && /^\d{4}-\d{2}$/.test(b.month));
  const bars = await page.locator('#timeline-wrap rect.bar').count();
  assert(bars > 0, 'no bars');
  assert(bars === buckets.length, `${bars} bars for ${buckets.length} month/category buckets`);
  await page.screenshot({ path: join(SHOTS, 'timeline.png'), fullPage: true });
  const box = await page.locator('#timeline-wrap .brush .overlay').boundingBox();
  assert(box && box.width > 100, 'no brush area');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
  await page.mouse.up();
  const h = await waitHash(page, (x) => x.since && x.until, 'held since and until after brushing');
  assert(/^\d{4}-\d{2}$/.test(h.since) && /^\d{4}-\d{2}$/.test(h.until), `since=${h.since} until=${h.until}`);
  assert(h.since <= h.until, `since ${h.since} after until ${h.until}`);
  const months = [...new Set(buckets.map((b) => b.month))].sort();
  assert(h.since >= months[0] && h.until <= months[months.length - 1], `brushed range ${h.since}..${h.until} outside ${months[0]}..${months[months.length - 1]}`);
  assert((await page.inputValue('#f-since')) === h.since && (await page.inputValue('#f-until')) === h.until, 'filter bar does not show the brushed dates');
  // the table follows the brushed dates
  const f = await api(`/api/transfers?limit=1&since=${h.since}&until=${h.until}`);
  await page.click('button.view-tab[data-view="table"]');
  await waitTableTotal(page, f.total);
});

await check('screenshots written', async () => {
  for (const n of ['network', 'map', 'timeline', 'table', 'evidence']) {
    const p = join(SHOTS, `${n}.png`);
    let size = 0;
    try {
      size = readFileSync(p).length;
    } catch {
      size = 0;
    }
    assert(size > 5000, `${p} missing or empty`);
  }
});

await check('no console errors and no CSP violations during the run', async () => {
  const csp = await page.evaluate(() => window.__csp.slice());
  assert(!consoleErrors.length, `${consoleErrors.length} console error(s), first: ${consoleErrors[0]}`);
  assert(!csp.length && !cspViolations.length, `CSP violation: ${csp[0] || cspViolations[0]}`);
});

clearTimeout(watchdog);
await browser.close();
finish();

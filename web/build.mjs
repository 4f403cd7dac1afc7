// Builds the single-page application into OUTDIR (default ../build/web):
//   index.html, app.js, app.css, countries-110m.json, favicon.svg
// Usage (from the checkout root): node web/build.mjs OUTDIR
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const out = resolve(process.argv[2] || join(here, '..', 'build', 'web'));
const require = createRequire(import.meta.url);

mkdirSync(out, { recursive: true });
const outputs = ['index.html', 'app.js', 'app.css', 'countries-110m.json', 'favicon.svg'];
for (const name of outputs) rmSync(join(out, name), { force: true });

const common = {
  bundle: true,
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  target: ['chrome109', 'firefox115', 'safari16', 'edge109'],
};
await build({
  ...common,
  entryPoints: [join(src, 'main.js')],
  outfile: join(out, 'app.js'),
  format: 'iife',
  define: { 'process.env.NODE_ENV': '"production"' },
});
await build({ ...common, entryPoints: [join(src, 'app.css')], outfile: join(out, 'app.css'), external: ['/assets/*'] });

copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
copyFileSync(join(src, 'favicon.svg'), join(out, 'favicon.svg'));
copyFileSync(require.resolve('world-atlas/countries-110m.json'), join(out, 'countries-110m.json'));

let total = 0;
for (const name of readdirSync(out)) if (outputs.includes(name)) total += statSync(join(out, name)).size;
console.log(`web: ${outputs.length} files in ${out}, ${(total / 1024).toFixed(0)} KiB`);

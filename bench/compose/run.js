'use strict';
// `npm run bench:compose`: `dockyard convert` in fresh processes for 1k, 5k and 20k services.
//
//   node bench/compose/run.js [--sizes 1000,5000,20000] [--runs 3] [--smoke]
//
// Each run is a fresh `node bin/dockyard.js convert` process (cold, as a user runs it), on a project
// from generate.js. The peer of each size is the smallest size, run side by side in the same
// rounds: the per-service cost ratio (ms per service at N over ms per service at the smallest N)
// stays near 1 when convert is linear and grows with N when it is not. Times are medians.
// --smoke: 200 and 1,000 services, one run (what CI can afford; no timing assertion).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { writeProject } = require('./generate');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dockyard.js');

function parseArgs(argv) {
  const opts = { sizes: [1000, 5000, 20000], runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') opts.sizes = argv[++i].split(',').map(Number);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--smoke') { opts.sizes = [200, 1000]; opts.runs = 1; }
    else throw new Error(`unknown option ${a}; use --sizes, --runs, --smoke`);
  }
  opts.sizes.sort((a, b) => a - b);
  return opts;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

function convert(file, outdir) {
  fs.rmSync(outdir, { recursive: true, force: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'convert', file, '-o', outdir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TAG: '' }, maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`convert ${file} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  return ms;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-bench-compose-'));
  try {
    const files = Object.fromEntries(opts.sizes.map((n) => [n, writeProject(path.join(tmp, `n${n}`), n)]));
    const times = Object.fromEntries(opts.sizes.map((n) => [n, []]));
    // Sizes interleaved run by run, so load on a shared machine hits them alike.
    for (let r = 0; r < opts.runs; r++) for (const n of opts.sizes) times[n].push(convert(files[n], path.join(tmp, 'out')));
    const base = opts.sizes[0];
    const perBase = median(times[base]) / base;
    console.log(`dockyard convert, fresh process per run, median of ${opts.runs} (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
    console.log('services   wall        ms/service   per-service cost vs N=' + base);
    for (const n of opts.sizes) {
      const m = median(times[n]);
      console.log(`${String(n).padEnd(10)} ${`${(m / 1000).toFixed(2)} s`.padEnd(11)} ${(m / n).toFixed(3).padEnd(12)} ${((m / n) / perBase).toFixed(2)}x`);
    }
    const top = opts.sizes[opts.sizes.length - 1];
    console.log(`${top} services: ${(median(times[top]) / 1000).toFixed(2)} s (aim: under 10 s); linearity ${(((median(times[top]) / top) / perBase)).toFixed(2)}x (1.00 = linear; the start-up cost of the small run makes it drop below 1)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();

'use strict';
// `npm run bench:synth`: Dockyard's synth against the same app in cdk8s-plus-33 and a YAML floor.
//
//   node bench/synth/run.js [--smoke] [--sizes 10,1000,10000] [--runs 5] [--cli-runs 5] [--json file]
//                           [--compare DIR]   also measure the Dockyard build in DIR (another checkout)
//
// Every measurement is a fresh `node bench/synth/measure.js` process (clean peak memory, cold JIT as
// a user gets it). Variants are interleaved run by run so drift on a busy machine hits all alike.
// Times are medians; "synth" excludes loading modules (reported apart), CPU is user+system time.
// --smoke: N=10, one run, no `cdk8s synth` timing; what CI runs (no timing assertions).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const MEASURE = path.join(__dirname, 'measure.js');
let VARIANTS = ['dockyard', 'plus', 'floor'];
const LABEL = { dockyard: 'Dockyard', plus: 'cdk8s-plus-33', floor: 'floor (js-yaml)', compare: 'before (--compare)' };
let compareRoot;

function parseArgs(argv) {
  const opts = { smoke: false, sizes: [10, 1000, 10000], runs: undefined, cliRuns: 5, json: undefined, compare: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--smoke') opts.smoke = true;
    else if (a === '--sizes') opts.sizes = next().split(',').map(Number);
    else if (a === '--runs') opts.runs = Number(next());
    else if (a === '--cli-runs') opts.cliRuns = Number(next());
    else if (a === '--json') opts.json = next();
    else if (a === '--compare') opts.compare = path.resolve(next());
    else throw new Error(`unknown option ${a}; use --smoke, --sizes, --runs, --cli-runs, --json, --compare`);
  }
  if (opts.smoke) { opts.sizes = [10]; opts.runs = 1; opts.cliRuns = 0; }
  return opts;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(variant, n, outdir, objectsFile) {
  fs.rmSync(outdir, { recursive: true, force: true });
  const env = variant === 'compare' ? { ...process.env, DOCKYARD_ROOT: compareRoot } : process.env;
  const start = performance.now();
  const r = spawnSync(process.execPath, [MEASURE, variant === 'compare' ? 'dockyard' : variant, String(n), outdir, objectsFile], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  // What a user waits for: the whole process (Node's start, module load, build, synth, write).
  const processMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`${variant} N=${n} failed (exit ${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop();
  return variant === 'prepare' ? undefined : { ...JSON.parse(line), processMs };
}

/** Wall time of a command, in ms. */
function wall(cmd, args, env, cwd = ROOT) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return performance.now() - t;
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const pad = (s, n) => String(s).padEnd(n);

function benchSize(n, runs, tmp) {
  const objectsFile = path.join(tmp, `objects-${n}.json`);
  measure('prepare', n, path.join(tmp, 'prepare'), objectsFile);
  const results = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < runs; r++) {
    for (const v of VARIANTS) results[v].push(measure(v, n, path.join(tmp, `out-${v}`), objectsFile));
  }
  const summary = {};
  for (const v of VARIANTS) {
    const rs = results[v];
    summary[v] = {
      synthMs: median(rs.map((x) => x.synthMs)),
      synthCpuMs: median(rs.map((x) => x.synthCpuMs)),
      loadMs: median(rs.map((x) => x.loadMs)),
      processMs: median(rs.map((x) => x.processMs)),
      totalCpuMs: median(rs.map((x) => x.totalCpuMs)),
      maxRssMB: median(rs.map((x) => x.maxRssMB)),
      objects: rs[0].objects,
      bytes: rs[0].bytes,
      runs: rs.length,
    };
  }
  return summary;
}

function printSize(n, s) {
  console.log(`\nN = ${n} web apps (${s.dockyard.objects} objects), medians of ${s.dockyard.runs} run(s):`);
  console.log(`  ${pad('variant', 20)}${pad('process', 11)}${pad('total CPU', 11)}${pad('synth', 11)}${pad('synth CPU', 11)}${pad('per app', 10)}${pad('load', 10)}${pad('peak RSS', 11)}YAML`);
  for (const v of VARIANTS) {
    const x = s[v];
    console.log(`  ${pad(LABEL[v], 20)}${pad(fmt(x.processMs), 11)}${pad(fmt(x.totalCpuMs), 11)}${pad(fmt(x.synthMs), 11)}${pad(fmt(x.synthCpuMs), 11)}${pad(`${(x.synthMs * 1000 / n).toFixed(0)} us`, 10)}${pad(fmt(x.loadMs), 10)}${pad(`${x.maxRssMB.toFixed(0)} MB`, 11)}${(x.bytes / 1024).toFixed(0)} KiB`);
  }
  const r = (a, b, k) => (s[a][k] / s[b][k]).toFixed(2);
  // The aims are for what a user meets: one fresh process per synth, module load included.
  const aim = n <= 10 ? 0.8 : n >= 1000 ? 0.33 : undefined;
  console.log(`  ratio N=${n} fresh process: Dockyard/cdk8s-plus = ${r('dockyard', 'plus', 'processMs')}x wall, ${r('dockyard', 'plus', 'totalCpuMs')}x CPU${aim ? ` (aim <= ${aim})` : ''}`);
  console.log(`  ratio N=${n} synth only: Dockyard/cdk8s-plus = ${r('dockyard', 'plus', 'synthMs')}x wall, ${r('dockyard', 'plus', 'synthCpuMs')}x CPU`);
  console.log(`  ratio N=${n}: Dockyard/floor = ${r('dockyard', 'floor', 'synthMs')}x wall, ${r('dockyard', 'floor', 'synthCpuMs')}x CPU (aim <= 2 at N=1000)`);
  if (s.compare) console.log(`  ratio N=${n}: Dockyard/--compare build = ${r('dockyard', 'compare', 'synthMs')}x wall, ${r('dockyard', 'compare', 'synthCpuMs')}x CPU`);
}

function benchCli(runs, tmp) {
  const cdk8s = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  const outdir = path.join(tmp, 'cli-dist');
  const env = { CDK8S_CHECK_UPGRADE: 'false' };
  // The CLI's own floor: the same `cdk8s synth` with an app that does nothing, so what is left of the
  // 1.5 s aim for any app (ours included) is visible.
  const empty = path.join(tmp, 'empty-app');
  fs.mkdirSync(empty, { recursive: true });
  fs.writeFileSync(path.join(empty, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\n');
  fs.writeFileSync(path.join(empty, 'app.js'), "require('node:fs').mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });\n");
  const rows = {
    'npx cdk8s synth': () => wall('npx', ['cdk8s', 'synth', '--output', outdir], env),
    'cdk8s synth (no npx)': () => wall(cdk8s, ['synth', '--output', outdir], env),
    'cdk8s --version (CLI start-up)': () => wall(cdk8s, ['--version'], env),
    'cdk8s synth of an empty app (CLI floor)': () => wall(cdk8s, ['synth', '--output', path.join(empty, 'dist')], env, empty),
    'node build/apps/main.js (the app)': () => wall(process.execPath, ['build/apps/main.js'], { CDK8S_OUTDIR: outdir }),
  };
  const out = {};
  console.log(`\ncdk8s synth of the example apps (wall, median of ${runs} runs, CDK8S_CHECK_UPGRADE=false):`);
  for (const [label, run] of Object.entries(rows)) {
    const times = [];
    for (let i = 0; i < runs; i++) times.push(run());
    out[label] = median(times);
    console.log(`  ${pad(label, 42)}${fmt(out[label])}  (min ${fmt(Math.min(...times))})`);
  }
  console.log(`  aim: npx cdk8s synth under 1.5 s: ${out['npx cdk8s synth'] < 1500 ? 'met' : 'not met'}; the CLI alone (empty app, no npx) takes ${fmt(out['cdk8s synth of an empty app (CLI floor)'])}`);
  return out;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.compare) {
    if (!fs.existsSync(path.join(opts.compare, 'build', 'lib', 'index.js'))) throw new Error(`--compare ${opts.compare}: no build/lib there (build that checkout first)`);
    compareRoot = opts.compare;
    VARIANTS = [...VARIANTS, 'compare'];
  }
  if (!fs.existsSync(path.join(ROOT, 'build', 'lib', 'index.js'))) throw new Error('build/ is missing: run `npm run build` first (npm run bench:synth does)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-bench-'));
  const load = os.loadavg()[0];
  console.log(`Dockyard synth benchmark: node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load.toFixed(1)}${opts.smoke ? ' (smoke mode)' : ''}`);
  if (load > os.cpus().length) console.log('  note: the machine is busy; wall times are inflated, CPU times less so');
  const report = { node: process.version, cpus: os.cpus().length, loadavg: load, sizes: {}, cli: undefined };
  try {
    for (const n of opts.sizes) {
      const runs = opts.runs ?? (n >= 10000 ? 3 : 5);
      report.sizes[n] = benchSize(n, runs, tmp);
      printSize(n, report.sizes[n]);
    }
    if (opts.sizes.length > 1) {
      // Linear growth is judged between the two largest sizes (fixed costs dominate a small app).
      const [a, b] = opts.sizes.slice(-2);
      const per = (n) => report.sizes[n].dockyard.synthMs / n;
      const mem = (n) => report.sizes[n].dockyard.maxRssMB;
      console.log(`\ngrowth ${a} -> ${b} apps: Dockyard time per app x${(per(b) / per(a)).toFixed(2)}, peak RSS ${mem(a).toFixed(0)} -> ${mem(b).toFixed(0)} MB`);
    }
    if (opts.cliRuns > 0) report.cli = benchCli(opts.cliRuns, tmp);
    else console.log('\ncdk8s synth timing: skipped (smoke mode or --cli-runs 0)');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(report, null, 2));
  console.log('\nOther benchmarks: npm run bench:docker (Docker host target), npm run bench:webhook (PodService webhook).');
}

main();

#!/usr/bin/env node
/**
 * `npm run bench:docker`: the same three-service app (bench/docker/app.yaml vs compose.yaml) deployed
 * by `dockyard deploy --docker` and by Debian's `docker-compose up -d`, on the same engine and local
 * images, side by side in one run: first deploy, no-op re-deploy, change one service, destroy.
 * Prints medians over BENCH_RUNS runs (default 5) and ratios (dockyard / compose; < 1 is faster).
 * Needs DOCKER_HOST (bash scripts/docker-engine.sh), the test image (bash scripts/test-images.sh) and build/.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/dockyard.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-bench-'));
const manifest = fs.readFileSync(path.join(__dirname, 'app.yaml'), 'utf8');

function run(cmd, args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, cwd: __dirname });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return { ms, stdout: r.stdout };
}

const dockyardFlags = ['--docker', '--project', 'benchd', '--publish-address', '127.0.0.1', '--no-pull', '--json'];
function dockyard(step, version) {
  fs.writeFileSync(path.join(work, 'app.yaml'), manifest.replace('API_VERSION_VALUE', String(version)));
  const args = step === 'destroy' ? ['destroy', ...dockyardFlags] : ['deploy', ...dockyardFlags, work];
  const r = run(process.execPath, [CLI, ...args]);
  const doc = JSON.parse(r.stdout);
  return { ms: r.ms, engineMs: doc.durationMs, changes: doc.changes.length };
}
function compose(step, version) {
  const base = ['-p', 'benchc', '-f', path.join(__dirname, 'compose.yaml')];
  const args = step === 'destroy' ? [...base, 'down'] : [...base, 'up', '-d'];
  return { ms: run('docker-compose', args, { API_VERSION: String(version) }).ms };
}

const STEPS = [['first deploy', 1], ['no-op re-deploy', 1], ['change one service', 2], ['destroy', 2]];
function cycle(tool) {
  const out = {};
  for (const [step, version] of STEPS) out[step] = tool(step === 'destroy' ? 'destroy' : 'deploy', version);
  return out;
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }

function main() {
  for (const need of [['docker', ['info']], ['docker-compose', ['version']]]) {
    const r = spawnSync(need[0], need[1], { encoding: 'utf8' });
    if (r.status !== 0) { console.error(`bench:docker needs ${need[0]} and a running engine (eval "$(bash scripts/docker-engine.sh | tail -1)"): ${r.stderr || r.error}`); process.exit(1); }
  }
  if (!fs.existsSync(path.join(ROOT, 'build/lib/cli/main.js'))) { console.error('bench:docker needs build/: npm run build'); process.exit(1); }
  // Start clean for both.
  spawnSync(process.execPath, [CLI, 'destroy', '--docker', '--project', 'benchd', '--quiet']);
  spawnSync('docker-compose', ['-p', 'benchc', '-f', path.join(__dirname, 'compose.yaml'), 'down'], { cwd: __dirname });
  const results = { dockyard: [], compose: [] };
  for (let i = 0; i < RUNS; i++) {
    // Alternate who goes first, so neither always meets a warm or a busy engine.
    const order = i % 2 ? ['compose', 'dockyard'] : ['dockyard', 'compose'];
    for (const name of order) results[name].push(cycle(name === 'dockyard' ? dockyard : compose));
    process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
  }
  const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`.padStart(8);
  console.log(`\nbench:docker — 3 services, ${RUNS} runs, medians (engine: ${process.env.DOCKER_HOST ?? 'default'})\n`);
  console.log(`${'step'.padEnd(20)} ${'dockyard'.padStart(8)} ${'(engine)'.padStart(9)} ${'compose'.padStart(8)}   ratio`);
  const summary = {};
  for (const [step] of STEPS) {
    const d = median(results.dockyard.map((r) => r[step].ms));
    const e = median(results.dockyard.map((r) => r[step].engineMs));
    const c = median(results.compose.map((r) => r[step].ms));
    summary[step] = { dockyardMs: Math.round(d), dockyardEngineMs: Math.round(e), composeMs: Math.round(c), ratio: +(d / c).toFixed(2) };
    console.log(`${step.padEnd(20)} ${fmt(d)} ${fmt(e).padStart(9)} ${fmt(c)}   ${(d / c).toFixed(2)}`);
  }
  const changes = results.dockyard.map((r) => r['no-op re-deploy'].changes);
  console.log(`\ndockyard: wall time of the CLI process; (engine) = the reconcile itself (deployPlan), without node start, manifest loading and schema validation.`);
  console.log(`no-op re-deploy changes made by dockyard: ${JSON.stringify(changes)} (must all be 0)`);
  console.log(JSON.stringify({ bench: 'docker', runs: RUNS, steps: summary }));
  fs.rmSync(work, { recursive: true, force: true });
}

main();

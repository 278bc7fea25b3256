'use strict';
// Where the N-app synth's time goes, as ratios to cdk8s-plus-33: each step of Dockyard's synth run on
// its own in fresh processes, alternating with the peer, so a step's share of the aim can be read off.
// A diagnostic, not a benchmark with an aim: `node bench/synth/budget.js [--n 1000] [--runs 7]`.
//   load     node start, require cdk8s and Dockyard, then exit
//   build    + build the N web apps (constructs)
//   render   + construct validations and render to objects
//   yaml     + YAML and the file write, without the schema and policy checks
//   synth    Dockyard's whole synthApp (render, schema, API rules, policy, YAML, atomic write)
//   plus     cdk8s-plus-33: build and app.synth()
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const STEPS = ['load', 'build', 'render', 'yaml', 'synth'];

/** One step in this (fresh) process. */
function runStep(step, n, outdir) {
  const { App } = require('cdk8s');
  const apps = require('./apps');
  if (step === 'plus') {
    require('cdk8s-plus-33');
    const app = new App({ outdir });
    apps.buildPlus(app, n);
    app.synth();
    return;
  }
  const lib = require(path.join(apps.ROOT, 'build', 'lib'));
  if (step === 'load') return;
  const app = new App();
  apps.buildDockyard(app, n, lib);
  if (step === 'build') return;
  if (step === 'synth') { lib.synthApp(app, { outdir }); return; }
  const core = require(path.join(apps.ROOT, 'build', 'lib', 'core', 'synth'));
  const outputs = core.renderCharts(app);
  if (step === 'render') return;
  fs.mkdirSync(outdir, { recursive: true });
  for (const o of outputs) fs.writeFileSync(path.join(outdir, o.fileName), core.toYaml(o.objects.map((x) => x.object)));
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--step') { runStep(args[1], Number(args[2]), args[3]); return; }
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
  const n = opt('--n', 1000);
  const runs = opt('--runs', 7);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-budget-'));
  const times = Object.fromEntries([...STEPS, 'plus'].map((s) => [s, []]));
  try {
    for (let r = 0; r < runs; r++) {
      for (const step of ['plus', ...STEPS]) {
        const outdir = path.join(tmp, `${step}-${r}`);
        const t = performance.now();
        const p = spawnSync(process.execPath, [__filename, '--step', step, String(n), outdir], { stdio: 'inherit' });
        if (p.status !== 0) throw new Error(`step ${step} failed (exit ${p.status})`);
        times[step].push(performance.now() - t);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const plus = median(times.plus);
  console.log(`N = ${n}: fresh-process wall time, median of ${runs}, alternating (load average ${os.loadavg()[0].toFixed(1)})`);
  console.log(`  cdk8s-plus-33                         ${plus.toFixed(0).padStart(6)} ms`);
  let prev = 0;
  for (const step of STEPS) {
    const m = median(times[step]);
    console.log(`  Dockyard up to ${step.padEnd(8)} ${m.toFixed(0).padStart(6)} ms  (+${(m - prev).toFixed(0).padStart(4)} ms)  ${(m / plus).toFixed(2)}x of cdk8s-plus-33`);
    prev = m;
  }
}

main();

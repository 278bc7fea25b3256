'use strict';
// One measurement in a fresh process (so peak memory is this variant's alone). Prints one JSON line.
// Usage: node bench/synth/measure.js <dockyard|plus|floor|prepare> <N> <outdir> [objects.json]
//   dockyard  Dockyard's synthApp (construct, validate, schema, policy checks, YAML, atomic write)
//   plus      the same app with cdk8s-plus-33 and cdk8s' app.synth()
//   floor     js-yaml dump of Dockyard's objects (read untimed from objects.json) and the file write
//   prepare   writes Dockyard's objects to objects.json for the floor (not a measurement)
const fs = require('node:fs');
const path = require('node:path');

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

function main() {
  const [variant, nText, outdir, objectsFile] = process.argv.slice(2);
  const n = Number(nText);
  const t0 = performance.now();
  const c0 = cpuMs();
  let load = 0;
  let objects = 0;
  let t1;
  let c1;
  const mark = () => { t1 = performance.now(); c1 = cpuMs(); load = t1 - t0; };
  if (variant === 'dockyard' || variant === 'prepare') {
    const { App } = require('cdk8s');
    const apps = require('./apps');
    // DOCKYARD_ROOT: measure another checkout's build (run.js --compare), e.g. the code before a change.
    const lib = require(path.join(process.env.DOCKYARD_ROOT ?? apps.ROOT, 'build', 'lib'));
    mark();
    const app = new App();
    apps.buildDockyard(app, n, lib);
    if (variant === 'prepare') {
      const outputs = lib.renderApp(app);
      fs.writeFileSync(objectsFile, JSON.stringify(outputs.map((o) => ({ fileName: o.fileName, objects: o.objects.map((x) => x.object) }))));
      return;
    }
    const outputs = lib.synthApp(app, { outdir });
    objects = outputs.reduce((s, o) => s + o.objects.length, 0);
  } else if (variant === 'plus') {
    const { ApiObject, App } = require('cdk8s');
    require('cdk8s-plus-33');
    const apps = require('./apps');
    mark();
    const app = new App({ outdir });
    apps.buildPlus(app, n);
    app.synth();
    objects = app.node.findAll().filter((c) => ApiObject.isApiObject(c)).length;
  } else if (variant === 'floor') {
    const jsyaml = require('js-yaml');
    const charts = JSON.parse(fs.readFileSync(objectsFile, 'utf8'));
    mark();
    fs.mkdirSync(outdir, { recursive: true });
    for (const chart of charts) {
      const text = chart.objects.map((o) => jsyaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n');
      fs.writeFileSync(path.join(outdir, chart.fileName), text);
      objects += chart.objects.length;
    }
  } else {
    throw new Error(`unknown variant "${variant}"; use dockyard, plus, floor or prepare`);
  }
  const synthMs = performance.now() - t1;
  const synthCpuMs = cpuMs() - c1;
  let bytes = 0;
  for (const f of fs.readdirSync(outdir)) if (f.endsWith('.yaml')) bytes += fs.statSync(path.join(outdir, f)).size;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ variant, n, loadMs: load, synthMs, synthCpuMs, totalCpuMs: cpuMs() - c0, maxRssMB, objects, bytes }));
}

main();

'use strict';
// The pinned output of the benchmark app: N=10 as text, N=1000 as a sha256 of the bytes.
// `node bench/synth/golden.js --write` regenerates them from the built library (only when an output
// change is intended, in its own commit); test/bench/golden.test.ts compares the sources against them.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const apps = require('./apps');

const DIR = path.join(apps.ROOT, 'test', 'bench', 'golden');
const SIZES = [10, 1000];

/** The YAML text of the benchmark app with N web apps, rendered by `lib` (the built library or its sources). */
function benchYaml(n, lib) {
  const { App } = require('cdk8s');
  const app = new App({ outdir: path.join(DIR, 'unused') });
  apps.buildDockyard(app, n, lib);
  const outputs = lib.renderApp(app);
  return outputs.map((o) => lib.toYaml(o.objects.map((x) => x.object))).join('');
}

const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The golden of size n: the text for N=10, `<sha256>  <bytes>` for N=1000. */
function golden(n, text) {
  return n === 10 ? text : `${sha256(text)}  ${Buffer.byteLength(text)}\n`;
}

const fileOf = (n) => path.join(DIR, n === 10 ? 'bench-10.k8s.yaml' : `bench-${n}.k8s.yaml.sha256`);

if (require.main === module && process.argv.includes('--write')) {
  const lib = require(path.join(apps.ROOT, 'build', 'lib'));
  fs.mkdirSync(DIR, { recursive: true });
  for (const n of SIZES) fs.writeFileSync(fileOf(n), golden(n, benchYaml(n, lib)));
}

module.exports = { SIZES, benchYaml, golden, fileOf };

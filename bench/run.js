'use strict';
// `npm run bench`: runs the synth benchmark (bench/synth/run.js) by default, passing options through.
//   npm run bench                 synth: N = 10, 1,000, 10,000 + `npx cdk8s synth` of the examples
//   npm run bench -- --smoke      synth, N = 10, one run (what CI runs)
//   npm run bench -- docker|webhook|all [options]
// The Docker host and webhook benchmarks need a Docker engine or a free port; they have their own
// scripts too: `npm run bench:docker`, `npm run bench:webhook`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const BENCHES = { synth: 'synth/run.js', docker: 'docker/run.js', webhook: 'webhook/run.js' };

function run(name, args) {
  const file = path.join(__dirname, BENCHES[name]);
  if (!fs.existsSync(file)) { console.log(`bench ${name}: ${path.relative(process.cwd(), file)} is missing, skipped`); return 0; }
  console.log(`== bench ${name}`);
  return spawnSync(process.execPath, [file, ...args], { stdio: 'inherit' }).status ?? 1;
}

const [first, ...rest] = process.argv.slice(2);
let status = 0;
if (first === 'all') for (const name of Object.keys(BENCHES)) status ||= run(name, rest);
else if (first && BENCHES[first]) status = run(first, rest);
else status = run('synth', first ? [first, ...rest] : []);
process.exit(status);

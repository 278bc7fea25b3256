'use strict';
// Where one cold Dockyard synth spends its time, stage by stage (a diagnostic, not a benchmark).
// Usage: node bench/synth/stages.js <N>
const path = require('node:path');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let last = cpu();
const rows = [];
const stage = (name, fn) => { const r = fn(); const c = cpu(); rows.push([name, c - last]); last = c; return r; };
const n = Number(process.argv[2] ?? 10);
const { App } = stage('require cdk8s', () => require('cdk8s'));
const lib = stage('require dockyard', () => require(path.join(__dirname, '..', '..', 'build', 'lib')));
const core = require(path.join(__dirname, '..', '..', 'build', 'lib', 'core', 'synth'));
const { policySynthCheck } = require(path.join(__dirname, '..', '..', 'build', 'lib', 'policy', 'policy'));
const apps = require('./apps');
const app = new App();
stage('build', () => apps.buildDockyard(app, n, lib));
const outputs = stage('render', () => core.renderCharts(app));
stage('identity', () => core.identityProblems(outputs));
stage('schema', () => core.schemaProblems(outputs));
stage('policy', () => policySynthCheck({ log: () => {} })(app, outputs));
stage('yaml', () => outputs.map((o) => core.toYaml(o.objects.map((x) => x.object))));
const total = rows.reduce((s, r) => s + r[1], 0);
for (const [k, v] of rows) console.log(`${k.padEnd(18)} ${v.toFixed(0).padStart(6)} ms CPU`);
console.log(`${'total'.padEnd(18)} ${total.toFixed(0).padStart(6)} ms CPU (process ${cpu().toFixed(0)} ms)`);

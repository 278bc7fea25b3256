'use strict';
// Randomized check that Dockyard's YAML emitter writes exactly what cdk8s' Yaml.stringify writes.
// Usage: node bench/synth/yaml-fuzz.js [documents] [seed]   (exit 1 and the first difference on a mismatch)
const path = require('node:path');

/** Awkward scalars: YAML 1.1 implicit types, indicators, quotes, spaces, newlines, unicode, numbers. */
const ATOMS = [
  '', ' ', 'a', 'y', 'Y', 'n', 'N', 'yes', 'No', 'on', 'OFF', 'true', 'False', 'null', 'Null', '~', 'nullx', 'onx', 'yesterday',
  '0', '007', '0755', '0o17', '0x1F', '0b101', '1_000', '12:30', '1:20:30.5', '1e3', '1.5', '.5', '.inf', '-.Inf', '.nan', '+1', '-1', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '-', '?', '- a', '? a', ':', 'a:', 'a: b', 'a:b', 'http://x:8080/', '#c', 'a #c', 'a#c', '&a', '*a', '*.example.com', '!tag', '|', '>', "'", '"', '%x', '@x', '`x', ',x', '[x', ']', '{x}',
  "it's", 'say "hi"', 'both \' and "', ' lead', 'trail ', 'tab\there', '\ttab', 'a\tb ', '--- x', '---', '...', '... x', 'x ---',
  'line1\nline2', 'x\n', '\nx', 'a\n\nb', 'p\n\n', '  indented\nx', 'a \nb', 'a\n b', '\n', '\n\n', 'x\n--- y', '--- y\nx', 'é', 'ü日本', '\u00a0nb', '\u2028', '\u0085x', '\x07bell', '\x00', '\ud800',
  'nginx:1.27', '/etc/config', 'app.kubernetes.io/name', '100m', '128Mi', '25%', 'RollingUpdate', 'cdk8s.io/metadata.addr', '<<', '=', 'a'.repeat(300),
  0, 1, -1, -0, 8080, 0.5, 1e21, 1.5e-7, 2 ** 60, NaN, Infinity, -Infinity, true, false, null, undefined,
];

function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

function randomValue(r, depth) {
  const x = r();
  if (depth > 4 || x < 0.55) {
    const a = ATOMS[Math.floor(r() * ATOMS.length)];
    return typeof a === 'string' && r() < 0.2 ? a + ATOMS[Math.floor(r() * 20)] : a;
  }
  const n = Math.floor(r() * 4);
  if (x < 0.78) return Array.from({ length: n }, () => randomValue(r, depth + 1));
  const o = {};
  for (let i = 0; i < n; i++) {
    const k = r() < 0.6 ? ['name', 'spec', 'metadata', 'labels', 'items', 'x'][Math.floor(r() * 6)] + i : String(ATOMS[Math.floor(r() * ATOMS.length)]);
    o[k] = randomValue(r, depth + 1);
  }
  return o;
}

function main() {
  const { Yaml } = require('cdk8s');
  const { stringifyYaml, emitDocumentFast } = require(path.join(__dirname, '..', '..', 'build', 'lib', 'core', 'yaml-emit'));
  const count = Number(process.argv[2] ?? 3000);
  const seed = Number(process.argv[3] ?? 42);
  const r = rng(seed);
  let bad = 0;
  let fast = 0;
  for (let i = 0; i < count; i++) {
    const doc = randomDocument(r);
    const a = Yaml.stringify(doc);
    const b = stringifyYaml([doc]);
    if (emitDocumentFast(doc) !== undefined) fast++;
    if (a !== b) {
      bad++;
      if (bad === 1) console.log('MISMATCH', JSON.stringify(doc), '\n--- yaml:\n' + a + '--- ours:\n' + b);
    }
  }
  console.log(`yaml fuzz: ${count} documents (${fast} by the fast path), ${bad} different`);
  process.exitCode = bad ? 1 : 0;
}

if (require.main === module) main();
/** A random Kubernetes-shaped document (the fuzz corpus, also used by the jest test). */
function randomDocument(r) {
  return { apiVersion: 'v1', kind: 'X', data: randomValue(r, 0), more: randomValue(r, 0) };
}

module.exports = { randomValue, randomDocument, rng, ATOMS };

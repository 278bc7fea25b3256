'use strict';
// Build step (after build-schema.js): the Kubernetes 1.33 validators of every built-in kind, bundled
// into build/lib/core/k8s-validators/, which lib/core/k8s-validators.ts loads at run time.
//
// Source: kubernetes-models' `_schemas` modules (MIT), validators that ajv compiled from the OpenAPI
// document when that package was built (types, enums, formats, required fields). Loading them from
// the package costs a cold process more than validating: a Deployment pulls in some 120 files one
// `require` at a time, plus the package's runtime (ajv-formats, ajv-i18n, uri-js) for six formats.
// Here each module becomes a factory in a chunk file, chunks grouped by which kinds need them (all
// pod-bearing kinds share one chunk, every kind shares ObjectMeta's), and the one import they make of
// the runtime, `formats`, is served by lib/core/k8s-formats.ts. The code itself is unchanged.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'build', 'lib', 'core', 'k8s-validators');
const SCHEMA = path.join(ROOT, 'build', 'lib', 'core', 'k8s-schema.json');
const FORMATS = '@kubernetes-models/validate';
const PACKAGES = { k: 'kubernetes-models', a: '@kubernetes-models/apimachinery' };

const dirOf = (pkg) => path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }));

/** Module id (`k/IoK8sApiAppsV1Deployment`, `a/IoK8sApimachineryPkgApisMetaV1ObjectMeta`) of a `_schemas` file. */
function idOf(file, dirs) {
  for (const [prefix, dir] of Object.entries(dirs)) {
    const rel = path.relative(path.join(dir, '_schemas'), file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return `${prefix}/${rel.replace(/\.js$/, '')}`;
  }
  throw new Error(`build-validators: ${file} is outside the kubernetes-models schemas`);
}

/** The module id a `require(spec)` in `file` names, or FORMATS for the runtime. */
function resolveSpec(spec, file, dirs) {
  if (spec === FORMATS) return FORMATS;
  if (spec.startsWith('./')) return idOf(path.join(path.dirname(file), spec.endsWith('.js') ? spec : `${spec}.js`), dirs);
  const m = /^@kubernetes-models\/apimachinery\/_schemas\/(\w+)$/.exec(spec);
  if (m) return `a/${m[1]}`;
  throw new Error(`build-validators: ${file} requires "${spec}", which the bundle does not know; update scripts/build-validators.js`);
}

/** Reads one module: its source with each require rewritten to a module id, and those ids. */
function readModule(id, dirs) {
  const [prefix, name] = id.split('/');
  const file = path.join(dirs[prefix], '_schemas', `${name}.js`);
  const deps = [];
  const source = fs.readFileSync(file, 'utf8').replace(/require\("([^"]+)"\)/g, (_, spec) => {
    const dep = resolveSpec(spec, file, dirs);
    if (dep !== FORMATS) deps.push(dep);
    return `require(${JSON.stringify(dep)})`;
  });
  return { source, deps };
}

/** The `_schemas` module id behind kubernetes-models' class for `gvk`, or undefined when it has none. */
function rootModule(gvk, dirs) {
  let file;
  try {
    file = require.resolve(`kubernetes-models/${gvk}`, { paths: [ROOT] });
  } catch {
    return undefined; // an API version kubernetes-models does not ship (some alpha/beta ones)
  }
  const m = /require\("([^"]*_schemas\/[^"]+)"\)/.exec(fs.readFileSync(file, 'utf8'));
  if (!m) throw new Error(`build-validators: no validator in ${file}`);
  const target = path.resolve(path.dirname(file), m[1]);
  return idOf(target.endsWith('.js') ? target : `${target}.js`, dirs);
}

function build() {
  const dirs = Object.fromEntries(Object.entries(PACKAGES).map(([k, pkg]) => [k, dirOf(pkg)]));
  const { roots } = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  const modules = new Map();
  const kinds = {};
  const usedBy = new Map(); // module id -> the kinds whose validator needs it
  for (const [gvk] of roots) {
    const root = rootModule(gvk, dirs);
    if (!root) continue;
    kinds[gvk] = root;
    const stack = [root];
    const seen = new Set();
    while (stack.length) {
      const id = stack.pop();
      if (seen.has(id)) continue;
      seen.add(id);
      if (!modules.has(id)) modules.set(id, readModule(id, dirs));
      stack.push(...modules.get(id).deps);
      if (!usedBy.has(id)) usedBy.set(id, []);
      usedBy.get(id).push(gvk);
    }
  }
  // One chunk per set of kinds: a kind loads only chunks it needs, and no module is written twice.
  const chunkOf = new Map();
  const chunks = new Map();
  for (const [id, users] of usedBy) {
    const key = users.sort().join('\n');
    if (!chunks.has(key)) chunks.set(key, { name: `c${crypto.createHash('sha256').update(key).digest('hex').slice(0, 10)}`, ids: [] });
    chunks.get(key).ids.push(id);
    chunkOf.set(id, chunks.get(key).name);
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const version = require(path.join(dirs.k, 'package.json')).version;
  for (const { name, ids } of chunks.values()) {
    const body = ids.sort().map((id) => `${JSON.stringify(id)}: function (module, exports, require) {\n${modules.get(id).source}\n}`).join(',\n');
    fs.writeFileSync(path.join(OUT, `${name}.js`), `'use strict';\n// Generated by scripts/build-validators.js from kubernetes-models ${version} (MIT). Do not edit.\nmodule.exports = {\n${body}\n};\n`);
  }
  const index = { source: `kubernetes-models@${version}`, kinds, chunks: Object.fromEntries([...chunkOf].sort()) };
  fs.writeFileSync(path.join(OUT, 'index.json'), JSON.stringify(index));
  return { kinds: Object.keys(kinds).length, modules: modules.size, chunks: chunks.size };
}

if (require.main === module) {
  const r = build();
  if (process.env.DOCKYARD_BUILD_VERBOSE) console.log(`k8s validators: ${r.kinds} kinds, ${r.modules} modules in ${r.chunks} chunks`);
}

module.exports = { build, OUT };

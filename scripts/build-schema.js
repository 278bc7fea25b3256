'use strict';
// Build step (after tsc): the strict field table of every built-in Kubernetes kind, written to
// build/lib/core/k8s-schema.json, which lib/core/schema.ts loads at run time.
//
// Source: the jsii assembly of cdk8s-plus-33 (a build-time input only), generated from the
// Kubernetes 1.33 OpenAPI document: every struct with each field's JSON name, type and whether it is
// required, and every kind's OpenAPI name (`io.k8s.api.apps.v1.Deployment`), which gives its
// apiVersion and kind. Nothing of cdk8s-plus-33 is loaded at run time.
const fs = require('node:fs');
const path = require('node:path');
const { addConstraints } = require('./schema-constraints');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'build', 'lib', 'core', 'k8s-schema.json');
const PREFIX = 'cdk8s-plus-33.k8s.';
/** OpenAPI group segments whose API group is not `<segment>.k8s.io`. */
const GROUPS = {
  core: '', meta: '', apps: 'apps', batch: 'batch', autoscaling: 'autoscaling', policy: 'policy',
  rbac: 'rbac.authorization.k8s.io', flowcontrol: 'flowcontrol.apiserver.k8s.io', apiserverinternal: 'internal.apiserver.k8s.io',
};

/** `apiVersion/kind` of an OpenAPI definition name like `io.k8s.api.apps.v1.Deployment`. */
function gvkOf(schemaName) {
  const parts = schemaName.split('.');
  const kind = parts[parts.length - 1];
  const version = parts[parts.length - 2];
  const segment = parts[parts.length - 3];
  const group = segment in GROUPS ? GROUPS[segment] : `${segment}.k8s.io`;
  return `${group ? `${group}/` : ''}${version}/${kind}`;
}

/** The compact schema: [fqn, schemaName, [jsonName, type, required][]] per struct, [gvk, props fqn] per kind. */
function deriveSchema(jsiiPath) {
  const assembly = JSON.parse(fs.readFileSync(jsiiPath, 'utf8'));
  const out = { structs: [], roots: [] };
  const names = new Set();
  for (const [fqn, t] of Object.entries(assembly.types)) {
    if (!fqn.startsWith(PREFIX) || t.kind !== 'interface') continue;
    const fields = [];
    let schemaName = '';
    for (const p of t.properties ?? []) {
      const ref = p.docs?.custom?.schema;
      const json = ref && ref.includes('#') ? ref.slice(ref.indexOf('#') + 1) : p.name;
      if (ref && !schemaName) schemaName = ref.split('#')[0];
      fields.push([json, p.type, !p.optional]);
    }
    out.structs.push([fqn, schemaName, fields]);
    names.add(fqn);
  }
  for (const [fqn, t] of Object.entries(assembly.types)) {
    const schema = t.docs?.custom?.schema;
    if (!fqn.startsWith(`${PREFIX}Kube`) || t.kind !== 'class' || !schema || !names.has(`${fqn}Props`)) continue;
    out.roots.push([gvkOf(schema), `${fqn}Props`]);
  }
  return out;
}

function main() {
  const schema = deriveSchema(require.resolve('cdk8s-plus-33/.jsii'));
  // Kubernetes 1.33's stable and most beta groups (some 390 structs) have a kubernetes-models validator;
  // far fewer means its layout changed and the value rules would silently be lost.
  const probed = addConstraints(schema, ROOT);
  if (probed < 300) throw new Error(`build-schema: only ${probed} of ${schema.structs.length} types have a kubernetes-models validator to read rules from; check scripts/schema-constraints.js against the installed kubernetes-models`);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  // The struct names are the assembly's without its package prefix (`k8s.DeploymentSpec`).
  fs.writeFileSync(OUT, JSON.stringify(schema).split(`"${PREFIX}`).join('"k8s.'));
}

if (require.main === module) main();

module.exports = { deriveSchema, gvkOf, OUT };

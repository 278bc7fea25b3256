'use strict';
// Build step helper (used by build-schema.js): the value rules of every field of the field table,
// read from kubernetes-models' validators (ajv code compiled from the Kubernetes 1.33 OpenAPI
// document) by asking them, not by reading their source: for each struct, its validator is run on
// objects holding one probe value per field, and the errors it reports name the field's JSON type
// (integer or number, string, boolean), its allowed values (enum), its format (int32, byte,
// date-time, quantity) and whether the struct requires it. Dockyard's schema walk then checks these
// rules itself, in one pass, so no validator code is loaded at run time.
const path = require('node:path');

/** The validator module of an OpenAPI definition name, or undefined when kubernetes-models has none. */
function validatorOf(schemaName, root) {
  const file = schemaName.split('.').map((part) => part.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('')).join('');
  for (const pkg of ['kubernetes-models', '@kubernetes-models/apimachinery']) {
    try {
      const dir = path.dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
      // eslint-disable-next-line global-require
      return require(path.join(dir, '_schemas', `${file}.js`)).validate;
    } catch {
      // not in this package
    }
  }
  return undefined;
}

const escapeKey = (k) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** The errors `validate` reports at exactly `at` (a JSON pointer) for `data`. */
function errorsAt(validate, data, at) {
  if (validate(data)) return [];
  return (validate.errors ?? []).filter((e) => e.instancePath === at);
}

/** Rules of one value (a field, a list item or a map value) from the errors of a few probes. */
function probeValue(validate, wrap, at) {
  const rule = {};
  const objectProbe = errorsAt(validate, wrap({}), at);
  // int-or-string and quantity (oneOf a string or a number): the walk checks them by their type.
  if (objectProbe.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) return rule;
  const typeError = objectProbe.find((e) => e.keyword === 'type');
  if (typeError) rule.t = typeError.params.type;
  if (rule.t === 'string' || rule.t === undefined) {
    for (const e of errorsAt(validate, wrap('\u0001'), at)) {
      if (e.keyword === 'enum') rule.e = e.params.allowedValues;
      if (e.keyword === 'format') rule.f = e.params.format;
    }
  }
  if (rule.t === 'integer' || rule.t === 'number') {
    const e = errorsAt(validate, wrap(2 ** 31), at).find((x) => x.keyword === 'format');
    if (e) rule.f = e.params.format;
    const en = errorsAt(validate, wrap(-123456789), at).find((x) => x.keyword === 'enum');
    if (en) rule.e = en.params.allowedValues;
  }
  if (errorsAt(validate, wrap(null), at).some((e) => e.keyword === 'type')) rule.z = 1; // null is refused
  return rule;
}

const empty = (rule) => Object.keys(rule).length === 0;

/**
 * Adds the rules to the compact schema in place: each field entry [json, type, required] gets
 * `required` from the validator and a fourth element, its rules ({ t: JSON type, e: allowed values,
 * f: format, z: null refused, l: rules of list items, m: rules of map values }) or 0 when none.
 */
function addConstraints(compact, root) {
  let probed = 0;
  for (const entry of compact.structs) {
    const [, schemaName, fields] = entry;
    const validate = schemaName ? validatorOf(schemaName, root) : undefined;
    if (!validate) {
      for (const f of fields) f[3] = 0;
      continue;
    }
    probed++;
    const required = new Set(errorsAt(validate, {}, '').filter((e) => e.keyword === 'required').map((e) => e.params.missingProperty));
    for (const f of fields) {
      const [json, type] = f;
      const at = `/${escapeKey(json)}`;
      f[2] = required.has(json);
      const rule = probeValue(validate, (v) => ({ [json]: v }), at);
      if (type.collection?.kind === 'array') {
        const item = probeValue(validate, (v) => ({ [json]: [v] }), `${at}/0`);
        if (!empty(item)) rule.l = item;
      } else if (type.collection?.kind === 'map') {
        const value = probeValue(validate, (v) => ({ [json]: { k: v } }), `${at}/k`);
        if (!empty(value)) rule.m = value;
      }
      f[3] = empty(rule) ? 0 : rule;
    }
  }
  return probed;
}

module.exports = { addConstraints, validatorOf };

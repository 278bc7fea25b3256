import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem } from '../core/errors';
import { parseJsonPointer } from '../core/field-path';
import { LocNode, locateNode } from './locations';

/**
 * The Compose Specification as JSON schema (`schema/compose-spec.schema.json` in the package, kept
 * as data outside the code) compiled with ajv on first use, and its errors as located problems.
 */

type Schema = {
  properties?: Record<string, Schema>; definitions?: Record<string, Schema>; patternProperties?: Record<string, Schema>;
  $ref?: string; oneOf?: Schema[]; items?: Schema;
};

let raw: Schema | undefined;
let validator: ValidateFunction | undefined;

/** The schema file: next to `lib/` in the source tree, next to `build/` in the package. */
function schemaFile(): string {
  for (const up of ['../..', '../../..']) {
    const f = path.join(__dirname, up, 'schema', 'compose-spec.schema.json');
    if (fs.existsSync(f)) return f;
  }
  throw new Error('schema/compose-spec.schema.json is missing from the Dockyard package');
}

/** The schema as a plain object. */
export function composeSchema(): Schema {
  raw ??= JSON.parse(fs.readFileSync(schemaFile(), 'utf8')) as Schema;
  return raw;
}

/** The compiled validator; ajv loads here, on the first compose file, not on every import of the library. */
export function composeValidator(): ValidateFunction {
  if (validator) return validator;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Ajv = require('ajv').default as typeof import('ajv').default;
  validator = new Ajv({ allErrors: true, strict: false }).compile(composeSchema());
  return validator;
}

/**
 * The keys the specification allows at a place, so the mapping can tell a valid key it does not
 * convert (a warning) from one it has never heard of: `specKeys('service')`, `specKeys('healthcheck')`,
 * `specKeys('service', 'ports')` (the long port syntax), `specKeys('config')`, `specKeys('')` (top level).
 */
export function specKeys(definition: string, ...property: string[]): string[] {
  const s = composeSchema();
  let node: Schema | undefined = definition === '' ? s : s.definitions?.[definition];
  for (const p of property) node = deref(objectOf(deref(node))?.properties?.[p]);
  const obj = objectOf(deref(node));
  return Object.keys(obj?.properties ?? {});
}

function deref(s: Schema | undefined): Schema | undefined {
  if (s?.$ref) return composeSchema().definitions?.[s.$ref.replace('#/definitions/', '')];
  return s;
}

/** The object alternative of a schema (`oneOf: [string, {object}]`, or the items of an array of them). */
function objectOf(s: Schema | undefined): Schema | undefined {
  if (!s) return undefined;
  if (s.properties) return s;
  for (const alt of [...(s.oneOf ?? []), ...(s.items ? [s.items] : [])]) {
    const o = objectOf(deref(alt));
    if (o) return o;
  }
  return undefined;
}

/** Turns ajv errors into one problem per place, with the key and a fix. */
export function schemaProblems(errors: readonly ErrorObject[], locations: LocNode, file: string): Problem[] {
  // Keyed by the JSON Pointer (a key holding "/" stays one key: it is written "~1" there).
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const extra = e.keyword === 'additionalProperties' ? `/${String((e.params as { additionalProperty: string }).additionalProperty).replace(/~/g, '~0').replace(/\//g, '~1')}` : '';
    const k = `${e.instancePath}${extra}`;
    byPath.set(k, [...(byPath.get(k) ?? []), e]);
  }
  // A oneOf failure also reports each alternative; keep the deepest paths, which name the real mistake.
  // Sorted, the paths starting with `p` follow it directly, so only those are looked at.
  const sorted = [...byPath.keys()].sort();
  const paths = sorted.filter((p, i) => {
    const prefix = `${p}/`;
    for (let j = i + 1; j < sorted.length && sorted[j].startsWith(p); j++) {
      if (sorted[j].startsWith(prefix) && !byPath.get(sorted[j])!.every((e) => e.keyword === 'additionalProperties')) return false;
    }
    return true;
  });
  const out: Problem[] = [];
  for (const p of paths) {
    const errs = byPath.get(p)!;
    const parts = parseJsonPointer(p);
    const where = locateNode(locations, parts, `${file}:1:1`);
    const name = p === '' ? 'the file' : `"${parts.join('.')}"`;
    const unknown = errs.find((e) => e.keyword === 'additionalProperties');
    if (unknown) {
      const key = (unknown.params as { additionalProperty: string }).additionalProperty;
      out.push({ where, message: `unknown key ${name}: the compose specification has no "${key}" here`, fix: `remove "${key}" or correct its spelling (see the compose specification for the keys allowed here)` });
      continue;
    }
    const types = [...new Set(errs.filter((e) => e.keyword === 'type').map((e) => String((e.params as { type: string }).type)))];
    if (types.length) {
      out.push({ where, message: `${name} has the wrong type: it must be ${types.join(' or ')}`, fix: `write ${name} as ${types.join(' or ')}` });
      continue;
    }
    const e = errs.find((x) => x.keyword !== 'oneOf' && x.keyword !== 'anyOf') ?? errs[0];
    const allowed = e.keyword === 'enum' ? ` (allowed: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    out.push({ where, message: `${name} ${e.message}${allowed}`, fix: `correct ${name} to what the compose specification allows` });
  }
  return out;
}

import * as fs from 'node:fs';
import { apiRuleProblems } from './api-rules';
import { compileStructural, customResourceCheck, unknownCustomResource } from './crd-schema';
import { formats, QUANTITY as QUANTITY_TEXT } from './k8s-formats';
import { describeObject, KubeObject } from './manifests';
import type { FieldProblem, Problem } from './errors';
import { formatFieldPath as fmtPath } from './field-path';
import { closestMatch, DNS_LABEL, DNS_SUBDOMAIN, isValidLabelValue, labelKeyProblem } from './naming';
import { SCHEMA_FILE, schemaFile } from './schema-table';

/**
 * Strict validation of Kubernetes objects against the official API schema, offline.
 *
 * One walk over each object checks it against a table written at build time (scripts/build-schema.js)
 * from the Kubernetes 1.33 OpenAPI types: every field of every type with its JSON name, so unknown
 * fields fail (a `condigMap` typo, with a did-you-mean), and the schema's rules of each value (type,
 * integer or number, allowed values, format, required), which the build reads from kubernetes-models'
 * compiled validators by running them on probe values (scripts/schema-constraints.js). Nothing of
 * kubernetes-models or ajv is loaded to check a built-in kind.
 * Custom resources are checked against a `KnownSchema` the caller passes (a controller's kinds, as
 * values: no import registers one), or the openAPIV3Schema of a CRD in the same set.
 */

/**
 * One schema violation in one object: `where` is the object (`Kind/namespace/name`), `fieldPath`
 * the field (`spec.template.spec.containers[0].ports[0].containerPort`); a warning (a custom resource
 * whose CRD is not known) does not fail validation.
 */
export type SchemaIssue = Problem & FieldProblem;

/** The schema of a custom kind, known without its CRD in the set (Metacontroller's CompositeController). */
export interface KnownSchema {
  /** The `group/version` it applies to. */
  readonly apiVersion: string;
  /** The kind it applies to. */
  readonly kind: string;
  /** The problems of one object of that kind, each at its field (e.g. a `compileOpenApi` validator). */
  readonly validate: (obj: unknown) => FieldProblem[];
}

type JsiiType =
  | { primitive: string }
  | { fqn: string }
  | { collection: { kind: 'array' | 'map'; elementtype: JsiiType } }
  | { union: { types: JsiiType[] } };

/**
 * A jsii type prepared for the walk: a numeric tag, so each value costs one switch instead of `in`
 * checks, and collections hold their prepared element type.
 */
const enum Tag { Primitive, List, Map, Union, IntOrString, Quantity, Ref }
type TypeNode = (
  | { readonly tag: Tag.Primitive; readonly primitive: string }
  | { readonly tag: Tag.List | Tag.Map; readonly element: TypeNode }
  | { readonly tag: Tag.Union | Tag.IntOrString | Tag.Quantity }
  | { readonly tag: Tag.Ref; readonly fqn: string }
) & { readonly rule?: ValueRule };

/**
 * What the Kubernetes OpenAPI schema says of one value beyond its jsii type, as scripts/build-schema.js
 * read it from the kubernetes-models validators: JSON type (integer vs number), allowed values,
 * format, null refused; for lists and maps, the rule of their items (`l`) or values (`m`).
 */
interface ValueRule {
  readonly t?: string;
  readonly e?: readonly (string | number)[];
  readonly f?: string;
  readonly z?: 1;
  readonly l?: ValueRule;
  readonly m?: ValueRule;
}

interface StructSpec {
  readonly fields: Map<string, TypeNode>;
  /** The fields the schema requires. */
  readonly required: readonly string[];
  readonly schemaName: string;
  /** JSONSchemaProps (a CRD's schema) takes any field; its known fields are still checked. */
  readonly openFields: boolean;
}

const PREFIX = 'k8s.';
/** The compact schema's struct entries by fqn; each is prepared into `structs` when first walked. */
let compactByFqn: Map<string, CompactSchema['structs'][number]> | undefined;
const structs = new Map<string, StructSpec | undefined>();
let rootByGvk: Map<string, string> | undefined;

/** The field table written at build time by scripts/build-schema.js (from the Kubernetes 1.33 OpenAPI types). */
interface CompactSchema {
  /** [fqn, schemaName, [jsonName, type, required, rule or 0][]] per struct. */
  readonly structs: Array<[string, string, Array<[string, JsiiType, boolean, ValueRule | 0]>]>;
  /** [`apiVersion/kind`, fqn of its props struct] per built-in kind. */
  readonly roots: Array<[string, string]>;
}

function load(): void {
  if (compactByFqn) return;
  let compact: CompactSchema;
  try {
    compact = JSON.parse(fs.readFileSync(schemaFile(), 'utf8')) as CompactSchema;
  } catch (e) {
    throw new Error(`Dockyard's Kubernetes schema table is missing (${(e as Error).message}); run \`npm run build\` (it writes build/lib/core/${SCHEMA_FILE})`);
  }
  compactByFqn = new Map(compact.structs.map((entry) => [entry[0], entry]));
  rootByGvk = new Map(compact.roots);
}

const INT_OR_STRING = `${PREFIX}IntOrString`;
const QUANTITY = `${PREFIX}Quantity`;

function prepareType(type: JsiiType, rule: ValueRule | undefined): TypeNode {
  const r = rule ? { rule } : {};
  if ('primitive' in type) return { tag: Tag.Primitive, primitive: type.primitive, ...r };
  if ('collection' in type) {
    const element = prepareType(type.collection.elementtype, type.collection.kind === 'array' ? rule?.l : rule?.m);
    return { tag: type.collection.kind === 'array' ? Tag.List : Tag.Map, element, ...r };
  }
  if ('union' in type) return { tag: Tag.Union };
  if (type.fqn === INT_OR_STRING) return { tag: Tag.IntOrString, ...r };
  if (type.fqn === QUANTITY) return { tag: Tag.Quantity, ...r };
  return { tag: Tag.Ref, fqn: type.fqn, ...r };
}

/**
 * The struct named `fqn`, prepared on first use: a synth walks some 60 of the 547 structs, so
 * preparing all of them up front cost more than the walk itself. Undefined for enums and classes.
 */
function structFor(fqn: string): StructSpec | undefined {
  let struct = structs.get(fqn);
  if (struct || structs.has(fqn)) return struct;
  const entry = compactByFqn!.get(fqn);
  if (entry) {
    const [, schemaName, fields] = entry;
    struct = {
      schemaName,
      openFields: schemaName.endsWith('JSONSchemaProps'),
      fields: new Map(fields.map(([json, type, , rule]) => [json, prepareType(type, rule || undefined)])),
      required: fields.filter((f) => f[2]).map((f) => f[0]),
    };
  }
  structs.set(fqn, struct);
  return struct;
}

/** ` (did you mean "Deployment"?)` for a kind close to one the apiVersion serves, else ''. */
function kindHint(apiVersion: string, kind: string): string {
  const kinds = [...rootByGvk!.keys()].filter((k) => k.startsWith(`${apiVersion}/`) && !k.slice(apiVersion.length + 1).includes('/')).map((k) => k.slice(apiVersion.length + 1));
  const hint = closestMatch(kind, kinds);
  return hint ? ` (did you mean "${hint}"?)` : '';
}

let builtinGroups: Set<string> | undefined;
/** True for API groups Kubernetes itself serves (apps, batch, networking.k8s.io, ...). */
function isBuiltinGroup(group: string): boolean {
  builtinGroups ??= new Set([...rootByGvk!.keys()].map((k) => (k.split('/').length > 2 ? k.split('/')[0] : '')));
  return builtinGroups.has(group);
}

/** True when the built-in schema knows this apiVersion and kind. */
export function isBuiltinKind(apiVersion: string, kind: string): boolean {
  load();
  return rootByGvk!.has(`${apiVersion}/${kind}`);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/** Where a walk puts what it finds: structural problems, and the schema rules' (kept where no structural one is). */
interface Found {
  readonly out: FieldProblem[];
  readonly rules: FieldProblem[];
}

const typeWord = (t: string): string => (t === 'integer' ? 'an integer' : t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`);

/** The schema rule of one value (enum, integer, format, null), checked after its structural type. */
function checkRule(value: unknown, rule: ValueRule, at: (string | number)[], found: Found): void {
  if (value === null) {
    if (rule.z) found.rules.push({ fieldPath: at.slice(), message: `must be ${rule.t ? typeWord(rule.t) : 'set'}` });
    return;
  }
  const t = rule.t;
  const wrongType = (t === 'string' || t === 'boolean') ? typeof value !== t : (t === 'integer' || t === 'number') ? typeof value !== 'number' : false;
  if (wrongType) {
    found.rules.push({ fieldPath: at.slice(), message: `must be ${typeWord(t!)}` });
    return;
  }
  if (t === 'integer' && !Number.isInteger(value)) {
    found.rules.push({ fieldPath: at.slice(), message: 'must be an integer' });
    return;
  }
  if (rule.e && !rule.e.includes(value as string)) {
    found.rules.push({ fieldPath: at.slice(), message: `must be one of ${rule.e.map((v) => JSON.stringify(v)).join(', ')}` });
    return;
  }
  if (rule.f) {
    const format = formats[rule.f];
    const ok = !format || typeof value !== format.type || (format.validate instanceof RegExp ? format.validate.test(value as string) : format.validate(value));
    if (!ok) found.rules.push({ fieldPath: at.slice(), message: `must be a valid ${rule.f}` });
  }
}

/**
 * Walks `value` against a jsii type and its schema rules, reporting unknown fields, type mismatches,
 * missing required fields, values outside an enum and bad formats. `at` is the path so far, one
 * shared stack pushed and popped on the way (copied only into a problem).
 */
function walk(value: unknown, type: TypeNode, at: (string | number)[], found: Found): void {
  if (value === undefined) return;
  if (value === null) {
    if (type.rule) checkRule(value, type.rule, at, found);
    return;
  }
  const out = found.out;
  switch (type.tag) {
    case Tag.Primitive: {
      const p = type.primitive;
      const ok = p === 'any' || p === 'json' ? true
        : p === 'string' || p === 'date' ? typeof value === 'string'
          : p === 'number' ? typeof value === 'number'
            : p === 'boolean' ? typeof value === 'boolean' : true;
      if (!ok) out.push({ fieldPath: at.slice(), message: `must be a ${p === 'date' ? 'string' : p}, got ${typeName(value)}` });
      else if (type.rule) checkRule(value, type.rule, at, found);
      return;
    }
    case Tag.List:
      if (!Array.isArray(value)) { out.push({ fieldPath: at.slice(), message: `must be a list, got ${typeName(value)}` }); return; }
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) continue; // a hole, skipped as forEach would
        at.push(i);
        walk(value[i], type.element, at, found);
        at.pop();
      }
      return;
    case Tag.Map:
      if (typeof value !== 'object' || Array.isArray(value)) { out.push({ fieldPath: at.slice(), message: `must be a mapping, got ${typeName(value)}` }); return; }
      for (const k of Object.keys(value as object)) {
        at.push(k);
        walk((value as Record<string, unknown>)[k], type.element, at, found);
        at.pop();
      }
      return;
    case Tag.Union: return; // only JSONSchemaProps uses unions (any JSON)
    case Tag.IntOrString:
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) out.push({ fieldPath: at.slice(), message: `must be an integer or a string, got ${typeName(value)}` });
      return;
    case Tag.Quantity:
      if (typeof value !== 'string' && typeof value !== 'number') out.push({ fieldPath: at.slice(), message: `must be a quantity (like "500m" or "128Mi"), got ${typeName(value)}` });
      else if (typeof value === 'string' && !QUANTITY_TEXT.test(value)) found.rules.push({ fieldPath: at.slice(), message: 'must be a quantity like "500m", "2" or "128Mi"' });
      return;
    case Tag.Ref: {
      const struct = structFor(type.fqn);
      if (!struct) { // enums and the few classes left are plain strings: their rule says which
        if (type.rule) checkRule(value, type.rule, at, found);
        return;
      }
      if (typeof value !== 'object' || Array.isArray(value)) { out.push({ fieldPath: at.slice(), message: `must be a mapping, got ${typeName(value)}` }); return; }
      walkFields(value as Record<string, unknown>, struct, at, found, false);
    }
  }
}

/** The fields of a struct value; at the root (`top`), apiVersion, kind and status are not the props struct's. */
function walkFields(value: Record<string, unknown>, struct: StructSpec, at: (string | number)[], found: Found, top: boolean): void {
  for (const r of struct.required) if (value[r] === undefined) found.rules.push({ fieldPath: at.slice(), message: `missing required field "${r}"` });
  for (const k of Object.keys(value)) {
    // status is written by the cluster (and dropped on apply), so it is not checked.
    if (top && (k === 'apiVersion' || k === 'kind' || k === 'status')) continue;
    const field = struct.fields.get(k);
    if (!field) {
      if (struct.openFields) continue;
      const hint = closestMatch(k, struct.fields.keys());
      found.out.push({ fieldPath: [...at, k], message: `unknown field "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}; ${struct.schemaName.split('.').pop()} has: ${[...struct.fields.keys()].sort().join(', ')}` });
      continue;
    }
    at.push(k);
    walk(value[k], field, at, found);
    at.pop();
  }
}

/** The schema rules' problems after the structural ones, one per field, none where a structural one is. */
function addRuleProblems(rules: readonly FieldProblem[], out: FieldProblem[]): void {
  if (rules.length === 0) return;
  const taken = new Set(out.map((i) => fmtPath(i.fieldPath)));
  for (const r of rules) {
    const key = fmtPath(r.fieldPath);
    if (taken.has(key)) continue;
    taken.add(key);
    out.push(r);
  }
}

/**
 * Validates one object strictly; returns every issue found (empty when valid).
 * `crds` are CustomResourceDefinitions from the same set, used for custom kinds; `schemas` come first.
 */
export function validateObject(obj: KubeObject, crds: readonly KubeObject[] = [], schemas: readonly KnownSchema[] = []): SchemaIssue[] {
  const issues = fieldProblems(obj, crds, schemas);
  if (issues.length === 0) return issues as SchemaIssue[];
  const where = obj && typeof obj === 'object' ? describeObject(obj) : '(not an object)';
  return issues.map((i) => ({ where, ...i }));
}

/** The issues of one object, each at its field. */
function fieldProblems(obj: KubeObject, crds: readonly KubeObject[], schemas: readonly KnownSchema[]): FieldProblem[] {
  load();
  const out: FieldProblem[] = [];
  if (!obj || typeof obj !== 'object') return [{ fieldPath: [], message: 'is not an object' }];
  const { apiVersion, kind } = obj;
  const gvk = `${apiVersion}/${kind}`;
  const root = rootByGvk!.get(gvk);
  if (!obj.metadata || typeof obj.metadata.name !== 'string' || obj.metadata.name === '') {
    if (!(obj.metadata && typeof obj.metadata.generateName === 'string')) out.push({ fieldPath: ['metadata', 'name'], message: 'missing required field "name"' });
  }
  metadataSyntax(obj, out);
  if (root) {
    const struct = structFor(root);
    if (struct) {
      const found: Found = { out, rules: [] };
      walkFields(obj as unknown as Record<string, unknown>, struct, [], found, true);
      addRuleProblems(found.rules, out);
    }
    if (kind === 'CustomResourceDefinition') out.push(...crdSchemaProblems(obj));
    // Beyond the schema; the rule's fix stays in the message, as `validate` and synth show it.
    for (const p of apiRuleProblems(obj)) out.push({ fieldPath: p.fieldPath, message: `${p.message}; ${p.fix}` });
    return dedupe(out);
  }
  const custom = schemas.find((s) => s.apiVersion === apiVersion && s.kind === kind)?.validate ?? customResourceCheck(apiVersion, kind, crds);
  if (custom) return dedupe([...out, ...custom(obj)]);
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const sameKind = [...rootByGvk!.keys()].filter((k) => k.endsWith(`/${kind}`)).map((k) => k.slice(0, -kind.length - 1));
  // A kind of a custom group synthesizes unchecked (with a warning); in a Kubernetes group it is a typo.
  if (!sameKind.length && group && !isBuiltinGroup(group)) return [...out, unknownCustomResource(apiVersion, kind)];
  out.push({
    fieldPath: ['kind'],
    message: sameKind.length
      ? `"${kind}" is not served by apiVersion "${apiVersion}"; Kubernetes serves it as ${sameKind.map((v) => `"${v}"`).join(' or ')}`
      : `unknown kind "${kind}" in apiVersion "${apiVersion}"${kindHint(apiVersion, kind)}`,
  });
  return out;
}

/** Kinds whose names must be DNS-1123 labels (most others take subdomains). */
const LABEL_NAMED = new Set(['Service', 'Namespace']);

/** The API server's syntax rules for names, namespaces, label keys/values and annotation keys. */
function metadataSyntax(obj: KubeObject, out: FieldProblem[]): void {
  const m = obj.metadata;
  if (!m || typeof m !== 'object') return;
  if (typeof m.name === 'string' && m.name !== '') {
    const label = LABEL_NAMED.has(obj.kind);
    const ok = label ? m.name.length <= 63 && DNS_LABEL.test(m.name) : m.name.length <= 253 && DNS_SUBDOMAIN.test(m.name);
    if (!ok) out.push({ fieldPath: ['metadata', 'name'], message: `"${m.name}" is not a valid ${obj.kind} name: use ${label ? 'at most 63' : 'at most 253'} lowercase letters, digits${label ? ' and "-"' : ', "-" and "."'}, starting and ending with a letter or digit` });
  }
  if (typeof m.namespace === 'string' && !(m.namespace.length <= 63 && DNS_LABEL.test(m.namespace))) {
    out.push({ fieldPath: ['metadata', 'namespace'], message: `"${m.namespace}" is not a valid namespace: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit` });
  }
  mapSyntax(m.labels, 'labels', true, out);
  mapSyntax(m.annotations, 'annotations', false, out);
}

/** The keys (and, for labels, the values) of metadata.labels or metadata.annotations. */
function mapSyntax(map: unknown, field: 'labels' | 'annotations', checkValue: boolean, out: FieldProblem[]): void {
  if (!map || typeof map !== 'object' || Array.isArray(map)) return;
  for (const k of Object.keys(map)) {
    const v = (map as Record<string, unknown>)[k];
    const bad = labelKeyProblem(k);
    if (bad) out.push({ fieldPath: ['metadata', field, k], message: `key "${k}" ${bad}` });
    if (checkValue && typeof v === 'string' && !isValidLabelValue(v)) out.push({ fieldPath: ['metadata', field, k], message: `value "${v}" must be empty or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit` });
  }
}

/** A CRD whose openAPIV3Schema ajv cannot compile (a bad `minimum`, an invalid `pattern`). */
function crdSchemaProblems(crd: KubeObject): FieldProblem[] {
  const versions = (crd.spec as any)?.versions;
  if (!Array.isArray(versions)) return [];
  const out: FieldProblem[] = [];
  versions.forEach((v: any, i: number) => {
    const schema = v?.schema?.openAPIV3Schema;
    if (!schema || typeof schema !== 'object') return;
    try {
      compileStructural(schema);
    } catch (e) {
      out.push({ fieldPath: ['spec', 'versions', i, 'schema', 'openAPIV3Schema'], message: `is not a valid schema: ${String((e as Error).message).split('\n')[0]}` });
    }
  });
  return out;
}

function dedupe(list: FieldProblem[]): FieldProblem[] {
  if (list.length < 2) return list; // the usual case: nothing to compare
  const seen = new Set<string>();
  return list.filter((i) => { const k = `${fmtPath(i.fieldPath)}\0${i.message}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

/**
 * A validator of a custom kind's openAPIV3Schema, compiled on first use (known schemas are made when
 * their module loads, which must not cost every process that loads the library an ajv compile): the
 * same structural-schema check as a CRD's (`compileStructural`), problems included.
 */
export function compileOpenApi(schema: unknown): (obj: unknown) => FieldProblem[] {
  let check: ((obj: unknown) => FieldProblem[]) | undefined;
  return (obj: unknown) => {
    if (!check) {
      try {
        check = compileStructural(schema);
      } catch (e) {
        const why = String((e as Error).message).split('\n')[0];
        check = () => [{ fieldPath: [], message: `cannot be checked: its CustomResourceDefinition schema is invalid (${why})` }];
      }
    }
    return check(obj);
  };
}

/** A schema problem located in an object of a set. */
export type ObjectIssue = SchemaIssue & {
  /** Index of the object in the validated list. */
  readonly index: number;
  /** `Kind/name` of the object (also its `where`). */
  readonly object: string;
};

/** Validates a set of objects (CRDs in the set, and `extraCrds`, cover custom kinds in it). */
export function validateObjects(objects: readonly KubeObject[], extraCrds: readonly KubeObject[] = [], schemas: readonly KnownSchema[] = []): ObjectIssue[] {
  const crds = [...objects.filter((o) => o && o.kind === 'CustomResourceDefinition'), ...extraCrds];
  const out: ObjectIssue[] = [];
  objects.forEach((o, index) => {
    for (const issue of validateObject(o, crds, schemas)) out.push({ ...issue, index, object: describeObject(o) });
  });
  return out;
}

import { createHash } from 'node:crypto';
import { ApiObject, ApiObjectMetadataDefinition, App, Chart, DependencyGraph, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver, resolve } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeObject } from './manifests';

/**
 * A leaner path to what `chart.toJson()` returns, with byte-identical results.
 *
 * Why: `chart.toJson()` (cdk8s `App._synthChart`) re-runs app-wide dependency resolution and every
 * construct validation for each chart, and `ApiObject.toJson()` resolves each value through a generic
 * resolver chain that looks the App up again for every node and builds a context object per value.
 * Here the dependency resolution runs once per app (construct validation already ran in
 * `constructProblems`), and each object is serialized by a port of `ApiObject.toJson` that applies the
 * three default resolvers (Lazy, implicit `resolve()`, number/string unions) and the key sorting of
 * `sanitizeValue` in one pass, then the same generated `toJson_*` mapper of the cdk8s-plus-33 L1 class.
 *
 * It is used only when it provably does what cdk8s does: the cdk8s functions it ports have the
 * source text it was written against (checked by hash), the app has the default resolvers, and the
 * object's class is `ApiObject` itself or a generated cdk8s-plus-33 L1 class. Anything else (custom
 * resolvers, subclasses with their own `toJson`, JSON patches that fail) goes through cdk8s' own code.
 */

/** sha256 of the whitespace-free source of the cdk8s functions ported below (cdk8s 2.70.x). */
const PORTED_SOURCE_HASH = '8af8a86667890811869da2a618e5f25cf8c765d5328077798522360f488368f4';

type Mapper = (props: unknown) => Record<string, unknown>;
interface L1Info { readonly gvk: Record<string, string>; readonly mapper: Mapper }

let portedOk: boolean | undefined;
/** Each class seen so far, with its L1 info or undefined when it is not a generated L1 class. */
const l1Classes = new Map<Function, L1Info | undefined>();

/** The source text the port depends on, whitespace removed. */
export function portedSource(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { sanitizeValue } = require('cdk8s/lib/_util');
  const parts = [
    ApiObject.prototype.toJson, ApiObjectMetadataDefinition.prototype.toJson, resolve, sanitizeValue,
    LazyResolver.prototype.resolve, ImplicitTokenResolver.prototype.resolve, NumberStringUnionResolver.prototype.resolve,
  ];
  return parts.map((f) => String(f).replace(/\s+/g, '')).join('\n');
}

/** True when the installed cdk8s still has the code this port copies. */
export function portMatchesCdk8s(): boolean {
  if (portedOk === undefined) {
    try {
      portedOk = createHash('sha256').update(portedSource()).digest('hex') === PORTED_SOURCE_HASH;
    } catch {
      portedOk = false;
    }
  }
  return portedOk;
}

// The generated mappers drop undefined values with `Object.entries(x).reduce((r, i) => ... ({ ...r,
// [i[0]]: v }), {})`, which copies the partial object once per key (quadratic in the number of
// fields, and most of the L1 serialization time). The rewrite below swaps only that idiom for a loop.
const REDUCE_IDIOM = /Object\.entries\(([\w.]+)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (.+?) \}\), \{\}\)/g;

/** `Object.entries(o).reduce(...)` of the idiom: entries with an undefined value dropped, `f` applied to the rest. */
function definedEntries(o: object, f: (i: [string, unknown]) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (v === undefined) continue;
    const value = f([k, v]);
    // A computed key in an object literal defines "__proto__" as an own property; assignment would not.
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}

/** `definedEntries(o, (i) => i[1])` without the closure and the pair per key (maps like labels take this form). */
function definedValues(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const value = (o as Record<string, unknown>)[k];
    if (value === undefined) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}

let fastMappers: Record<string, Mapper> | undefined;

// Every generated mapper has this exact shape: an object literal with one `'key': expression,` line per
// field, then the idiom above over `result` (drop the undefined fields).
const MAPPER_SHAPE = new RegExp([
  String.raw`^function (\w+)\(obj\) \{\n    if \(obj === undefined\) \{\n        return undefined;\n    \}\n`,
  String.raw`    const result = \{\n((?:        '[^'\n]+': [^\n]+,\n)*)    \};\n`,
  String.raw`    // filter undefined values\n`,
  String.raw`    return Object\.entries\(result\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}\), \{\}\);\n\}$`,
].join(''));
const FIELD_LINE = /^        '([^'\n]+)': ([^\n]+),$/;

/**
 * A mapper of that shape rewritten to evaluate the fields in the same order and assign only the
 * defined ones (no 30-field literal copied key by key); undefined when `src` does not have the shape.
 */
function directMapper(src: string): string | undefined {
  const m = MAPPER_SHAPE.exec(src);
  if (!m) return undefined;
  const lines = [`function ${m[1]}(obj) {`, '    if (obj === undefined) {', '        return undefined;', '    }', '    const result = {};', '    let v;'];
  for (const line of m[2].split('\n')) {
    if (line === '') continue;
    const f = FIELD_LINE.exec(line);
    // "__proto__" would set the prototype by assignment (the idiom defines an own property).
    if (!f || f[1] === '__proto__') return undefined;
    lines.push(`    v = ${f[2]};`, `    if (v !== undefined) result['${f[1]}'] = v;`);
  }
  lines.push('    return result;', '}');
  return lines.join('\n');
}

/** A mapper's source with the rewrites, or undefined when it does not have the expected form. */
function rewrittenSource(name: string, original: string, table: object): string | undefined {
  const direct = directMapper(original) ?? original;
  const src = direct.replace(REDUCE_IDIOM, (_m, e: string, v: string) => (v === 'i[1]' ? `__definedValues(${e})` : `__definedEntries(${e}, (i) => ${v})`));
  if (!src.startsWith(`function ${name}(obj) {`) || src.includes('.reduce(')) return undefined;
  // Calls to other mappers go through the table, so each is compiled when first called.
  let unknown = false;
  const body = src.slice(`function ${name}`.length).replace(/\btoJson_\w+(?=\()/g, (callee) => {
    if (!(callee in table)) unknown = true;
    return `__m.${callee}`;
  });
  return unknown ? undefined : `function ${name}${body}`;
}

/**
 * The cdk8s-plus-33 `toJson_*` mappers with the idiom rewritten. Each is compiled on first use (an app
 * needs a few dozen of the 500+, and compiling them all costs more than rendering 1,000 apps); one
 * whose source does not have the expected form is the original (which calls the originals).
 */
export function rewrittenMappers(k8s: Record<string, any> = require('cdk8s-plus-33/lib/imports/k8s')): Record<string, Mapper> {
  const table: Record<string, Mapper> = {};
  for (const name of Object.keys(k8s)) {
    if (!name.startsWith('toJson_') || typeof k8s[name] !== 'function') continue;
    // A stub that compiles the mapper once and puts it in its place (a plain assignment: redefining
    // a property instead costs more than the compilation). Callers that kept the stub still work.
    let mapper: Mapper | undefined;
    table[name] = (obj: unknown) => {
      if (!mapper) {
        mapper = compileMapper(name, k8s[name], table);
        table[name] = mapper;
      }
      return mapper(obj);
    };
  }
  return table;
}

function compileMapper(name: string, original: Mapper, table: Record<string, Mapper>): Mapper {
  const src = rewrittenSource(name, String(original), table);
  if (src === undefined) return original;
  try {
    // eslint-disable-next-line no-new-func
    return new Function('__m', '__definedEntries', '__definedValues', `"use strict";\nreturn ${src};`)(table, definedEntries, definedValues);
  } catch {
    return original;
  }
}

/**
 * The L1 info of a class when it is a generated cdk8s-plus-33 L1 class (exported under its name) whose
 * `toJson` is `{ ...GVK, ...toJson_<Name>Props(super.toJson()) }`; undefined otherwise.
 */
function l1Info(cls: Function): L1Info | undefined {
  if (l1Classes.has(cls)) return l1Classes.get(cls);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const k8s = require('cdk8s-plus-33/lib/imports/k8s') as Record<string, any>;
  const name = cls.name;
  let info: L1Info | undefined;
  if (k8s[name] === cls && (cls as any).GVK && Object.getPrototypeOf(cls) === ApiObject) {
    const mapperName = `toJson_${name}Props`;
    const mapper = k8s[mapperName];
    const expected = `toJson(){constresolved=super.toJson();return{...${name}.GVK,...toJson_${name}Props(resolved),};}`;
    if (typeof mapper === 'function' && String(cls.prototype.toJson).replace(/\s+/g, '') === expected) {
      fastMappers ??= rewrittenMappers(k8s);
      const fast = fastMappers;
      // Looked up per call: the table entry is a stub until the mapper is first used.
      info = { gvk: (cls as any).GVK, mapper: mapperName in fast ? (props) => fast[mapperName](props) : mapper };
    }
  }
  l1Classes.set(cls, info);
  return info;
}

function hasDefaultResolvers(root: IConstruct): boolean {
  const resolvers = (root as App).resolvers;
  return Array.isArray(resolvers) && resolvers.length === 3
    && resolvers[0]?.constructor === LazyResolver
    && resolvers[1]?.constructor === ImplicitTokenResolver
    && resolvers[2]?.constructor === NumberStringUnionResolver;
}

/** Thrown when a value needs cdk8s' own code (which then throws its own error or handles it). */
class NeedsCdk8s extends Error {}
const NEEDS_CDK8S = new NeedsCdk8s('needs cdk8s');

// Read once: the compiled `instanceof Lazy` would otherwise go through cdk8s' export getter per value.
const LAZY = Lazy;
const METADATA = ApiObjectMetadataDefinition;

/**
 * cdk8s `resolve()` with the default resolvers, then `sanitizeValue()`, in one pass: Lazy values are
 * produced, objects with a `resolve()` are resolved, number/string union classes become `{ value }`,
 * nulls are dropped from mappings, mapping keys are sorted when `sortKeys`, and with `filterEmpty`
 * empty lists and mappings are dropped too (as for metadata).
 */
function resolveAndSanitize(value: any, sortKeys: boolean, filterEmpty: boolean): any {
  if (value == null) return undefined;
  const type = typeof value;
  // Primitives pass every resolver unchanged (none of them has a `resolve` or `value` property).
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  for (;;) {
    if (value instanceof LAZY) value = value.produce();
    else if (typeof value.resolve === 'function') value = value.resolve();
    else if (value.constructor !== Object && (typeof value.value === 'number' || typeof value.value === 'string')) value = { value: value.value };
    else break;
    if (value == null) return undefined;
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (filterEmpty && value.length === 0) return undefined;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = resolveAndSanitize(value[i], sortKeys, filterEmpty);
    return out;
  }
  if (value.constructor !== Object) throw NEEDS_CDK8S; // cdk8s refuses (or mishandles) class instances
  return sanitizeFields(value, Object.keys(value), sortKeys, filterEmpty);
}

/** The mapping part of resolveAndSanitize: `keys` of `source` (a plain object), resolved in that order. */
function sanitizeFields(source: any, keys: string[], sortKeys: boolean, filterEmpty: boolean): Record<string, unknown> | undefined {
  // Resolve in insertion order (the order cdk8s calls Lazy producers in), then write the keys sorted.
  // Only keys with a value are kept, compacted to the front of `keys` (a typed spec has many undefined
  // fields): sorting those and writing them is what sorting all and dropping the empty ones gives.
  const values: unknown[] = [];
  let kept = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === '__proto__') throw NEEDS_CDK8S;
    const v = source[k];
    const r = v == null ? undefined : resolveAndSanitize(v, sortKeys, filterEmpty);
    if (r != null) { keys[kept++] = k; values.push(r); }
  }
  if (filterEmpty && kept === 0) return undefined;
  if (sortKeys) sortPairs(keys, values, kept);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < kept; i++) out[keys[i]] = values[i];
  return out;
}

/**
 * Sorts the first `n` keys as `keys.sort()` does (UTF-16 code unit order; the keys of one object are
 * distinct) and moves `values` along. Objects here have a few keys, often already sorted: an insertion sort does
 * that without a comparator call per step; long key lists take the native sort.
 */
function sortPairs(keys: string[], values: unknown[], n: number): void {
  if (n > 32) {
    keys.length = n;
    const byKey = new Map<string, unknown>();
    for (let i = 0; i < n; i++) byKey.set(keys[i], values[i]);
    keys.sort();
    for (let i = 0; i < n; i++) values[i] = byKey.get(keys[i]);
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i];
    if (keys[i - 1] < k) continue;
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) { keys[j + 1] = keys[j]; values[j + 1] = values[j]; j--; }
    keys[j + 1] = k;
    values[j + 1] = v;
  }
}

const METADATA_FIELDS = ['name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels'];

/** `ApiObjectMetadataDefinition.prototype.toJson` (cdk8s 2.70). */
function metadataJson(m: ApiObjectMetadataDefinition): unknown {
  if (m.constructor !== METADATA) return m.toJson();
  const f = m as any;
  const attrs = f._additionalAttributes;
  const keys = attrs == null ? [] : Object.keys(attrs);
  if (keys.every((k) => METADATA_FIELDS.includes(k))) {
    // Then `data` below has just the six fields, the attributes' ones first, each with the value of
    // `f`: resolved in that order without copying the attributes (a slow dictionary-mode object).
    for (const k of METADATA_FIELDS) if (!keys.includes(k)) keys.push(k);
    return sanitizeFields(f, keys, true, true);
  }
  const data = {
    ...f._additionalAttributes,
    name: f.name,
    namespace: f.namespace,
    annotations: f.annotations,
    finalizers: f.finalizers,
    ownerReferences: f.ownerReferences,
    labels: f.labels,
  };
  return resolveAndSanitize(data, true, true);
}

/** `ApiObject.prototype.toJson` (cdk8s 2.70), without the per-value resolver machinery. */
function apiObjectJson(obj: ApiObject): Record<string, unknown> {
  const data = { ...(obj as any).props, metadata: metadataJson(obj.metadata) };
  const sortKeys = process.env.CDK8S_DISABLE_SORT ? false : true;
  const json = resolveAndSanitize(data, sortKeys, false);
  const patches = (obj as any).patches as JsonPatch[];
  const patched = patches.length ? JsonPatch.apply(json, ...patches) : json;
  const result: Record<string, unknown> = {};
  for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched) result[k] = patched[k];
  return result;
}

/** One object's JSON exactly as `obj.toJson()` returns it, by the lean path when it applies. */
function objectJson(obj: ApiObject, lean: boolean): KubeObject {
  if (lean) {
    const cls = obj.constructor;
    const l1 = cls === ApiObject ? undefined : l1Info(cls);
    if (cls === ApiObject || l1) {
      try {
        const base = apiObjectJson(obj);
        return (l1 ? { ...l1.gvk, ...l1.mapper(base) } : base) as KubeObject;
      } catch {
        // fall through: cdk8s' own toJson gives the same result or its own error message
      }
    }
  }
  return obj.toJson() as KubeObject;
}

/** cdk8s' `resolveDependencies` (app.js): construct and chart dependencies become ApiObject dependencies. */
function resolveDependencies(root: IConstruct, all?: IConstruct[]): void {
  const cache = new Map<IConstruct, IConstruct[]>();
  if (all) cache.set(root, all);
  const findAll = (c: IConstruct): IConstruct[] => {
    let all = cache.get(c);
    if (!all) { all = c.node.findAll(); cache.set(c, all); }
    return all;
  };
  const charts = findAll(root).filter((x) => Chart.isChart(x));
  for (const parent of charts) {
    for (const child of parent.node.children.filter((x) => Chart.isChart(x))) parent.node.addDependency(child);
  }
  const deps = (): Array<{ source: IConstruct; target: IConstruct }> => {
    const out: Array<{ source: IConstruct; target: IConstruct }> = [];
    for (const c of findAll(root)) for (const d of c.node.dependencies) out.push({ source: c, target: d });
    return out;
  };
  const first = deps();
  // Without any dependency (nested charts add some), both loops below do nothing.
  if (first.length === 0) return;
  for (const { source, target } of first) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) sourceChart.node.addDependency(targetChart);
  }
  for (const { source, target } of deps()) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = findAll(target).filter((c) => ApiObject.isApiObject(c) && Chart.of(c) === targetChart);
    const sources = findAll(source).filter((c) => ApiObject.isApiObject(c) && Chart.of(c) === sourceChart);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
}

/**
 * The ApiObjects of a chart in cdk8s' output order (its `chartToKube`). Without any dependency in the
 * chart's tree, cdk8s' DependencyGraph adopts every vertex as an orphan in `findAll()` order, so its
 * topology is that order; building the graph (keyed by each construct's computed path) is skipped then.
 */
export function chartApiObjects(chart: Chart): ApiObject[] {
  const all = preorder(chart);
  // A chart at the root could have children with integer-like paths, which a JS object orders first.
  if (chart.node.scope !== undefined) {
    const out: ApiObject[] = [];
    let simple = true;
    for (const c of all) {
      if (c.node.dependencies.length !== 0) { simple = false; break; }
      if (ApiObject.isApiObject(c) && Chart.of(c) === chart) out.push(c);
    }
    if (simple) return out;
  }
  return new DependencyGraph(chart.node).topology().filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
}

/**
 * `c.node.findAll()` (pre-order: a construct, then each child's subtree in order) with a stack
 * instead of a recursive closure per construct.
 */
export function preorder(c: IConstruct): IConstruct[] {
  const out: IConstruct[] = [];
  const stack: IConstruct[] = [c];
  while (stack.length > 0) {
    const next = stack.pop()!;
    out.push(next);
    const children = next.node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/** True when `chartsToJson` can take the lean path for this app. */
export function leanPathApplies(root: IConstruct): boolean {
  return root.node.root === root && portMatchesCdk8s() && hasDefaultResolvers(root);
}

/** One rendered object and the ApiObject that made it. */
export interface RenderedObject {
  /** The Kubernetes object, as `apiObject.toJson()` returns it. */
  readonly object: KubeObject;
  /** Its construct. */
  readonly apiObject: ApiObject;
}

/**
 * Each chart's objects, equal to `chart.toJson()` for each chart in turn, with the ApiObject behind
 * each. The caller has already validated every construct of `root` (cdk8s would do it again per chart).
 * `all` is `root.node.findAll()` when the caller has just made it (cdk8s too shares one between
 * validation and dependency resolution).
 */
export function chartsToJson(root: IConstruct, charts: readonly Chart[], all?: IConstruct[]): RenderedObject[][] {
  if (!leanPathApplies(root)) {
    return charts.map((chart) => {
      const objects = chart.toJson() as KubeObject[];
      // chart.toJson() lists chartToKube's objects in this same order (dependencies are resolved now).
      const apiObjects = chartApiObjects(chart);
      return objects.map((object, i) => ({ object, apiObject: apiObjects[i] }));
    });
  }
  resolveDependencies(root, all);
  return charts.map((chart) => chartApiObjects(chart).map((apiObject) => ({ object: objectJson(apiObject, true), apiObject })));
}

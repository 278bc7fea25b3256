import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockyardError, FieldProblem, Problem } from './errors';
import { describeObject, KubeObject, LoadedObject, parseManifests } from './manifests';
import { formatFieldPath, parseJsonPointer as pathOf } from './field-path';
import { closestMatch } from './naming';

/**
 * Custom resources against their CustomResourceDefinitions. A CRD's openAPIV3Schema (a structural
 * schema) is compiled to a strict ajv validator: an object field the schema does not list fails, as it
 * would be pruned by the API server, unless `x-kubernetes-preserve-unknown-fields` keeps it;
 * `x-kubernetes-int-or-string` takes an integer or a string; `x-kubernetes-embedded-resource` takes
 * apiVersion, kind and metadata. The object's apiVersion must be a version the CRD serves.
 *
 * Known CRDs are the ones in the same set (the app, with `Include` too), the ones the caller passes
 * (`synthApp(app, { crds })`, `--crd FILE`), and the files cdk8s.yaml lists (`crds:`, and local files
 * under `imports:`, which `cdk8s import` reads). A custom resource of no known CRD is a warning.
 */

/**
 * One problem in a custom resource, before the schema check names the object: `fieldPath` (as
 * `spec.dnsNames[0]`) and `message`; a warning (a custom resource whose CRD is not known) does not
 * fail validation.
 */
export type CrdIssue = FieldProblem;

type Check = (obj: unknown) => CrdIssue[];

/** Every schema keyword a structural schema may hold that ajv should see (the `x-kubernetes-*` ones are applied here). */
const DROP = new Set(['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-embedded-resource', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations', 'example', 'externalDocs']);
const EMBEDDED = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };

/**
 * A structural schema as a closed JSON schema for ajv: objects take only their listed properties
 * (none when they list none) unless they preserve unknown fields or say what additional ones hold.
 */
export function closeStructural(schema: unknown, top = true): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (DROP.has(k)) continue;
    if (k === 'properties' && v && typeof v === 'object') {
      const props = Object.entries(v as Record<string, unknown>).filter(([p]) => !(top && (p === 'apiVersion' || p === 'kind' || p === 'metadata')));
      out.properties = Object.fromEntries(props.map(([p, ps]) => [p, closeStructural(ps, false)]));
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && v && typeof v === 'object') out[k] = closeStructural(v, false);
    else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map((x) => closeStructural(x, false));
    else out[k] = v;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s['x-kubernetes-embedded-resource'] === true) out.properties = { ...EMBEDDED, ...(out.properties as object | undefined) };
  const isObject = s.type === 'object' || (s.type === undefined && s.properties !== undefined);
  if (isObject && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

/** `node_modules/.cache/dockyard` of the install that holds ajv (compiled validators are kept there). */
function cacheDir(): string {
  return path.join(path.dirname(path.dirname(require.resolve('ajv/package.json'))), '.cache', 'dockyard');
}

/**
 * An ajv validator for a closed schema. Compiling is slow (most of it ajv checking the schema
 * against its meta-schema), paid by every synth of an app with a CRD or a CompositeController; so
 * the generated code (ajv "standalone" output, the same code ajv runs in memory) is kept in
 * `node_modules/.cache/dockyard/ajv-<hash>.js`, keyed by ajv's version and the schema. A schema ajv
 * rejects is never cached, so its error is thrown each time.
 */
const CACHE_FORMAT = 3;

function cachedValidator(closed: unknown): any {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ajvVersion = require('ajv/package.json').version as string;
  const useCache = process.env.DOCKYARD_SCHEMA_CACHE !== 'off';
  const key = createHash('sha256').update(`${CACHE_FORMAT}\0${ajvVersion}\0${JSON.stringify(closed)}`).digest('hex').slice(0, 32);
  const file = path.join(cacheDir(), `ajv-${key}.js`);
  if (useCache) {
    try {
      if (fs.existsSync(file)) return require(file);
    } catch {
      // unreadable cache entry: compile below
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Ajv = require('ajv').default ?? require('ajv');
  // Formats (int32, date-time) are not checked, as the API server does not check most of them either.
  const ajv = new Ajv({ strict: false, allErrors: true, code: { source: true }, logger: false, validateFormats: false });
  const validate = ajv.compile(closed);
  if (useCache) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const standalone = require('ajv/dist/standalone').default;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, standalone(ajv, validate));
      fs.renameSync(tmp, file);
    } catch {
      // read-only install: compile again next time
    }
  }
  return validate;
}

/** The part of the closed schema an error's `schemaPath` (`#/properties/spec/additionalProperties`) names, minus `drop` trailing parts. */
function schemaAt(closed: unknown, schemaPath: string, drop: number): any {
  // A URI fragment holding a JSON Pointer: its parts are escaped ("/" as "~1") before URI-encoding,
  // so decoding the whole fragment first leaves the separators alone.
  let pointer = schemaPath.replace(/^#/, '');
  try { pointer = decodeURIComponent(pointer); } catch { /* not URI-encoded: read as written */ }
  const parts = pathOf(pointer);
  let cur: any = closed;
  for (const p of parts.slice(0, parts.length - drop)) cur = cur?.[p];
  return cur;
}

/** `an integer`, `an object`, `a string`: a JSON type with its article. */
function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** ajv's errors as issues: one per field, with a did-you-mean for an unknown field. */
function toIssues(errors: readonly any[], closed: unknown): CrdIssue[] {
  const out: CrdIssue[] = [];
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const e of errors) {
    const at = pathOf(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const field = e.params.additionalProperty as string;
      const known = Object.keys(schemaAt(closed, e.schemaPath, 1)?.properties ?? {});
      const hint = closestMatch(field, known);
      out.push({ fieldPath: [...at, field], message: `unknown field "${field}"${hint ? ` (did you mean "${hint}"?)` : ''}; ${known.length ? `the CRD schema allows: ${known.sort().join(', ')}` : 'the CRD schema allows no fields here'}` });
    } else if (e.keyword === 'anyOf') {
      const branches: any[] = schemaAt(closed, e.schemaPath, 0) ?? [];
      const types = branches.map((b) => b?.type).filter(Boolean);
      out.push({ fieldPath: at, message: types.length === branches.length && types.length > 0 ? `must be ${types.map(article).join(' or ')}` : 'matches none of the allowed forms' });
    } else if (e.keyword === 'type' && anyOfAt.has(e.instancePath)) {
      continue;
    } else if (e.keyword === 'required') {
      // At the object that lacks it, as the built-in kinds report it (a missing field has no line of its own).
      out.push({ fieldPath: at, message: `missing required field "${e.params.missingProperty}"` });
    } else if (e.keyword === 'enum') {
      out.push({ fieldPath: at, message: `must be one of ${e.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}` });
    } else if (e.keyword === 'type') {
      out.push({ fieldPath: at, message: `must be ${article(e.params.type)}` });
    } else {
      out.push({ fieldPath: at, message: `${e.message ?? `fails "${e.keyword}"`}` });
    }
  }
  const seen = new Set<string>();
  return out.filter((i) => { const k = `${formatFieldPath(i.fieldPath)}\0${i.message}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

const compiledSchemas = new WeakMap<object, Check>();

/**
 * Compiles one version's openAPIV3Schema, once per schema object (a CRD's own check and its
 * resources' check share it); throws ajv's message for a schema it cannot compile.
 */
export function compileStructural(schema: unknown): Check {
  const known = schema && typeof schema === 'object' ? compiledSchemas.get(schema) : undefined;
  if (known) return known;
  const closed = closeStructural(schema);
  const validate = cachedValidator(closed);
  const check: Check = (obj) => {
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((obj ?? {}) as Record<string, unknown>)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') body[k] = v;
    return validate(body) ? [] : toIssues(validate.errors ?? [], closed);
  };
  if (schema && typeof schema === 'object') compiledSchemas.set(schema, check);
  return check;
}

interface CrdVersion { readonly name: string; readonly served: boolean; readonly schema: unknown }

/** The group, kind and versions of a CRD (v1, or v1beta1 with its spec-wide `validation`). */
function crdShape(crd: KubeObject): { group: string; kind: string; versions: CrdVersion[] } | undefined {
  const spec = crd.spec as any;
  if (!spec || typeof spec !== 'object' || typeof spec.group !== 'string' || typeof spec.names?.kind !== 'string') return undefined;
  const shared = spec.validation?.openAPIV3Schema;
  const list: any[] = Array.isArray(spec.versions) ? spec.versions : typeof spec.version === 'string' ? [{ name: spec.version, served: true }] : [];
  const versions = list.filter((v) => v && typeof v.name === 'string').map((v) => ({ name: v.name as string, served: v.served !== false, schema: v.schema?.openAPIV3Schema ?? shared }));
  return { group: spec.group, kind: spec.names.kind, versions };
}

const compiled = new WeakMap<KubeObject, Map<string, Check>>();

/** The check of one version of a CRD, compiled once per CRD object. */
function versionCheck(crd: KubeObject, version: CrdVersion): Check {
  let perCrd = compiled.get(crd);
  if (!perCrd) { perCrd = new Map(); compiled.set(crd, perCrd); }
  let check = perCrd.get(version.name);
  if (!check) {
    if (!version.schema || typeof version.schema !== 'object') {
      check = () => [{ fieldPath: [], message: `not checked: the CustomResourceDefinition ${describeObject(crd)} has no openAPIV3Schema for version ${version.name}`, severity: 'warning' }];
    } else {
      try {
        check = compileStructural(version.schema);
      } catch (e) {
        const why = String((e as Error).message).split('\n')[0];
        check = () => [{ fieldPath: [], message: `cannot be checked: its CustomResourceDefinition schema is invalid (${describeObject(crd)} version ${version.name}: ${why})` }];
      }
    }
    perCrd.set(version.name, check);
  }
  return check;
}

/**
 * The check for objects of `apiVersion`/`kind` from the first CRD in `crds` (then the project's, see
 * `projectCrds`) that defines the group and kind, or undefined when none does. A version the CRD
 * does not serve is an error naming the versions it serves.
 */
export function customResourceCheck(apiVersion: string, kind: string, crds: readonly KubeObject[], cwd = process.cwd()): Check | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const find = (list: readonly KubeObject[]) => list.find((c) => c?.kind === 'CustomResourceDefinition' && crdShape(c)?.group === group && crdShape(c)?.kind === kind);
  const crd = find(crds) ?? find(projectCrds(cwd));
  if (!crd) return undefined;
  const shape = crdShape(crd)!;
  const v = shape.versions.find((x) => x.name === version);
  const served = shape.versions.filter((x) => x.served).map((x) => `${group}/${x.name}`);
  if (!v || !v.served) {
    const message = `${kind} is not served as ${apiVersion}: its CustomResourceDefinition ${v ? 'has served: false for that version' : 'has no such version'}; use ${served.length ? served.map((s) => `"${s}"`).join(' or ') : 'a served version'}`;
    return () => [{ fieldPath: ['apiVersion'], message }];
  }
  return versionCheck(crd, v);
}

/** The warning for a custom resource of no known CRD: it synthesizes, unchecked, and says how to supply one. */
export function unknownCustomResource(apiVersion: string, kind: string): CrdIssue {
  return {
    fieldPath: ['kind'],
    message: `${kind} (${apiVersion}) is a custom resource with no known CustomResourceDefinition, so its fields are not checked; supply the CRD: include it in the app (cdk8s Include), list its file under "crds:" in cdk8s.yaml, pass synthApp(app, { crds: [file] }), or --crd FILE to dockyard validate/lint`,
    severity: 'warning',
  };
}

function readText(file: string, problems: Problem[]): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ where: file, message: `cannot read this CustomResourceDefinition file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'check the path (relative to the current folder, or to cdk8s.yaml for its crds: list)' });
    return undefined;
  }
}

/** The problems of one loaded object as a CRD file entry: not a CRD, no group/kind, a version without a usable schema. */
function crdFileProblems(l: LoadedObject): Problem[] {
  const at = (p: readonly (string | number)[]) => `${l.file}:${l.lineOf(p)}`;
  if (l.object.kind !== 'CustomResourceDefinition') {
    return [{ where: at([]), message: `${describeObject(l.object)} is not a CustomResourceDefinition`, fix: 'pass only CRD files (kind: CustomResourceDefinition, apiVersion: apiextensions.k8s.io/v1) as --crd or under crds:' }];
  }
  const shape = crdShape(l.object);
  if (!shape) return [{ where: at(['spec']), message: `${describeObject(l.object)} has no spec.group or spec.names.kind`, fix: 'add spec.group (e.g. example.com) and spec.names.kind (e.g. Widget)' }];
  if (shape.versions.length === 0) return [{ where: at(['spec']), message: `${describeObject(l.object)} lists no versions`, fix: 'add spec.versions, e.g. [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: ... } }]' }];
  const out: Problem[] = [];
  const list = (l.object.spec as any).versions as unknown[] | undefined;
  shape.versions.forEach((v, i) => {
    const where = list ? ['spec', 'versions', i] : ['spec'];
    if (!v.schema || typeof v.schema !== 'object') {
      out.push({ where: at(where), message: `${describeObject(l.object)} version ${v.name} has no schema.openAPIV3Schema`, fix: 'add the openAPIV3Schema of the version (apiextensions.k8s.io/v1 requires one); Dockyard checks custom resources against it' });
      return;
    }
    try {
      compileStructural(v.schema);
    } catch (e) {
      out.push({ where: at([...where, 'schema', 'openAPIV3Schema']), message: `the openAPIV3Schema of ${describeObject(l.object)} version ${v.name} is invalid: ${String((e as Error).message).split('\n')[0]}`, fix: 'fix the schema (a pattern must be a valid regular expression, minimum a number, ...)' });
    }
  });
  return out;
}

/**
 * Reads CustomResourceDefinition files (YAML or JSON, several documents allowed). Everything wrong is
 * reported at once with file:line: unreadable file, invalid YAML, an object that is no CRD, a version
 * without a schema, a schema that does not compile.
 */
export function loadCrdFiles(files: readonly string[]): KubeObject[] {
  const problems: Problem[] = [];
  const out: KubeObject[] = [];
  for (const file of files) {
    const text = readText(file, problems);
    if (text === undefined) continue;
    let loaded: LoadedObject[];
    try {
      loaded = parseManifests(text, file);
    } catch (e) {
      if (e instanceof DockyardError) { problems.push(...e.problems); continue; }
      throw e;
    }
    if (loaded.length === 0) problems.push({ where: `${file}:1`, message: 'holds no CustomResourceDefinition', fix: 'pass a file with a kind: CustomResourceDefinition document' });
    for (const l of loaded) {
      const bad = crdFileProblems(l);
      problems.push(...bad);
      if (bad.length === 0) out.push(l.object);
    }
  }
  if (problems.length) throw new DockyardError(problems, problems.length === 1 ? undefined : `${problems.length} problem(s) in CustomResourceDefinition files:`);
  return out;
}

/** A local file among cdk8s.yaml `imports:` (`[name:=]path`), not `k8s`, a URL or a helm/github source. */
function localImport(entry: unknown, dir: string): string | undefined {
  if (typeof entry !== 'string') return undefined;
  const source = entry.includes(':=') ? entry.slice(entry.indexOf(':=') + 2) : entry;
  if (/^(k8s|crd)(@|$)|^[a-z]+:\/\/|^(github|helm):/.test(source)) return undefined;
  const file = path.resolve(dir, source);
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
}

/**
 * The CRD files a project lists in `cdk8s.yaml` under `dir`: `crds:` (paths relative to cdk8s.yaml)
 * and the local files under `imports:`. Empty without a cdk8s.yaml.
 */
export function projectCrdFiles(dir = process.cwd()): string[] {
  const file = path.join(dir, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return [];
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { parseDocument, isMap } = require('yaml') as typeof import('yaml');
  const text = fs.readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length) return []; // cdk8s itself reports a broken cdk8s.yaml
  const config = doc.toJS() as { crds?: unknown; imports?: unknown } | null;
  const crds = config?.crds;
  if (crds !== undefined && crds !== null && !Array.isArray(crds)) {
    const node = isMap(doc.contents) ? doc.contents.items.find((p) => (p.key as any)?.value === 'crds') : undefined;
    const line = node && (node.key as any)?.range ? text.slice(0, (node.key as any).range[0]).split('\n').length : 1;
    throw new DockyardError({ where: `${file}:${line}`, message: 'crds: must be a list of CustomResourceDefinition files', fix: 'write crds: [crds/widget.yaml] (paths relative to cdk8s.yaml)' });
  }
  const listed = (crds as unknown[] | undefined ?? []).filter((c): c is string => typeof c === 'string').map((c) => path.resolve(dir, c));
  const imported = (Array.isArray(config?.imports) ? config!.imports : []).map((e) => localImport(e, dir)).filter((f): f is string => f !== undefined);
  return [...new Set([...listed, ...imported])];
}

const projectCache = new Map<string, { key: string; crds: KubeObject[] }>();

/** The CRDs of the project in `dir` (see projectCrdFiles), read once per process while the files are unchanged. */
export function projectCrds(dir = process.cwd()): KubeObject[] {
  const config = path.join(dir, 'cdk8s.yaml');
  let key: string;
  try { key = String(fs.statSync(config).mtimeMs); } catch { return []; }
  const hit = projectCache.get(dir);
  if (hit && hit.key === key) return hit.crds;
  const files = projectCrdFiles(dir);
  const crds = loadCrdFiles(files.map((f) => path.relative(process.cwd(), f) || f));
  projectCache.set(dir, { key, crds });
  return crds;
}

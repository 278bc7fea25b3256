/**
 * Host access: what a host path really reaches. Pure: the facts about the host (how a path resolves,
 * where the engine's socket and data root are) are passed in (`HostFacts`), filled by the Docker
 * command line when the engine runs on this machine. The guard rules (`guard-rules.ts`) decide by these.
 */
import { posix } from 'node:path';
import { HostPathAt } from './pod-spec';

/** How the host resolves one path. */
export interface ResolvedHostPath {
  /** The path with every symlink followed (a missing tail kept, resolved through its deepest existing folder). */
  readonly resolved?: string;
  /** The links followed on the way, `link -> target` as written in the link. */
  readonly links?: readonly string[];
  /** Why the path could not be resolved (a folder that cannot be read, a link loop). */
  readonly error?: string;
}

/** What the guards know about the host that runs the containers. */
export interface HostFacts {
  /**
   * Resolves a host path as the host would (symlinks followed).
   * @default none: paths are checked as written, and findings say they could not be resolved
   */
  readonly resolvePath?: (p: string) => ResolvedHostPath;
  /** Why host paths are not resolved, said in findings. @default LINT_UNRESOLVED */
  readonly unresolvedReason?: string;
  /** Unix socket paths of the engine deployed to, as written and resolved. @default none (the known locations only) */
  readonly engineSockets?: readonly string[];
  /** The engine's data root (its `/info` DockerRootDir), as written and resolved. @default none (/var/lib/docker only) */
  readonly engineDataRoots?: readonly string[];
}

/** What lint says about paths on a Kubernetes node. */
export const LINT_UNRESOLVED = 'a node path cannot be resolved at lint time, so a symlink there is not followed';

/**
 * Where container engine API sockets live (`*` is one path segment, a uid). `/var/run` is a link to
 * `/run` on every current distribution, so each `/run/...` entry also counts under `/var/run/...`.
 */
export const KNOWN_SOCKETS: readonly string[] = [
  '/run/docker.sock', '/run/dockyard/docker.sock', '/run/user/*/docker.sock',
  '/run/containerd/containerd.sock', '/run/docker/containerd/containerd.sock', '/run/crio/crio.sock',
  '/run/podman/podman.sock', '/run/user/*/podman/podman.sock',
];

/** A socket file by its name, wherever it is. */
const SOCKET_NAME = /(^|\/)(docker|containerd|podman|crio|dockershim)\.sock$/;
/** `/proc`, a process folder and its `root`/`cwd` links: the host's whole filesystem, sockets included. */
const PROC_ROOT = /^\/proc(\/(\d+|self|thread-self)(\/(task\/\d+\/)?(root|cwd)(\/.*)?)?)?$/;

const segments = (p: string) => p.split('/').filter(Boolean);

/** True when `dir` is `path` or one of its parent folders (`*` in `path` matches any one segment). */
function holds(dir: string, path: string): boolean {
  const d = segments(dir);
  const t = segments(path);
  return d.length <= t.length && d.every((seg, i) => t[i] === '*' || t[i] === seg);
}

/**
 * The host path as the kernel reads it before links: `.`, `..`, repeated and trailing slashes removed
 * (`/tmp/../run/` -> `/run`).
 */
export function normalizeHostPath(p: string): string {
  const norm = posix.normalize(p);
  return norm.length > 1 && norm.endsWith('/') ? norm.slice(0, -1) : norm;
}

/**
 * The container engine socket a hostPath exposes (the socket itself, a folder holding it, `/proc`
 * or `/`), or undefined. `/proc/<pid>/root` reaches the host's files, sockets included.
 */
export function exposedSocket(p: string, extraSockets: readonly string[] = []): string | undefined {
  const norm = normalizeHostPath(p);
  if (!norm.startsWith('/')) return undefined;
  if (SOCKET_NAME.test(norm)) return norm;
  if (PROC_ROOT.test(norm)) return '/proc/1/root/run/docker.sock';
  const all = [...extraSockets.map(normalizeHostPath), ...KNOWN_SOCKETS.flatMap((s) => [`/var${s}`, s])];
  // Fixed paths before uid patterns, and `/var/run/docker.sock` first: the socket people know, for the message.
  return all.find((s) => holds(norm, s) && !s.includes('*')) ?? all.find((s) => holds(norm, s))?.replace(/\*/g, '<uid>');
}

/** True when a hostPath exposes the Docker socket or another engine's (the socket, a folder holding it, `/proc`, `/`). */
export function isDockerSocketPath(p: string, extraSockets: readonly string[] = []): boolean {
  return exposedSocket(p, extraSockets) !== undefined;
}

/**
 * Folders that own the host: writing into them (or into a folder holding them) changes the host's
 * system, credentials, kernel interfaces or container engine. The engine's own data root joins them.
 */
export const HOST_OWNING_FOLDERS: readonly string[] = [
  '/', '/etc', '/root', '/sys', '/dev', '/proc', '/boot', '/usr', '/bin', '/sbin', '/lib', '/lib64',
  '/var/lib/docker', '/var/lib/containerd', '/var/lib/kubelet',
];

/** How `p` relates to a host-owning folder: is it, lies inside it, or holds it; undefined when it touches none. */
export function hostOwningFolderOf(p: string, extraFolders: readonly string[] = []): { folder: string; relation: 'is' | 'inside' | 'contains' } | undefined {
  const norm = normalizeHostPath(p);
  if (!norm.startsWith('/')) return undefined;
  const all = [...HOST_OWNING_FOLDERS, ...extraFolders.map(normalizeHostPath)];
  for (const f of all) {
    if (norm === f) return { folder: f, relation: 'is' };
    if (f !== '/' && norm.startsWith(`${f}/`)) return { folder: f, relation: 'inside' };
  }
  const held = all.find((f) => f !== '/' && holds(norm, f));
  return held ? { folder: held, relation: 'contains' } : undefined;
}

/** A host path with what the host makes of it. */
export interface HostPathView extends HostPathAt {
  /** The written path, normalized. */
  readonly normalized: string;
  /** Where it leads once links are followed, when known. */
  readonly resolved?: string;
  /** Links followed on the way. */
  readonly links: readonly string[];
  /** Why it was not resolved, when it was not. */
  readonly unresolved?: string;
  /** The paths every guard checks: the written one, and the resolved one when it differs. */
  readonly checked: readonly string[];
}

/** Resolves a host path with the facts given; never throws. */
export function viewHostPath(hp: HostPathAt, facts: HostFacts = {}): HostPathView {
  const normalized = normalizeHostPath(hp.path);
  if (!facts.resolvePath) return { ...hp, normalized, links: [], unresolved: facts.unresolvedReason ?? LINT_UNRESOLVED, checked: [normalized] };
  let r: ResolvedHostPath;
  try { r = facts.resolvePath(hp.path); } catch (e) { r = { error: e instanceof Error ? e.message : String(e) }; }
  const resolved = r.resolved !== undefined ? normalizeHostPath(r.resolved) : undefined;
  const moved = resolved !== undefined && resolved !== normalized;
  const checked = moved ? [normalized, resolved] : [normalized];
  return { ...hp, normalized, links: r.links ?? [], checked, ...(moved ? { resolved } : {}), ...(r.error !== undefined ? { unresolved: r.error } : {}) };
}

/** `, which resolves to /run/dockyard (link /tmp/x -> /run/dockyard)`, or nothing when it resolves to itself. */
export function resolution(v: HostPathView): string {
  if (v.resolved === undefined) return '';
  return `, which resolves to ${v.resolved}${v.links.length ? ` (${v.links.map((l) => `link ${l}`).join(', ')})` : ''}`;
}

/** ` (not resolved: <why>)`, or nothing when the path was resolved. */
export function unresolvedNote(v: HostPathView): string {
  return v.unresolved !== undefined ? ` (not resolved: ${v.unresolved})` : '';
}

/** The engine socket a host path reaches, by its written or resolved form. */
export function socketOf(v: HostPathView, facts: HostFacts = {}): { socket: string; via: string } | undefined {
  for (const p of v.checked) {
    const socket = exposedSocket(p, facts.engineSockets ?? []);
    if (socket) return { socket, via: p };
  }
  return undefined;
}

/** The host-owning folder a host path reaches, by its written or resolved form. */
export function owningFolderOf(v: HostPathView, facts: HostFacts = {}): { folder: string; relation: 'is' | 'inside' | 'contains'; via: string } | undefined {
  for (const p of v.checked) {
    const hit = hostOwningFolderOf(p, facts.engineDataRoots ?? []);
    if (hit) return { ...hit, via: p };
  }
  return undefined;
}

/** True when a host path is a device: hostPath type CharDevice/BlockDevice, or under /dev once resolved. */
export function isDevicePath(v: HostPathView): boolean {
  return v.type === 'CharDevice' || v.type === 'BlockDevice' || v.checked.some((p) => p === '/dev' || p.startsWith('/dev/'));
}

/**
 * Host paths that give away the node (credentials, kernel interfaces, other containers' data).
 * A folder that contains one of them gives it away too (`/var` holds `/var/lib/kubelet`).
 */
const SENSITIVE_PATHS = ['/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/etc', '/proc', '/sys', '/dev', '/boot',
  '/root', '/home', '/etc/kubernetes', '/var/log', '/run/containerd', '/var/run/containerd', '/var/run/crio', '/run/crio', '/usr'];

/** How `p` relates to the first sensitive path it is, lies in, or contains; undefined when it touches none. */
export function sensitiveHostPathOf(p: string): { sensitive: string; relation: 'is' | 'inside' | 'contains' } | undefined {
  const norm = normalizeHostPath(p);
  if (!norm.startsWith('/')) return undefined; // hostPath must be absolute; the API server refuses the rest
  for (const s of SENSITIVE_PATHS) {
    if (norm === s) return { sensitive: s, relation: 'is' };
    if (norm.startsWith(`${s}/`)) return { sensitive: s, relation: 'inside' };
  }
  const contained = SENSITIVE_PATHS.find((s) => norm === '/' || s.startsWith(`${norm}/`));
  return contained ? { sensitive: contained, relation: 'contains' } : undefined;
}

/** True when `p` is a sensitive host path, lies inside one, or is a folder that contains one. */
export function isSensitiveHostPath(p: string): boolean {
  return sensitiveHostPathOf(p) !== undefined;
}

/**
 * Host access: a container that mounts the Docker socket or runs privileged owns the whole host.
 * Pure checks over IR objects, shared by the Docker target (refuses unless allowed) and the linter.
 */
import { posix } from 'node:path';
import { KubeObject, describeObject } from '../core/manifests';

/** Which kind of host access a finding is about. */
export type HostAccessRule = 'docker-socket' | 'privileged';

/** One container (or pod) that would get host access. */
export interface HostAccessFinding {
  /** Rule id. */
  readonly rule: HostAccessRule;
  /** Index of the object in the input list. */
  readonly index: number;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** Field path inside the object, e.g. `spec.template.spec.volumes[0].hostPath.path`. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it (or how to opt in). */
  readonly fix: string;
}

/** Options: what the user explicitly allowed, and where the engine's socket is. */
export interface HostAccessOptions {
  /** Allow hostPath mounts of the Docker socket. @default false */
  readonly allowDockerSocket?: boolean;
  /** Allow privileged containers, host PID/IPC and ALL/SYS_ADMIN capabilities. @default false */
  readonly allowPrivileged?: boolean;
  /**
   * The unix socket path of the engine in use (DOCKER_HOST `unix://...`), which may live anywhere
   * (rootless Docker, Docker Desktop). Passed in so the check stays pure. @default none (known locations only)
   */
  readonly dockerHostSocket?: string;
}

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
 * The container engine socket a hostPath exposes (the socket itself, a folder holding it, `/proc`
 * or `/`), or undefined. `/proc/<pid>/root` reaches the host's files, sockets included.
 */
export function exposedSocket(p: string, extraSockets: readonly string[] = []): string | undefined {
  const norm = posix.normalize(p).replace(/(.)\/+$/, '$1');
  if (!norm.startsWith('/')) return undefined;
  if (SOCKET_NAME.test(norm)) return norm;
  if (PROC_ROOT.test(norm)) return '/proc/1/root/run/docker.sock';
  const all = [...extraSockets, ...KNOWN_SOCKETS.flatMap((s) => [`/var${s}`, s])];
  // Fixed paths before uid patterns, and `/var/run/docker.sock` first: the socket people know, for the message.
  return all.find((s) => holds(norm, s) && !s.includes('*')) ?? all.find((s) => holds(norm, s))?.replace(/\*/g, '<uid>');
}

/** True when a hostPath exposes the Docker socket or another engine's (the socket, a folder holding it, `/proc`, `/`). */
export function isDockerSocketPath(p: string, extraSockets: readonly string[] = []): boolean {
  return exposedSocket(p, extraSockets) !== undefined;
}

/** The pod spec of a workload object and its field path, or undefined for other kinds. */
export function podSpecOf(o: KubeObject): { spec: any; path: string } | undefined {
  const spec = o.spec as any;
  if (!spec || typeof spec !== 'object') return undefined;
  if (o.kind === 'Pod') return { spec, path: 'spec' };
  if (spec.template && typeof spec.template === 'object' && spec.template.spec) return { spec: spec.template.spec, path: 'spec.template.spec' };
  if (o.kind === 'CronJob' && spec.jobTemplate?.spec?.template?.spec) return { spec: spec.jobTemplate.spec.template.spec, path: 'spec.jobTemplate.spec.template.spec' };
  return undefined;
}

/** What `hostPID` and `hostIPC` share with the host, for messages. */
const SHARES = { hostPID: "the host's process namespace", hostIPC: "the host's IPC namespace (shared memory, semaphores)" };

/** Finds Docker-socket mounts and privileged containers; allowed rules return nothing. */
export function checkHostAccess(objects: readonly KubeObject[], options: HostAccessOptions = {}): HostAccessFinding[] {
  const out: HostAccessFinding[] = [];
  objects.forEach((o, index) => {
    const ps = podSpecOf(o);
    if (ps) out.push(...podSpecHostAccess(o, index, ps, options));
  });
  return out;
}

const mapOf = (v: unknown): Record<string, any> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * A cheap test for what `podSpecHostAccess` reads: false when the pod spec has no hostPath volume, no
 * `hostPID`/`hostIPC: true`, and no container with `privileged` or `capabilities` set, so it (and its
 * normalized copy, see the policy rules) has nothing to report. Most pods have none of these.
 */
export function podSpecMayTouchHost(spec: unknown): boolean {
  const pod = mapOf(spec);
  if (!pod) return true; // not a mapping: leave it to the full check
  if (pod.hostPID === true || pod.hostIPC === true) return true;
  for (const v of listOf(pod.volumes)) if (mapOf(v)?.hostPath !== undefined) return true;
  for (const c of [...listOf(pod.containers), ...listOf(pod.initContainers)]) {
    const sc = mapOf(mapOf(c)?.securityContext);
    if (sc && (sc.privileged !== undefined || sc.capabilities !== undefined)) return true;
  }
  return false;
}

/**
 * The host-access findings of one object whose pod spec (from `podSpecOf`) is `ps`; the policy rules
 * pass a normalized copy of the pod spec, so they need not copy the whole object.
 */
export function podSpecHostAccess(o: KubeObject, index: number, ps: { spec: any; path: string }, options: HostAccessOptions = {}): HostAccessFinding[] {
  const out: HostAccessFinding[] = [];
  let object: string | undefined; // named on the first finding only: most objects have none
  const add = (rule: HostAccessRule, field: string, message: string, fix: string) => out.push({ rule, index, object: (object ??= describeObject(o)), field, message, fix });
  if (!options.allowDockerSocket) {
    (ps.spec.volumes ?? []).forEach((v: any, i: number) => {
      const p = v?.hostPath?.path;
      const sock = typeof p === 'string' ? exposedSocket(p, options.dockerHostSocket ? [options.dockerHostSocket] : []) : undefined;
      if (sock) {
        const docker = /docker\.sock$/.test(sock) || sock === options.dockerHostSocket;
        const what = !docker ? `a container engine socket (${sock})` : sock === posix.normalize(p) ? 'the Docker socket' : `the Docker socket (it holds ${sock})`;
        add('docker-socket', `${ps.path}.volumes[${i}].hostPath.path`, `volume "${v.name}" mounts ${p} from the host, which exposes ${what}: the container would control the whole host`,
          'remove the hostPath volume, or pass --allow-docker-socket if this container really must drive Docker');
      }
    });
  }
  if (!options.allowPrivileged) {
    for (const flag of ['hostPID', 'hostIPC'] as const) {
      if (ps.spec[flag] === true) add('privileged', `${ps.path}.${flag}`, `${flag}: true shares ${SHARES[flag]}`, 'remove it, or pass --allow-privileged');
    }
    const groups: Array<[string, any[]]> = [['containers', ps.spec.containers ?? []], ['initContainers', ps.spec.initContainers ?? []]];
    for (const [group, list] of groups) {
      list.forEach((c: any, i: number) => {
        const sc = c?.securityContext ?? {};
        const at = () => `${ps.path}.${group}[${i}].securityContext`; // built for a finding only
        if (sc.privileged === true) add('privileged', `${at()}.privileged`, `container "${c.name}" is privileged: it gets every device and capability of the host`, 'remove privileged: true, or pass --allow-privileged');
        const caps: unknown[] = sc.capabilities?.add ?? [];
        for (const cap of caps) {
          const name = String(cap).toUpperCase().replace(/^CAP_/, '');
          if (name === 'ALL' || name === 'SYS_ADMIN') add('privileged', `${at()}.capabilities.add`, `container "${c.name}" adds capability ${name}, which is as good as privileged`, `add only the capabilities it needs, or pass --allow-privileged`);
        }
      });
    }
  }
  return out;
}

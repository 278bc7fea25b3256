/**
 * Host access: a container that mounts the Docker socket or runs privileged owns the whole host.
 * Pure checks over IR objects, shared by the Docker target (refuses unless allowed) and the linter.
 */
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

/** Options: what the user explicitly allowed. */
export interface HostAccessOptions {
  /** Allow hostPath mounts of the Docker socket. @default false */
  readonly allowDockerSocket?: boolean;
  /** Allow privileged containers, host PID/IPC and ALL/SYS_ADMIN capabilities. @default false */
  readonly allowPrivileged?: boolean;
}

/** Paths that expose the Docker Engine API when bind-mounted. */
const SOCKET_DIRS = new Set(['/var/run', '/run', '/var/run/', '/run/', '/var/run/docker', '/run/docker']);

/** True when a hostPath exposes the Docker socket (the socket itself or the folder holding it). */
export function isDockerSocketPath(p: string): boolean {
  const norm = p.replace(/\/+/g, '/').replace(/\/$/, '') || '/';
  return /(^|\/)docker\.sock$/.test(norm) || SOCKET_DIRS.has(norm) || norm === '/';
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

/** Finds Docker-socket mounts and privileged containers; allowed rules return nothing. */
export function checkHostAccess(objects: readonly KubeObject[], options: HostAccessOptions = {}): HostAccessFinding[] {
  const out: HostAccessFinding[] = [];
  objects.forEach((o, index) => {
    const ps = podSpecOf(o);
    if (!ps) return;
    const object = describeObject(o);
    const add = (rule: HostAccessRule, field: string, message: string, fix: string) => out.push({ rule, index, object, field, message, fix });
    if (!options.allowDockerSocket) {
      (ps.spec.volumes ?? []).forEach((v: any, i: number) => {
        const p = v?.hostPath?.path;
        if (typeof p === 'string' && isDockerSocketPath(p)) {
          add('docker-socket', `${ps.path}.volumes[${i}].hostPath.path`, `volume "${v.name}" mounts ${p} from the host, which exposes the Docker socket: the container would control the whole host`,
            'remove the hostPath volume, or pass --allow-docker-socket if this container really must drive Docker');
        }
      });
    }
    if (!options.allowPrivileged) {
      for (const flag of ['hostPID', 'hostIPC'] as const) {
        if (ps.spec[flag] === true) add('privileged', `${ps.path}.${flag}`, `${flag}: true shares the host's process namespace`, 'remove it, or pass --allow-privileged');
      }
      const groups: Array<[string, any[]]> = [['containers', ps.spec.containers ?? []], ['initContainers', ps.spec.initContainers ?? []]];
      for (const [group, list] of groups) {
        list.forEach((c: any, i: number) => {
          const sc = c?.securityContext ?? {};
          const at = `${ps.path}.${group}[${i}].securityContext`;
          if (sc.privileged === true) add('privileged', `${at}.privileged`, `container "${c.name}" is privileged: it gets every device and capability of the host`, 'remove privileged: true, or pass --allow-privileged');
          const caps: unknown[] = sc.capabilities?.add ?? [];
          for (const cap of caps) {
            const name = String(cap).toUpperCase().replace(/^CAP_/, '');
            if (name === 'ALL' || name === 'SYS_ADMIN') add('privileged', `${at}.capabilities.add`, `container "${c.name}" adds capability ${name}, which is as good as privileged`, `add only the capabilities it needs, or pass --allow-privileged`);
          }
        });
      }
    }
  });
  return out;
}

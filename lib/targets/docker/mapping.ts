/**
 * Small pure mappings from Kubernetes fields to Docker settings, one per concern. The planner composes
 * them; tests call them directly. None of them reads anything but its arguments.
 */
import { HealthcheckPlan, ResourcesPlan, RestartPlan } from './plan';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses a Kubernetes quantity (`128Mi`, `1G`, `500m`, `0.5`, `1e3`) to a number; undefined when malformed. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return base * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** resources.limits/requests -> Docker Memory, MemoryReservation, NanoCpus, CpuShares. */
export function mapResources(resources: any): { resources: ResourcesPlan; problems: string[] } {
  const problems: string[] = [];
  const out: { -readonly [K in keyof ResourcesPlan]: ResourcesPlan[K] } = {};
  const read = (group: 'limits' | 'requests', key: string): number | undefined => {
    const raw = resources?.[group]?.[key];
    if (raw === undefined) return undefined;
    const v = parseQuantity(raw);
    if (v === undefined || v < 0) problems.push(`resources.${group}.${key} "${raw}" is not a Kubernetes quantity (e.g. 128Mi, 500m)`);
    return v;
  };
  const memLimit = read('limits', 'memory');
  const memReq = read('requests', 'memory');
  const cpuLimit = read('limits', 'cpu');
  const cpuReq = read('requests', 'cpu');
  if (memLimit !== undefined) out.memoryBytes = Math.round(memLimit);
  if (memReq !== undefined) out.memoryReservationBytes = Math.round(memReq);
  if (cpuLimit !== undefined) out.nanoCpus = Math.round(cpuLimit * 1e9);
  // Docker's minimum share weight is 2; requests below 2/1024 CPU would be rejected.
  if (cpuReq !== undefined) out.cpuShares = Math.max(2, Math.round(cpuReq * 1024));
  if (out.memoryBytes !== undefined && out.memoryBytes < 6 * 2 ** 20) problems.push(`resources.limits.memory ${out.memoryBytes} bytes is below Docker's minimum of 6Mi`);
  return { resources: out, problems };
}

/**
 * Pod restartPolicy and the owning kind -> Docker restart policy. Controllers keep pods running
 * whatever happens (`always`, which also survives an engine restart); a bare pod stopped by hand
 * stays stopped, as a deleted pod would (`unless-stopped`).
 */
export function mapRestartPolicy(restartPolicy: unknown, kind: string): RestartPlan {
  const policy = typeof restartPolicy === 'string' ? restartPolicy : 'Always';
  if (policy === 'Never') return { name: 'no', maximumRetryCount: 0 };
  if (policy === 'OnFailure') return { name: 'on-failure', maximumRetryCount: 0 };
  return { name: kind === 'Pod' ? 'unless-stopped' : 'always', maximumRetryCount: 0 };
}

const SECOND_NS = 1e9;

/**
 * A probe -> Docker healthcheck. `exec` runs as is; `httpGet` and `tcpSocket` become shell commands
 * using `wget` / `nc` from the image (busybox and most distro images have one of them), because
 * Docker has no native HTTP or TCP check.
 */
export function mapProbe(probe: any, namedPorts: Record<string, number> = {}): { healthcheck?: HealthcheckPlan; problem?: string } {
  if (!probe || typeof probe !== 'object') return {};
  let test: string[] | undefined;
  const portOf = (p: unknown): number | undefined => (typeof p === 'number' ? p : typeof p === 'string' ? (/^\d+$/.test(p) ? Number(p) : namedPorts[p]) : undefined);
  if (probe.exec) {
    const cmd = probe.exec.command;
    if (!Array.isArray(cmd) || cmd.length === 0) return { problem: 'probe exec.command is empty' };
    test = ['CMD', ...cmd.map(String)];
  } else if (probe.httpGet) {
    const port = portOf(probe.httpGet.port);
    if (port === undefined) return { problem: `probe httpGet.port "${probe.httpGet.port}" names no container port` };
    const scheme = String(probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const pathPart = String(probe.httpGet.path ?? '/');
    const url = `${scheme}://127.0.0.1:${port}${pathPart.startsWith('/') ? '' : '/'}${pathPart}`;
    test = ['CMD-SHELL', `wget -q -O /dev/null '${url}' || curl -fsS -o /dev/null '${url}'`];
  } else if (probe.tcpSocket) {
    const port = portOf(probe.tcpSocket.port);
    if (port === undefined) return { problem: `probe tcpSocket.port "${probe.tcpSocket.port}" names no container port` };
    test = ['CMD-SHELL', `nc -z 127.0.0.1 ${port} 2>/dev/null || nc -w 2 127.0.0.1 ${port} </dev/null`];
  } else if (probe.grpc) {
    return { problem: 'grpc probes have no Docker equivalent' };
  } else return { problem: 'probe has no exec, httpGet or tcpSocket handler' };
  const seconds = (v: unknown, dflt: number) => (typeof v === 'number' && v >= 0 ? v : dflt);
  return {
    healthcheck: {
      test,
      intervalNs: seconds(probe.periodSeconds, 10) * SECOND_NS,
      timeoutNs: seconds(probe.timeoutSeconds, 1) * SECOND_NS,
      startPeriodNs: seconds(probe.initialDelaySeconds, 0) * SECOND_NS,
      retries: Math.max(1, seconds(probe.failureThreshold, 3)),
    },
  };
}

/**
 * Kubernetes `$(VAR)` expansion: references to known variables are replaced, `$$(VAR)` becomes a
 * literal `$(VAR)`, and unknown references stay as written (as the kubelet does).
 */
export function expandVars(text: string, vars: ReadonlyMap<string, string> | Record<string, string>): string {
  const get = (k: string) => (vars instanceof Map ? vars.get(k) : (vars as Record<string, string>)[k]);
  return text.replace(/\$\$|\$\(([A-Za-z_][-._A-Za-z0-9]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = get(name!);
    return v === undefined ? m : v;
  });
}

/** What `mapSecurityContext` gives: Docker settings, and the fields Docker cannot honour. */
export interface SecurityMapping {
  readonly user?: string;
  readonly readOnly: boolean;
  readonly capAdd: string[];
  readonly capDrop: string[];
  readonly privileged: boolean;
  readonly uid: number;
  readonly gid: number;
  /** HostConfig.SecurityOpt: no-new-privileges, seccomp, apparmor, SELinux labels. */
  readonly securityOpt: string[];
  /** Fields with no Docker equivalent, `[field, why]`: refused (or skipped with --skip-unsupported), never dropped in silence. */
  readonly unsupported: Array<[string, string]>;
}

/** A Kubernetes seccomp/AppArmor profile (field or `localhost/x`, `runtime/default`, `unconfined` annotation) -> a Docker security option. */
function profileOpt(kind: 'seccomp' | 'apparmor', profile: any, unsupported: Array<[string, string]>, field: string): string | undefined {
  const type = profile?.type;
  if (type === undefined || type === 'RuntimeDefault') return undefined; // Docker applies its default profile
  if (type === 'Unconfined') return `${kind}=unconfined`; // the privileged guard refused it unless --allow-privileged
  if (type === 'Localhost' && kind === 'apparmor' && typeof profile.localhostProfile === 'string') return `apparmor=${profile.localhostProfile}`;
  unsupported.push([field, kind === 'seccomp' ? `seccompProfile ${String(type)} names a profile file on the node; Docker needs the profile's JSON, so it cannot be applied` : `appArmorProfile ${String(type)} cannot be applied`]);
  return undefined;
}

/**
 * securityContext (pod and container, container wins) -> Docker user, readOnly, capabilities,
 * privileged and security options. `apparmorAnnotation` is the pod's
 * `container.apparmor.security.beta.kubernetes.io/<container>` value, if any.
 */
export function mapSecurityContext(podSc: any, sc: any, apparmorAnnotation?: string): SecurityMapping {
  const uid = sc?.runAsUser ?? podSc?.runAsUser;
  const gid = sc?.runAsGroup ?? podSc?.runAsGroup;
  const user = uid !== undefined ? (gid !== undefined ? `${uid}:${gid}` : String(uid)) : undefined;
  const caps = (list: unknown) => (Array.isArray(list) ? list.map((c) => String(c).trim().toUpperCase().replace(/^CAP_/, '')).sort() : []);
  const fsGroup = podSc?.fsGroup;
  const unsupported: Array<[string, string]> = [];
  const securityOpt: string[] = [];
  if (sc?.allowPrivilegeEscalation === false) securityOpt.push('no-new-privileges:true');
  const seccomp = profileOpt('seccomp', sc?.seccompProfile ?? podSc?.seccompProfile, unsupported, 'seccompProfile');
  if (seccomp) securityOpt.push(seccomp);
  const annotated = typeof apparmorAnnotation === 'string' ? apparmorAnnotation.trim() : undefined;
  const apparmorField = sc?.appArmorProfile ?? podSc?.appArmorProfile
    ?? (annotated === undefined ? undefined : annotated === 'runtime/default' ? { type: 'RuntimeDefault' } : annotated.toLowerCase() === 'unconfined' ? { type: 'Unconfined' }
      : annotated.startsWith('localhost/') ? { type: 'Localhost', localhostProfile: annotated.slice('localhost/'.length) } : { type: annotated });
  const apparmor = profileOpt('apparmor', apparmorField, unsupported, 'appArmorProfile');
  if (apparmor) securityOpt.push(apparmor);
  const se = sc?.seLinuxOptions ?? podSc?.seLinuxOptions;
  for (const k of ['user', 'role', 'type', 'level']) if (se && typeof se[k] === 'string' && se[k] !== '') securityOpt.push(`label=${k}:${se[k]}`);
  if (sc?.procMount !== undefined && sc.procMount !== 'Default') unsupported.push(['procMount', `procMount ${String(sc.procMount)} cannot be applied (Docker always masks /proc)`]);
  if ((sc?.runAsNonRoot ?? podSc?.runAsNonRoot) === true && typeof uid !== 'number') unsupported.push(['runAsNonRoot', 'runAsNonRoot: true is not enforced by Docker (it would run the image\'s user, root or not); set runAsUser to a non-zero UID']);
  for (const k of ['supplementalGroups', 'sysctls']) if (Array.isArray(podSc?.[k]) && podSc[k].length) unsupported.push([k, `the pod's ${k} cannot be applied on Docker`]);
  return {
    user,
    readOnly: sc?.readOnlyRootFilesystem === true,
    capAdd: caps(sc?.capabilities?.add),
    capDrop: caps(sc?.capabilities?.drop),
    privileged: sc?.privileged === true,
    uid: typeof uid === 'number' ? uid : 0,
    gid: typeof fsGroup === 'number' ? fsGroup : typeof gid === 'number' ? gid : typeof uid === 'number' ? uid : 0,
    securityOpt,
    unsupported,
  };
}

/** Resolves an int-or-percent (`1`, `"25%"`) against a total, rounding as Kubernetes does: down (maxUnavailable), or up (`roundUp`, maxSurge). */
export function resolveIntOrPercent(v: unknown, total: number, dflt: number, roundUp = false): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return (roundUp ? Math.ceil : Math.floor)((Number(v.slice(0, -1)) * total) / 100);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return dflt;
}

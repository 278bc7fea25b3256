import * as path from 'node:path';
import { KubeObject } from '../core/manifests';
import { HostAccessFinding, HostAccessRule, isDockerSocketPath, podSpecHostAccess, podSpecMayTouchHost, podSpecOf as hostAccessPodSpecOf } from './host-access';
import { asList, asMap, containerLabel, ContainerAt, getIn, LONG_RUNNING_KINDS, podSpecOf, RunMemo, workloadOf } from './pod-spec';
import { FieldPath, PolicyRule, RuleHit } from './types';

/**
 * Rules about what a pod runs: images, resources, security context, host access, probes.
 * Severities follow kube-linter and Polaris defaults: what hands over the host is an error, hygiene
 * that a cluster survives without is a warning.
 */

/** Splits `registry:5000/app:1.2@sha256:...` into its tag and digest (either may be absent). */
export function imageTag(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  const tag = colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : undefined;
  return { tag, digest };
}

/** Parses `spec.template.spec.volumes[0].hostPath.path` into `['spec', ..., 'volumes', 0, ...]`. */
export function parseFieldPath(field: string): FieldPath {
  return field.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Per-container rule helper: runs `each` on every container of a workload's pod spec. */
function perContainer(obj: KubeObject, withInit: boolean, each: (c: ContainerAt, pod: Record<string, unknown>) => RuleHit | RuleHit[] | undefined): RuleHit[] {
  const w = workloadOf(obj);
  if (!w) return [];
  const out: RuleHit[] = [];
  for (const c of withInit ? w.all : w.main) {
    const hit = each(c, w.pod.spec);
    if (Array.isArray(hit)) out.push(...hit); else if (hit) out.push(hit);
  }
  return out;
}

export const imageLatestTag: PolicyRule = {
  id: 'image-latest-tag',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'image has no tag or uses `:latest`, so what runs changes under you',
  fix: 'pin a version tag (nginx:1.27) or a digest (nginx@sha256:...)',
  check: (obj) => perContainer(obj, true, (c) => {
    const image = c.container.image;
    if (typeof image !== 'string' || image === '') return undefined;
    const { tag, digest } = imageTag(image);
    if (digest) return undefined;
    if (tag === undefined) return { message: `${containerLabel(c)} uses image "${image}" with no tag, which means :latest`, path: [...c.path, 'image'] };
    if (tag === 'latest') return { message: `${containerLabel(c)} uses image "${image}"; :latest changes under you and cannot be rolled back`, path: [...c.path, 'image'] };
    return undefined;
  }),
};

function missingResources(c: Record<string, unknown>, kind: 'requests' | 'limits'): string[] {
  const r = asMap(getIn(c, ['resources', kind])) ?? {};
  return ['cpu', 'memory'].filter((k) => r[k] === undefined || r[k] === null || r[k] === '');
}

export const resourceRequestsMissing: PolicyRule = {
  id: 'resource-requests-missing',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'container has no CPU or memory request, so the scheduler cannot place it well',
  fix: 'set resources.requests.cpu and resources.requests.memory (e.g. 100m and 128Mi)',
  check: (obj) => perContainer(obj, false, (c) => {
    const missing = missingResources(c.container, 'requests');
    return missing.length ? { message: `${containerLabel(c)} has no ${missing.join(' and ')} request`, path: [...c.path, 'resources'] } : undefined;
  }),
};

export const resourceLimitsMissing: PolicyRule = {
  id: 'resource-limits-missing',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'container has no CPU or memory limit, so one pod can starve its node',
  fix: 'set resources.limits.cpu and resources.limits.memory (at least memory)',
  check: (obj) => perContainer(obj, false, (c) => {
    const missing = missingResources(c.container, 'limits');
    return missing.length ? { message: `${containerLabel(c)} has no ${missing.join(' and ')} limit`, path: [...c.path, 'resources'] } : undefined;
  }),
};

export const runAsNonRoot: PolicyRule = {
  id: 'run-as-non-root',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'container may run as root (no `runAsNonRoot: true` and no non-zero `runAsUser`)',
  fix: 'set securityContext.runAsNonRoot: true and runAsUser to a non-zero UID, or use an image with a non-root USER',
  check: (obj) => perContainer(obj, true, (c, pod) => {
    const podSc = asMap(pod.securityContext) ?? {};
    const sc = asMap(c.container.securityContext) ?? {};
    const user = sc.runAsUser ?? podSc.runAsUser;
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (user === 0) return { message: `${containerLabel(c)} runs as root (runAsUser: 0)`, path: [...c.path, 'securityContext'] };
    if (nonRoot === true || (typeof user === 'number' && user > 0)) return undefined;
    return { message: `${containerLabel(c)} may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser`, path: [...c.path, 'securityContext'] };
  }),
};

export const privilegeEscalation: PolicyRule = {
  id: 'privilege-escalation',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'container allows privilege escalation (setuid binaries can gain root)',
  fix: 'set securityContext.allowPrivilegeEscalation: false',
  check: (obj) => perContainer(obj, true, (c) => {
    const v = getIn(c.container, ['securityContext', 'allowPrivilegeEscalation']);
    if (v === false) return undefined;
    return { message: v === true ? `${containerLabel(c)} sets allowPrivilegeEscalation: true` : `${containerLabel(c)} does not set allowPrivilegeEscalation: false (Kubernetes defaults to true)`, path: [...c.path, 'securityContext'] };
  }),
};

/**
 * A copy of `obj` whose value at `path` is `fn(value)`; everything off the path is shared, not copied,
 * and `obj` itself is returned when `fn` changes nothing (the usual case: most objects are well formed).
 */
function replaceAt(obj: unknown, path: FieldPath, fn: (v: unknown) => unknown, from = 0): unknown {
  if (from === path.length) return fn(obj);
  const map = asMap(obj);
  const key = path[from];
  if (!map || !(key in map)) return obj;
  const value = replaceAt(map[key], path, fn, from + 1);
  return value === map[key] ? map : { ...map, [key]: value };
}

/** `list.map(fn)`, or `list` itself when `fn` returns every item unchanged. */
function mapShared(list: unknown[], fn: (v: unknown) => unknown): unknown[] {
  let out: unknown[] | undefined;
  list.forEach((v, i) => {
    const w = fn(v);
    if (w !== v) (out ??= list.slice())[i] = w;
  });
  return out ?? list;
}

/** A container whose `securityContext.capabilities.add` is a list (`"SYS_ADMIN"` becomes `["SYS_ADMIN"]`). */
function normalizeContainer(c: unknown): unknown {
  return replaceAt(c, ['securityContext', 'capabilities', 'add'], (add) => (Array.isArray(add) ? add : typeof add === 'string' ? [add] : []));
}

/** A volume whose `hostPath.path` is normalized (`/tmp/../run/` -> `/run`), so spelling cannot hide the socket folder. */
function normalizeVolume(v: unknown): unknown {
  return replaceAt(v, ['hostPath', 'path'], (p) => (typeof p === 'string' ? normalizeHostPath(p) : p));
}

/**
 * The pod spec with every list the host-access check walks made a list (`containers: "web"` -> []),
 * so one malformed field cannot make it throw and hide a socket mount elsewhere in the pod. The
 * schema check reports the malformed field itself; indices of the real list entries are kept.
 */
export function normalizePodSpecLists(spec: unknown): unknown {
  const map = asMap(spec);
  if (!map) return spec;
  let out: Record<string, unknown> | undefined;
  for (const field of ['volumes', 'containers', 'initContainers', 'ephemeralContainers']) {
    if (!(field in map)) continue;
    const list = mapShared(asList(map[field]), field === 'volumes' ? normalizeVolume : normalizeContainer);
    if (list !== map[field]) (out ??= { ...map })[field] = list;
  }
  return out ?? map;
}

/** The host-access findings of an object, or what the check threw; once per run for both rules that ask. */
const hostAccessOf = new RunMemo((obj: KubeObject): { found?: HostAccessFinding[]; error?: unknown } => {
  const ps = hostAccessPodSpecOf(obj);
  if (!ps || !podSpecMayTouchHost(ps.spec)) return { found: [] };
  try {
    // Only the pod spec that checkHostAccess reads is normalized (normalizing leaves which one it picks alone).
    return { found: podSpecHostAccess(obj, 0, { spec: normalizePodSpecLists(ps.spec), path: ps.path }) };
  } catch (error) {
    return { error };
  }
});

/** Wraps the shared host-access check (also used by the Docker target) as a rule, so both decide alike. */
function hostAccessRule(rule: HostAccessRule, summary: string, fix: string): PolicyRule {
  return {
    id: rule,
    severity: 'error',
    summary,
    fix,
    check: (obj) => {
      const { found, error } = hostAccessOf.get(obj);
      if (!found) {
        // Normalizing should leave nothing to throw on; if something still does, fail closed: an
        // unreadable pod must not lint clean when it may hand over the host.
        const pod = podSpecOf(obj);
        return [{
          message: `could not be checked for ${rule} because a field is malformed (${error instanceof Error ? error.message : String(error)})`,
          path: pod ? pod.path : ['spec'],
          fix: 'fix the object so it passes `dockyard validate`, then lint it again',
        }];
      }
      if (found.length === 0) return []; // the usual case
      return found.filter((f) => f.rule === rule).map((f) => {
        const at = parseFieldPath(f.field);
        // The check saw the normalized host path; name it as the user wrote it (`/run/`, `//var/run`).
        const raw = at[at.length - 1] === 'path' ? getIn(obj, at) : undefined;
        const message = typeof raw === 'string' ? f.message.replace(`mounts ${normalizeHostPath(raw)} from`, `mounts ${raw} from`) : f.message;
        return { message, path: at };
      });
    },
  };
}

export const dockerSocket = hostAccessRule('docker-socket',
  'hostPath volume exposes a container engine socket (docker.sock, containerd, podman, CRI-O) or a folder holding one (/run, /var, /proc, /): the container owns the host',
  'remove the hostPath volume; if the container really must drive Docker, suppress with a reason and deploy with --allow-docker-socket');

export const privileged = hostAccessRule('privileged',
  'privileged container, `hostPID`/`hostIPC`, or capability ALL/SYS_ADMIN: the pod can take over the host',
  'remove privileged: true, hostPID/hostIPC and broad capabilities; add only the capabilities needed (e.g. NET_BIND_SERVICE)');

/**
 * Host paths that give away the node (credentials, kernel interfaces, other containers' data).
 * A folder that contains one of them gives it away too (`/var` holds `/var/lib/kubelet`), so the
 * check goes both ways; `/` is the docker-socket rule's.
 */
const SENSITIVE_PATHS = ['/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/etc', '/proc', '/sys', '/dev', '/boot',
  '/root', '/home', '/etc/kubernetes', '/var/log', '/run/containerd', '/var/run/containerd', '/var/run/crio', '/run/crio'];

/**
 * The host path as the kernel resolves it: `.`, `..`, repeated and trailing slashes removed
 * (`/tmp/../run/` -> `/run`). Symlinks on the node cannot be seen from here.
 */
export function normalizeHostPath(p: string): string {
  const norm = path.posix.normalize(p);
  return norm.length > 1 && norm.endsWith('/') ? norm.slice(0, -1) : norm;
}

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

export const sensitiveHostPath: PolicyRule = {
  id: 'sensitive-host-path',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'hostPath volume of a sensitive host folder (/etc, /proc, /sys, /var/lib/kubelet, runtime sockets, ...) or of a folder containing one (/var, /var/lib)',
  fix: 'use a ConfigMap, Secret, emptyDir or PersistentVolumeClaim instead of the host folder',
  check: (obj) => {
    const pod = podSpecOf(obj);
    if (!pod) return [];
    const out: RuleHit[] = [];
    asList(pod.spec.volumes).forEach((v, i) => {
      const p = getIn(v, ['hostPath', 'path']);
      if (typeof p !== 'string') return;
      // The Docker socket, its folders and `/` are the docker-socket rule's (which sees the same
      // normalized path, see normalizePodSpecLists); report each mount once.
      if (isDockerSocketPath(normalizeHostPath(p))) return;
      const hit = sensitiveHostPathOf(p);
      if (!hit) return;
      const why = hit.relation === 'contains' ? `, which contains ${hit.sensitive}` : '';
      out.push({ message: `volume "${String(getIn(v, ['name']))}" mounts ${p} from the host${why}`, path: [...pod.path, 'volumes', i, 'hostPath', 'path'] });
    });
    return out;
  },
};

export const hostNetwork: PolicyRule = {
  id: 'host-network',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: '`hostNetwork: true`: the pod shares the node\'s network stack and ports',
  fix: 'remove hostNetwork and expose the port with a Service (or a hostPort if you must)',
  check: (obj) => {
    const pod = podSpecOf(obj);
    return pod && pod.spec.hostNetwork === true ? [{ message: 'pod uses hostNetwork: true and sees every interface of the node', path: [...pod.path, 'hostNetwork'] }] : [];
  },
};

export const probesMissing: PolicyRule = {
  id: 'probes-missing',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'long-running container has no readiness, liveness or startup probe',
  fix: 'add a readinessProbe (and a livenessProbe), e.g. an httpGet on the serving port',
  check: (obj) => {
    if (!LONG_RUNNING_KINDS.has(obj.kind)) return [];
    if (obj.kind === 'Pod' && ['Never', 'OnFailure'].includes(String(getIn(obj, ['spec', 'restartPolicy'])))) return [];
    return perContainer(obj, false, (c) => {
      const has = ['readinessProbe', 'livenessProbe', 'startupProbe'].some((p) => asMap(c.container[p]));
      return has ? undefined : { message: `${containerLabel(c)} has no probe, so traffic reaches it before it is ready and a hung process is never restarted`, path: c.path };
    });
  },
};

/** The rules of this file, in table order. */
export const WORKLOAD_RULES: readonly PolicyRule[] = [
  dockerSocket, privileged, sensitiveHostPath, hostNetwork, privilegeEscalation, runAsNonRoot,
  imageLatestTag, resourceRequestsMissing, resourceLimitsMissing, probesMissing,
];

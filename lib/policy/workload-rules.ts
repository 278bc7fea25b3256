import { asMap, getIn } from '../core/json';
import { KubeObject } from '../core/manifests';
import { containerLabel, ContainerAt, LONG_RUNNING_KINDS } from '../ir/pod-spec';
import { podSpecOf, workloadOf } from './run-cache';
import { PolicyRule, RuleHit } from './types';

/**
 * Rules about what a pod runs: images, resources, security context, probes (host access is
 * `guard-rules.ts`'s).
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
  hostNetwork, privilegeEscalation, runAsNonRoot,
  imageLatestTag, resourceRequestsMissing, resourceLimitsMissing, probesMissing,
];

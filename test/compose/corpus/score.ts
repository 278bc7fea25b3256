/**
 * Field-by-field scoring of a conversion against what a careful engineer expects. Each container of
 * the output is reduced to the fields a user checks after a migration (pod, image, replicas, ports,
 * published ports, resolved env, command, args, mounts, probes, restart policy, resources); every
 * field of every expected service counts, with the defaults below for fields the expectation omits.
 */
import type { KubeObject } from '../../../lib/core/manifests';

/** What one compose service is expected to become. Omitted fields take `DEFAULTS`. */
export interface ExpectedService {
  /** The workload whose pod runs the container. @default the service name */
  pod?: string;
  kind?: string;
  image?: string;
  replicas?: number | null;
  /** Ports the service's own Service answers on (as `web:80` in compose). @default [] */
  ports?: number[];
  /** Published host port -> container port. @default {} */
  published?: Record<string, number>;
  env?: Record<string, string>;
  command?: string[] | null;
  args?: string[] | null;
  /** Mount path -> `pvc:<claim>`, `memory`, `emptyDir`, `host:<path>`, `configmap:<key,...>`, `secret:<key,...>`. */
  mounts?: Record<string, string>;
  readiness?: ProbeFields | null;
  startup?: ProbeFields | null;
  liveness?: ProbeFields | null;
  restart?: string;
  resources?: Record<string, string> | null;
}

/** A probe reduced to what matters: the command and its timing. */
export interface ProbeFields { command: string[]; period: number; timeout: number; failures: number }

/** The fields scored for every container, in report order. */
export const FIELDS = ['pod', 'kind', 'image', 'replicas', 'ports', 'published', 'env', 'command', 'args', 'mounts', 'readiness', 'startup', 'liveness', 'restart', 'resources'] as const;

const DEFAULTS: Partial<Record<(typeof FIELDS)[number], unknown>> = {
  kind: 'Deployment', replicas: 1, ports: [], published: {}, env: {}, command: null, args: null, mounts: {}, readiness: null, startup: null, liveness: null, restart: 'Always', resources: null,
};

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'ReplicationController', 'StatefulSet', 'Pod']);

function podSpec(o: any): any { return o.kind === 'Pod' ? o.spec : o.spec?.template?.spec; }
function labelsOf(o: any): Record<string, string> { return (o.kind === 'Pod' ? o.metadata?.labels : o.spec?.template?.metadata?.labels) ?? {}; }
const selects = (svc: any, labels: Record<string, string>) => svc.spec?.selector && Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v);

function probe(p: any): ProbeFields | null {
  if (!p) return null;
  return { command: p.exec?.command ?? [], period: p.periodSeconds ?? 10, timeout: p.timeoutSeconds ?? 1, failures: p.failureThreshold ?? 3 };
}

/** Each container of the output as the expected fields, keyed by container name. */
export function actualServices(objects: readonly KubeObject[]): Record<string, Record<string, unknown>> {
  const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name) as any;
  const services = objects.filter((o) => o.kind === 'Service') as any[];
  const out: Record<string, Record<string, unknown>> = {};
  for (const w of objects.filter((o) => WORKLOADS.has(o.kind)) as any[]) {
    const spec = podSpec(w);
    const labels = labelsOf(w);
    const volumes: Record<string, any> = Object.fromEntries((spec.volumes ?? []).map((v: any) => [v.name, v]));
    const own = services.find((s) => s.metadata.name === w.metadata.name && selects(s, labels));
    const published: Record<string, number> = {};
    for (const s of services.filter((x) => selects(x, labels) && (x.spec.type === 'LoadBalancer' || x.spec.type === 'NodePort'))) {
      for (const p of s.spec.ports ?? []) published[String(p.nodePort ?? p.port)] = Number(p.targetPort ?? p.port);
    }
    spec.containers.forEach((c: any, i: number) => {
      const env: Record<string, string> = {};
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef) Object.assign(env, byName('ConfigMap', e.configMapRef.name)?.data ?? {});
        if (e.secretRef) for (const [k, v] of Object.entries(byName('Secret', e.secretRef.name)?.data ?? {})) env[k] = Buffer.from(String(v), 'base64').toString();
      }
      for (const e of c.env ?? []) env[e.name] = e.value ?? `<${Object.keys(e.valueFrom ?? {})[0]}>`;
      const mounts: Record<string, string> = {};
      for (const m of c.volumeMounts ?? []) {
        const v = volumes[m.name] ?? {};
        const keys = (src: any) => (m.subPath ? m.subPath : (src.items?.map((x: any) => x.key) ?? Object.keys(byName(v.secret ? 'Secret' : 'ConfigMap', src.secretName ?? src.name)?.data ?? {})).sort().join(','));
        mounts[m.mountPath] = v.persistentVolumeClaim ? `pvc:${v.persistentVolumeClaim.claimName}`
          : v.emptyDir ? (v.emptyDir.medium === 'Memory' ? 'memory' : 'emptyDir')
            : v.hostPath ? `host:${v.hostPath.path}`
              : v.configMap ? `configmap:${keys(v.configMap)}`
                : v.secret ? `secret:${keys(v.secret)}` : 'other';
      }
      const res = c.resources ? Object.fromEntries([...Object.entries(c.resources.limits ?? {}).map(([k, v]) => [`limits.${k}`, String(v)]), ...Object.entries(c.resources.requests ?? {}).map(([k, v]) => [`requests.${k}`, String(v)])]) : null;
      out[c.name] = {
        pod: w.metadata.name,
        kind: w.kind,
        image: c.image,
        replicas: w.kind === 'DaemonSet' || w.kind === 'Pod' ? null : (w.spec.replicas ?? 1),
        ports: i === 0 && own ? (own.spec.ports ?? []).map((p: any) => p.port).sort((a: number, b: number) => a - b) : [],
        published: i === 0 ? published : {},
        env,
        command: c.command ?? null,
        args: c.args ?? null,
        mounts,
        readiness: probe(c.readinessProbe),
        startup: probe(c.startupProbe),
        liveness: probe(c.livenessProbe),
        restart: spec.restartPolicy ?? 'Always',
        resources: res && Object.keys(res).length ? res : null,
      };
    });
  }
  return out;
}

/** One scored field. */
export interface FieldResult { service: string; field: string; ok: boolean; expected: unknown; actual: unknown }

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/** Scores every field of every expected service against the output. */
export function score(expected: Record<string, ExpectedService>, objects: readonly KubeObject[]): FieldResult[] {
  const actual = actualServices(objects);
  const out: FieldResult[] = [];
  for (const [svc, exp] of Object.entries(expected)) {
    const act = actual[svc];
    for (const f of FIELDS) {
      const e = f in exp ? (exp as Record<string, unknown>)[f] : f === 'pod' ? svc : DEFAULTS[f];
      const a = act?.[f];
      out.push({ service: svc, field: f, ok: act !== undefined && canon(e) === canon(a ?? null), expected: e, actual: a });
    }
  }
  return out;
}

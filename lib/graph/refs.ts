/**
 * Small pure readers of the relations inside one Kubernetes object: the pod template of a workload,
 * the ConfigMaps and Secrets a pod spec reads, the Services an Ingress routes to. The graph model
 * (model.ts) joins them across objects; tests call these directly.
 */
import { KubeObject } from '../core/manifests';
import { isRecord, selectorMatches } from '../ir/objects';

/** Labels and spec of the pods a workload runs. */
export interface PodTemplate {
  /** Labels the pods carry (what a Service selector is matched against). */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod spec. */
  readonly spec: Record<string, unknown>;
  /** Field path of the pod spec inside the object, for locations. */
  readonly specPath: readonly (string | number)[];
}

/** A reference from one object to another by name, in the referring object's namespace. */
export interface ObjectRef {
  /** Kind of the object referred to. */
  readonly kind: 'ConfigMap' | 'Secret' | 'Service';
  /** Its name. */
  readonly name: string;
  /** Edge label: the key when one key is read, else how it is read (`envFrom`, `volume`, ...). */
  readonly label: string;
  /** True when Kubernetes tolerates the object being absent (`optional: true`). */
  readonly optional: boolean;
  /** Field path of the reference inside the object. */
  readonly fieldPath: readonly (string | number)[];
}

/** Kinds whose objects run pods, with where their pod template is. */
const TEMPLATE_PATH: Record<string, readonly string[]> = {
  ReplicationController: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function dig(o: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = o;
  for (const p of path) cur = isRecord(cur) || Array.isArray(cur) ? (cur as any)[p] : undefined;
  return cur;
}

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** True for kinds that run pods (Pod and the workload controllers). */
export function isWorkloadKind(kind: string): boolean {
  return kind === 'Pod' || kind in TEMPLATE_PATH;
}

/**
 * The pods' labels and spec of a workload, or undefined for other kinds. A ReplicationController's
 * template labels default to its selector in Kubernetes, so the selector stands in when they are unset.
 */
export function podTemplateOf(o: KubeObject): PodTemplate | undefined {
  if (o.kind === 'Pod') return { labels: stringMap(o.metadata?.labels), spec: isRecord(o.spec) ? o.spec : {}, specPath: ['spec'] };
  const path = TEMPLATE_PATH[o.kind];
  if (!path) return undefined;
  const template = dig(o, path);
  let labels = stringMap(dig(template, ['metadata', 'labels']));
  if (o.kind === 'ReplicationController' && Object.keys(labels).length === 0) labels = stringMap(dig(o, ['spec', 'selector']));
  const spec = dig(template, ['spec']);
  return { labels, spec: isRecord(spec) ? spec : {}, specPath: [...path, 'spec'] };
}

/** A Service's selector, or undefined when it selects no pods (no selector, or type ExternalName). */
export function serviceSelector(o: KubeObject): Record<string, string> | undefined {
  if (o.kind !== 'Service' || dig(o, ['spec', 'type']) === 'ExternalName') return undefined;
  const sel = stringMap(dig(o, ['spec', 'selector']));
  return Object.keys(sel).length ? sel : undefined;
}

export { selectorMatches };

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/**
 * Every ConfigMap and Secret a pod spec reads: env `valueFrom` (labelled with the key), `envFrom`,
 * volumes (labelled with the key when `items` picks one), projected volume sources and image pull
 * secrets. Field paths are relative to the pod spec.
 */
export function podSpecRefs(spec: Record<string, unknown>): ObjectRef[] {
  const out: ObjectRef[] = [];
  const push = (kind: 'ConfigMap' | 'Secret', name: unknown, label: string, optional: unknown, fieldPath: (string | number)[]) => {
    if (typeof name === 'string' && name !== '') out.push({ kind, name, label, optional: optional === true, fieldPath });
  };
  for (const list of CONTAINER_LISTS) {
    const containers = Array.isArray(spec[list]) ? (spec[list] as unknown[]) : [];
    containers.forEach((c, ci) => {
      const env = isRecord(c) && Array.isArray(c.env) ? c.env : [];
      env.forEach((e: unknown, ei: number) => {
        const cm = dig(e, ['valueFrom', 'configMapKeyRef']);
        const sec = dig(e, ['valueFrom', 'secretKeyRef']);
        if (isRecord(cm)) push('ConfigMap', cm.name, String(cm.key ?? 'env'), cm.optional, [list, ci, 'env', ei, 'valueFrom', 'configMapKeyRef']);
        if (isRecord(sec)) push('Secret', sec.name, String(sec.key ?? 'env'), sec.optional, [list, ci, 'env', ei, 'valueFrom', 'secretKeyRef']);
      });
      const envFrom = isRecord(c) && Array.isArray(c.envFrom) ? c.envFrom : [];
      envFrom.forEach((e: unknown, ei: number) => {
        const cm = dig(e, ['configMapRef']);
        const sec = dig(e, ['secretRef']);
        if (isRecord(cm)) push('ConfigMap', cm.name, 'envFrom', cm.optional, [list, ci, 'envFrom', ei, 'configMapRef']);
        if (isRecord(sec)) push('Secret', sec.name, 'envFrom', sec.optional, [list, ci, 'envFrom', ei, 'secretRef']);
      });
    });
  }
  const volumeLabel = (items: unknown) => (Array.isArray(items) && items.length === 1 && typeof dig(items, [0, 'key']) === 'string' ? String(dig(items, [0, 'key'])) : 'volume');
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.forEach((v: unknown, vi: number) => {
    if (!isRecord(v)) return;
    if (isRecord(v.configMap)) push('ConfigMap', v.configMap.name, volumeLabel(v.configMap.items), v.configMap.optional, ['volumes', vi, 'configMap']);
    if (isRecord(v.secret)) push('Secret', v.secret.secretName, volumeLabel(v.secret.items), v.secret.optional, ['volumes', vi, 'secret']);
    const sources = dig(v, ['projected', 'sources']);
    (Array.isArray(sources) ? sources : []).forEach((s: unknown, si: number) => {
      const cm = dig(s, ['configMap']);
      const sec = dig(s, ['secret']);
      if (isRecord(cm)) push('ConfigMap', cm.name, volumeLabel(cm.items), cm.optional, ['volumes', vi, 'projected', 'sources', si, 'configMap']);
      if (isRecord(sec)) push('Secret', sec.name, volumeLabel(sec.items), sec.optional, ['volumes', vi, 'projected', 'sources', si, 'secret']);
    });
  });
  const pulls = Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [];
  pulls.forEach((p: unknown, pi: number) => push('Secret', dig(p, ['name']), 'imagePullSecret', false, ['imagePullSecrets', pi]));
  return out;
}

/**
 * The Services an Ingress routes to (labelled `host/path`, or `default` for the default backend) and
 * its TLS Secrets. Reads networking.k8s.io/v1 backends and the older `serviceName` form.
 */
export function ingressRefs(o: KubeObject): ObjectRef[] {
  if (o.kind !== 'Ingress') return [];
  const out: ObjectRef[] = [];
  const backend = (b: unknown, label: string, fieldPath: (string | number)[]) => {
    const name = dig(b, ['service', 'name']) ?? dig(b, ['serviceName']);
    if (typeof name === 'string' && name !== '') out.push({ kind: 'Service', name, label, optional: false, fieldPath });
  };
  const spec = isRecord(o.spec) ? o.spec : {};
  backend(spec.defaultBackend ?? spec.backend, 'default', ['spec', spec.defaultBackend ? 'defaultBackend' : 'backend']);
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((r: unknown, ri: number) => {
    const host = typeof dig(r, ['host']) === 'string' ? String(dig(r, ['host'])) : '*';
    const paths = dig(r, ['http', 'paths']);
    (Array.isArray(paths) ? paths : []).forEach((p: unknown, pi: number) => {
      const path = typeof dig(p, ['path']) === 'string' ? String(dig(p, ['path'])) : '/';
      backend(dig(p, ['backend']), `${host}${path}`, ['spec', 'rules', ri, 'http', 'paths', pi, 'backend']);
    });
  });
  const tls = Array.isArray(spec.tls) ? spec.tls : [];
  tls.forEach((t: unknown, ti: number) => {
    const name = dig(t, ['secretName']);
    if (typeof name === 'string' && name !== '') out.push({ kind: 'Secret', name, label: 'tls', optional: false, fieldPath: ['spec', 'tls', ti, 'secretName'] });
  });
  return out;
}

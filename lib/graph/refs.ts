/**
 * Small pure readers of the relations inside one Kubernetes object: the pod template of a workload,
 * the ConfigMaps and Secrets a pod spec reads, the Services an Ingress routes to. The graph model
 * (model.ts) joins them across objects; tests call these directly.
 */
import { getIn, isRecord, stringMap } from '../core/json';
import { KubeObject } from '../core/manifests';
import { selectorMatches } from '../ir/objects';
import { CONTAINER_LISTS, podSpecOf, POD_TEMPLATE_PATHS } from '../ir/pod-spec';

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

/** True for kinds that carry a pod template (Pod, PodTemplate and the workload controllers; see lib/ir/pod-spec.ts). */
export function isWorkloadKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATHS, kind);
}

/**
 * The pods' labels and spec of a workload, or undefined for other kinds. A ReplicationController's
 * template labels default to its selector in Kubernetes, so the selector stands in when they are unset.
 */
export function podTemplateOf(o: KubeObject): PodTemplate | undefined {
  const pod = podSpecOf(o);
  if (!pod) return undefined;
  let labels = pod.labels;
  if (o.kind === 'ReplicationController' && Object.keys(labels).length === 0) labels = stringMap(getIn(o, ['spec', 'selector']));
  return { labels, spec: pod.spec, specPath: pod.path };
}

/** A Service's selector, or undefined when it selects no pods (no selector, or type ExternalName). */
export function serviceSelector(o: KubeObject): Record<string, string> | undefined {
  if (o.kind !== 'Service' || getIn(o, ['spec', 'type']) === 'ExternalName') return undefined;
  const sel = stringMap(getIn(o, ['spec', 'selector']));
  return Object.keys(sel).length ? sel : undefined;
}

export { selectorMatches };

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
        const cm = getIn(e, ['valueFrom', 'configMapKeyRef']);
        const sec = getIn(e, ['valueFrom', 'secretKeyRef']);
        if (isRecord(cm)) push('ConfigMap', cm.name, String(cm.key ?? 'env'), cm.optional, [list, ci, 'env', ei, 'valueFrom', 'configMapKeyRef']);
        if (isRecord(sec)) push('Secret', sec.name, String(sec.key ?? 'env'), sec.optional, [list, ci, 'env', ei, 'valueFrom', 'secretKeyRef']);
      });
      const envFrom = isRecord(c) && Array.isArray(c.envFrom) ? c.envFrom : [];
      envFrom.forEach((e: unknown, ei: number) => {
        const cm = getIn(e, ['configMapRef']);
        const sec = getIn(e, ['secretRef']);
        if (isRecord(cm)) push('ConfigMap', cm.name, 'envFrom', cm.optional, [list, ci, 'envFrom', ei, 'configMapRef']);
        if (isRecord(sec)) push('Secret', sec.name, 'envFrom', sec.optional, [list, ci, 'envFrom', ei, 'secretRef']);
      });
    });
  }
  const volumeLabel = (items: unknown) => (Array.isArray(items) && items.length === 1 && typeof getIn(items, [0, 'key']) === 'string' ? String(getIn(items, [0, 'key'])) : 'volume');
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.forEach((v: unknown, vi: number) => {
    if (!isRecord(v)) return;
    if (isRecord(v.configMap)) push('ConfigMap', v.configMap.name, volumeLabel(v.configMap.items), v.configMap.optional, ['volumes', vi, 'configMap']);
    if (isRecord(v.secret)) push('Secret', v.secret.secretName, volumeLabel(v.secret.items), v.secret.optional, ['volumes', vi, 'secret']);
    const sources = getIn(v, ['projected', 'sources']);
    (Array.isArray(sources) ? sources : []).forEach((s: unknown, si: number) => {
      const cm = getIn(s, ['configMap']);
      const sec = getIn(s, ['secret']);
      if (isRecord(cm)) push('ConfigMap', cm.name, volumeLabel(cm.items), cm.optional, ['volumes', vi, 'projected', 'sources', si, 'configMap']);
      if (isRecord(sec)) push('Secret', sec.name, volumeLabel(sec.items), sec.optional, ['volumes', vi, 'projected', 'sources', si, 'secret']);
    });
  });
  const pulls = Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [];
  pulls.forEach((p: unknown, pi: number) => push('Secret', getIn(p, ['name']), 'imagePullSecret', false, ['imagePullSecrets', pi]));
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
    const name = getIn(b, ['service', 'name']) ?? getIn(b, ['serviceName']);
    if (typeof name === 'string' && name !== '') out.push({ kind: 'Service', name, label, optional: false, fieldPath });
  };
  const spec = isRecord(o.spec) ? o.spec : {};
  backend(spec.defaultBackend ?? spec.backend, 'default', ['spec', spec.defaultBackend ? 'defaultBackend' : 'backend']);
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((r: unknown, ri: number) => {
    const host = typeof getIn(r, ['host']) === 'string' ? String(getIn(r, ['host'])) : '*';
    const paths = getIn(r, ['http', 'paths']);
    (Array.isArray(paths) ? paths : []).forEach((p: unknown, pi: number) => {
      const path = typeof getIn(p, ['path']) === 'string' ? String(getIn(p, ['path'])) : '/';
      backend(getIn(p, ['backend']), `${host}${path}`, ['spec', 'rules', ri, 'http', 'paths', pi, 'backend']);
    });
  });
  const tls = Array.isArray(spec.tls) ? spec.tls : [];
  tls.forEach((t: unknown, ti: number) => {
    const name = getIn(t, ['secretName']);
    if (typeof name === 'string' && name !== '') out.push({ kind: 'Secret', name, label: 'tls', optional: false, fieldPath: ['spec', 'tls', ti, 'secretName'] });
  });
  return out;
}

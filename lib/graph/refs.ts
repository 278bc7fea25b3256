/**
 * The graph's view of the relations inside one Kubernetes object: the pod template of a workload,
 * the ConfigMaps and Secrets a pod spec reads, the Services an Ingress routes to, read through the IR
 * toolkit (lib/ir) and labelled for edges. The graph model (model.ts) joins them across objects.
 */
import { getIn, stringMap } from '../core/json';
import { KubeObject } from '../core/manifests';
import { selectorMatches } from '../ir/objects';
import { podSpecOf, POD_TEMPLATE_PATHS } from '../ir/pod-spec';
import { ingressRefs as irIngressRefs, podSpecRefs as irPodSpecRefs } from '../ir/refs';

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
 * Every ConfigMap and Secret a pod spec reads (lib/ir/refs.ts): env `valueFrom` (labelled with the
 * key), `envFrom`, volumes (labelled with the key when `items` picks one), projected volume sources
 * and image pull secrets. Field paths, relative to the pod spec, point at the reference's mapping.
 */
export function podSpecRefs(spec: Record<string, unknown>): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const r of irPodSpecRefs(spec)) {
    if (r.kind !== 'ConfigMap' && r.kind !== 'Secret') continue;
    const label = r.via === 'env' ? r.keys[0] ?? 'env' : r.via === 'volume' || r.via === 'projected' ? (r.keys.length === 1 ? r.keys[0] : 'volume') : r.via;
    out.push({ kind: r.kind, name: r.name, label, optional: r.optional, fieldPath: r.fieldPath.slice(0, -1) });
  }
  return out;
}

/** The Services an Ingress routes to and its TLS Secrets (lib/ir/refs.ts), as graph references. */
export function ingressRefs(o: KubeObject): ObjectRef[] {
  return irIngressRefs(o).map((r) => ({ ...r, optional: false }));
}

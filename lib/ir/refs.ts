/**
 * What an object names of other objects in its namespace: a pod spec's references and an Ingress's
 * backends. The one reader of them, for policy (cross-namespace references), the graph (its edges),
 * the Pulumi ordering (register what an object names first) and Pulumi's external Secrets (the keys
 * asked for).
 */
import { asList, asMap, getIn } from '../core/json';
import type { FieldPath } from '../core/field-path';
import type { KubeObject } from '../core/manifests';
import { CONTAINER_LISTS } from './pod-spec';

/** The kinds a pod spec refers to by name. */
export type PodRefKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';

/** How a pod spec refers to an object. */
export type PodRefVia = 'env' | 'envFrom' | 'volume' | 'projected' | 'imagePullSecret' | 'claim' | 'serviceAccount';

/** One reference of a pod spec to an object by name. */
export interface PodRef {
  /** Kind of the object referred to. */
  readonly kind: PodRefKind;
  /** Its name (never empty). */
  readonly name: string;
  /** How it is read. */
  readonly via: PodRefVia;
  /** The keys read: an env var's key, or a volume's `items` keys; empty when every key is read. */
  readonly keys: readonly string[];
  /** True when Kubernetes starts the pod without the object (`optional: true`). */
  readonly optional: boolean;
  /** Path of the field holding the name, relative to the pod spec (`containers[0].env[1].valueFrom.secretKeyRef.name`). */
  readonly fieldPath: FieldPath;
}

const itemKeys = (items: unknown): string[] => asList(items).map((i) => getIn(i, ['key'])).filter((k): k is string => typeof k === 'string');

/**
 * Every object a pod spec names, in spec order: per container (init, main, ephemeral) its env
 * `valueFrom` then `envFrom` references; then volumes (ConfigMap, Secret, claim, projected sources);
 * then image pull Secrets and the ServiceAccount. Tolerates malformed input.
 */
export function podSpecRefs(spec: Record<string, unknown>): PodRef[] {
  const out: PodRef[] = [];
  const add = (kind: PodRefKind, name: unknown, via: PodRefVia, keys: string[], optional: unknown, fieldPath: FieldPath) => {
    if (typeof name === 'string' && name !== '') out.push({ kind, name, via, keys, optional: optional === true, fieldPath });
  };
  for (const list of CONTAINER_LISTS) {
    asList(spec[list]).forEach((c, ci) => {
      asList(getIn(c, ['env'])).forEach((e, ei) => {
        for (const [kind, field] of [['ConfigMap', 'configMapKeyRef'], ['Secret', 'secretKeyRef']] as const) {
          const ref = asMap(getIn(e, ['valueFrom', field]));
          if (ref) add(kind, ref.name, 'env', typeof ref.key === 'string' ? [ref.key] : [], ref.optional, [list, ci, 'env', ei, 'valueFrom', field, 'name']);
        }
      });
      asList(getIn(c, ['envFrom'])).forEach((e, ei) => {
        for (const [kind, field] of [['ConfigMap', 'configMapRef'], ['Secret', 'secretRef']] as const) {
          const ref = asMap(getIn(e, [field]));
          if (ref) add(kind, ref.name, 'envFrom', [], ref.optional, [list, ci, 'envFrom', ei, field, 'name']);
        }
      });
    });
  }
  asList(spec.volumes).forEach((v, vi) => {
    const cm = asMap(getIn(v, ['configMap']));
    if (cm) add('ConfigMap', cm.name, 'volume', itemKeys(cm.items), cm.optional, ['volumes', vi, 'configMap', 'name']);
    const secret = asMap(getIn(v, ['secret']));
    if (secret) add('Secret', secret.secretName, 'volume', itemKeys(secret.items), secret.optional, ['volumes', vi, 'secret', 'secretName']);
    add('PersistentVolumeClaim', getIn(v, ['persistentVolumeClaim', 'claimName']), 'claim', [], false, ['volumes', vi, 'persistentVolumeClaim', 'claimName']);
    asList(getIn(v, ['projected', 'sources'])).forEach((s, si) => {
      for (const [kind, field] of [['ConfigMap', 'configMap'], ['Secret', 'secret']] as const) {
        const ref = asMap(getIn(s, [field]));
        if (ref) add(kind, ref.name, 'projected', itemKeys(ref.items), ref.optional, ['volumes', vi, 'projected', 'sources', si, field, 'name']);
      }
    });
  });
  asList(spec.imagePullSecrets).forEach((p, pi) => add('Secret', getIn(p, ['name']), 'imagePullSecret', [], false, ['imagePullSecrets', pi, 'name']));
  add('ServiceAccount', spec.serviceAccountName, 'serviceAccount', [], false, ['serviceAccountName']);
  return out;
}

/** A Service an Ingress routes to, or a TLS Secret it reads. */
export interface IngressRef {
  /** Kind of the object referred to. */
  readonly kind: 'Service' | 'Secret';
  /** Its name (never empty). */
  readonly name: string;
  /** `host/path` of the route (`*` for any host), `default` for the default backend, `tls` for a Secret. */
  readonly label: string;
  /** Path of the backend, or of the Secret's name, in the Ingress. */
  readonly fieldPath: FieldPath;
}

/**
 * The Services an Ingress routes to (labelled `host/path`, or `default` for the default backend) and
 * its TLS Secrets. Reads networking.k8s.io/v1 backends and the older `serviceName` form.
 */
export function ingressRefs(o: KubeObject): IngressRef[] {
  if (o.kind !== 'Ingress') return [];
  const out: IngressRef[] = [];
  const backend = (b: unknown, label: string, fieldPath: FieldPath) => {
    const name = getIn(b, ['service', 'name']) ?? getIn(b, ['serviceName']);
    if (typeof name === 'string' && name !== '') out.push({ kind: 'Service', name, label, fieldPath });
  };
  const spec = asMap(o.spec) ?? {};
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
    if (typeof name === 'string' && name !== '') out.push({ kind: 'Secret', name, label: 'tls', fieldPath: ['spec', 'tls', ti, 'secretName'] });
  });
  return out;
}

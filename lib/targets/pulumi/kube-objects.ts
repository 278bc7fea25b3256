/**
 * Pure mappings from IR objects (plain Kubernetes objects) to what the Pulumi Kubernetes target
 * registers: resource names, registration order, dependencies and target-specific Service changes.
 * No Pulumi here, so tests call these directly and the component stays a thin translator.
 */
import { apiGroupOf, describeObject, KubeObject } from '../../core/manifests';
import { objectKey } from '../../ir/objects';
import { podSpecOf } from '../../ir/pod-spec';
import { ingressRefs, podSpecRefs as irPodSpecRefs } from '../../ir/refs';
import { DockyardError, Problem } from '../../core/errors';

/** Where a `KubernetesApp` deploys; decides how Services are exposed. */
export type KubernetesTarget = 'gke' | 'kind' | 'kubeconfig';

/** The targets `KubernetesApp` accepts, for messages and config checks. */
export const KUBERNETES_TARGETS: readonly KubernetesTarget[] = ['gke', 'kind', 'kubeconfig'];

export { objectKey };

/**
 * The Pulumi resource name of an object: `<app>-<namespace>/<name>` (or `<app>-<name>` without a
 * namespace), the convention of `@pulumi/kubernetes` yaml groups, so `pulumi up` output reads the same.
 * The kind is in the resource type, so a Service and a Deployment may share a name.
 */
export function resourceName(appName: string, o: KubeObject): string {
  const ns = o.metadata?.namespace;
  return `${appName}-${ns ? `${ns}/` : ''}${o.metadata?.name ?? ''}`;
}

/** The Pulumi type token `@pulumi/kubernetes` uses for an apiVersion/kind (`kubernetes:apps/v1:Deployment`). */
export function pulumiTypeToken(apiVersion: string, kind: string): string {
  const group = apiGroupOf(apiVersion) || 'core';
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  return `kubernetes:${group}/${version}:${kind}`;
}

/**
 * Registration rank: Namespaces (0), CRDs (1), ConfigMaps, Secrets, ServiceAccounts and RBAC (2),
 * everything else (3). Workloads come last because they fail to start without what they mount.
 */
export function rankOf(o: KubeObject): number {
  if (o.apiVersion === 'v1' && o.kind === 'Namespace') return 0;
  if (o.kind === 'CustomResourceDefinition' && apiGroupOf(o.apiVersion) === 'apiextensions.k8s.io') return 1;
  if (o.apiVersion === 'v1' && ['ConfigMap', 'Secret', 'ServiceAccount', 'PersistentVolumeClaim'].includes(o.kind)) return 2;
  if (apiGroupOf(o.apiVersion) === 'rbac.authorization.k8s.io') return 2;
  return 3;
}

/**
 * Registration order: by rank, keeping the chart's order inside a rank, except that an object always
 * comes after the objects it depends on (an Ingress declared before its Service, a RoleBinding before
 * its ServiceAccount). Deterministic; a dependency cycle keeps the ranked order for its back edge.
 */
export function orderObjects(objects: readonly KubeObject[]): KubeObject[] {
  const ranked = objects.map((o, i) => ({ o, i })).sort((a, b) => rankOf(a.o) - rankOf(b.o) || a.i - b.i).map((x) => x.o);
  const byKey = new Map(ranked.map((o) => [objectKey(o), o]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: KubeObject[] = [];
  const visit = (o: KubeObject) => {
    const key = objectKey(o);
    if (state.has(key)) return; // done, or a cycle: leave it where it is
    state.set(key, 'visiting');
    for (const dep of dependenciesOf(o, ranked)) visit(byKey.get(dep)!);
    state.set(key, 'done');
    out.push(o);
  };
  ranked.forEach(visit);
  return out;
}

/** A reference from one object to another by kind and name (in the referrer's namespace unless set). */
export interface ObjectRef {
  /** Kind of the referenced object. */
  readonly kind: string;
  /** Name of the referenced object. */
  readonly name: string;
  /** Namespace; `undefined` means the referrer's own, `''` means cluster-scoped. */
  readonly namespace?: string;
}

/** What a pod spec mounts or reads (lib/ir/refs.ts): ConfigMaps, Secrets, PVCs, its ServiceAccount. */
export function podSpecRefs(pod: Record<string, unknown>): ObjectRef[] {
  return irPodSpecRefs(pod).map((r) => ({ kind: r.kind, name: r.name }));
}

/** Every object an object refers to by name (pod spec refs, Ingress backends and TLS Secrets, RBAC bindings). */
export function objectRefs(o: KubeObject): ObjectRef[] {
  const pod = podSpecOf(o)?.spec;
  const refs = pod ? podSpecRefs(pod) : [];
  for (const r of ingressRefs(o)) refs.push({ kind: r.kind, name: r.name });
  if ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && apiGroupOf(o.apiVersion) === 'rbac.authorization.k8s.io') {
    const roleRef = (o as Record<string, any>).roleRef;
    if (roleRef?.name) refs.push({ kind: roleRef.kind, name: roleRef.name, namespace: roleRef.kind === 'ClusterRole' ? '' : undefined });
    for (const s of ((o as Record<string, any>).subjects ?? []) as any[]) {
      if (s.kind === 'ServiceAccount' && s.name) refs.push({ kind: 'ServiceAccount', name: s.name, namespace: s.namespace });
    }
  }
  return refs;
}

/**
 * Keys (see `objectKey`) of the objects in `all` that `o` needs to exist first: its Namespace, the CRD
 * that defines its kind, and what it refers to by name. References to objects outside the set are
 * left to the cluster (they may exist already), so they add no dependency.
 */
export function dependenciesOf(o: KubeObject, all: readonly KubeObject[]): string[] {
  const ns = o.metadata?.namespace;
  const deps = new Set<string>();
  const self = objectKey(o);
  for (const other of all) {
    const key = objectKey(other);
    if (key === self) continue;
    const name = other.metadata?.name;
    if (other.apiVersion === 'v1' && other.kind === 'Namespace' && ns && name === ns) deps.add(key);
    if (other.kind === 'CustomResourceDefinition' && definesKind(other, o)) deps.add(key);
  }
  for (const ref of objectRefs(o)) {
    const refNs = ref.namespace === undefined ? ns : ref.namespace || undefined;
    const target = all.find((x) => x.kind === ref.kind && x.metadata?.name === ref.name && (x.metadata?.namespace || undefined) === (refNs || undefined) && objectKey(x) !== self);
    if (target) deps.add(objectKey(target));
  }
  return [...deps].sort();
}

function definesKind(crd: KubeObject, o: KubeObject): boolean {
  const spec = crd.spec as { group?: string; names?: { kind?: string }; versions?: { name?: string }[] } | undefined;
  if (!spec || spec.names?.kind !== o.kind || spec.group !== apiGroupOf(o.apiVersion)) return false;
  const version = o.apiVersion.slice(o.apiVersion.indexOf('/') + 1);
  return !spec.versions || spec.versions.some((v) => v.name === version);
}

/** The result of adapting one object to a target. */
export interface AdaptedObject {
  /** The object to register (the input itself when nothing changed, a copy otherwise). */
  readonly object: KubeObject;
  /** What changed and why, for the deploy log; undefined when nothing did. */
  readonly note?: string;
}

/**
 * Target-specific changes. On kind there is no load balancer, so a LoadBalancer Service would keep
 * `pulumi up` waiting for an external IP that never comes: it becomes a NodePort Service (the same
 * ports, reachable on the node) and the note says so. Other targets keep every object as it is.
 */
export function adaptForTarget(o: KubeObject, target: KubernetesTarget): AdaptedObject {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (target !== 'kind' || o.apiVersion !== 'v1' || o.kind !== 'Service' || spec?.type !== 'LoadBalancer') return { object: o };
  // Fields that only mean something for a load balancer are dropped; the API server rejects some
  // of them (loadBalancerClass) on a NodePort Service.
  const { loadBalancerIP: _ip, loadBalancerSourceRanges: _ranges, loadBalancerClass: _cls, allocateLoadBalancerNodePorts: _alloc, ...rest } = spec;
  return {
    object: { ...o, spec: { ...rest, type: 'NodePort' } },
    note: `${describeObject(o)}: type LoadBalancer became NodePort on kind (kind has no load balancer, so pulumi up would wait for an external IP forever); reach it on the node port or with kubectl port-forward`,
  };
}

/** One port of a deployed Service. */
export interface EndpointPort {
  /** Port name, if the Service names it. */
  readonly name?: string;
  /** The Service port. */
  readonly port: number;
  /** The node port the cluster assigned (NodePort and LoadBalancer Services). */
  readonly nodePort?: number;
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
}

/** How to reach one deployed Service. */
export interface ServiceEndpoint {
  /** `Service/<namespace>/<name>` as in messages. */
  readonly service: string;
  /** The Service type after target adaptation. */
  readonly type: string;
  /** Ports with the node ports the cluster assigned. */
  readonly ports: EndpointPort[];
  /** External IP of a LoadBalancer Service (GKE gives one), once assigned. */
  readonly ip?: string;
  /** External host name of a LoadBalancer Service, on clouds that give names instead of IPs. */
  readonly hostname?: string;
  /** `http://<ip or hostname>[:port]` for the first port, when there is an external address. */
  readonly url?: string;
}

/**
 * Builds the endpoint of a Service from what the cluster reported (`spec` and `status` outputs of the
 * Pulumi resource), so the stack can export the external IP GKE assigns.
 */
export function serviceEndpoint(o: KubeObject, spec: Record<string, any> | undefined, status: Record<string, any> | undefined): ServiceEndpoint {
  const s = spec ?? (o.spec as Record<string, any>) ?? {};
  const ports: EndpointPort[] = ((s.ports ?? []) as any[]).map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: p.port,
    ...(typeof p.nodePort === 'number' ? { nodePort: p.nodePort } : {}),
    protocol: p.protocol ?? 'TCP',
  }));
  const ingress = status?.loadBalancer?.ingress?.[0] as { ip?: string; hostname?: string } | undefined;
  const host = ingress?.ip ?? ingress?.hostname;
  const first = ports[0]?.port;
  return {
    service: describeObject(o),
    type: s.type ?? 'ClusterIP',
    ports,
    ...(ingress?.ip ? { ip: ingress.ip } : {}),
    ...(ingress?.hostname ? { hostname: ingress.hostname } : {}),
    ...(host ? { url: `http://${host}${first && first !== 80 ? `:${first}` : ''}` } : {}),
  };
}

/** Checks that objects can be registered together: each has a name and no two share an identity. */
export function checkObjects(appPath: string, objects: readonly KubeObject[]): void {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  objects.forEach((o, i) => {
    if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
      problems.push({ where: `${appPath} object #${i + 1}`, message: 'is not a Kubernetes object (no apiVersion or kind)', fix: 'pass the objects of chart.toJson() or manifests loaded with loadManifests' });
      return;
    }
    if (!o.metadata?.name) {
      problems.push({ where: `${appPath} ${describeObject(o)}`, message: 'has no metadata.name (generateName is not supported: Pulumi needs a stable name)', fix: 'give the object a metadata.name' });
      return;
    }
    const key = objectKey(o);
    if (seen.has(key)) problems.push({ where: `${appPath} ${describeObject(o)}`, message: `appears twice (${o.apiVersion})`, fix: 'give one of them another name or namespace' });
    seen.add(key);
  });
  if (problems.length) throw new DockyardError(problems);
}

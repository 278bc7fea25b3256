/**
 * The graph of an app: every object as a node, and the relations that matter as edges (Service ->
 * the workloads it selects, workload -> the ConfigMaps and Secrets it reads, Ingress -> Service,
 * owner -> owned). Pure and deterministic: same objects in, same graph out, whatever their order.
 * Renderers (mermaid.ts, dot.ts) only draw what this computes.
 */
import { Problem } from '../core/errors';
import { asList } from '../core/json';
import { describeObject, KubeObject, LoadedObject, locate } from '../core/manifests';
import { CLUSTER_SCOPED_KINDS, namespaceOf, selectorMatches } from '../ir/objects';
import { ingressRefs, isWorkloadKind, ObjectRef, podSpecRefs, podTemplateOf, serviceSelector } from './refs';
import { editDistance } from '../core/naming';

/** How a node is drawn. */
export type NodeShape = 'workload' | 'service' | 'config' | 'secret' | 'ingress' | 'namespace' | 'parent' | 'other';

/** One object, or a missing one that another object refers to. */
export interface GraphNode {
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds. */
  readonly id: string;
  /** Object kind. */
  readonly kind: string;
  /** Object name. */
  readonly name: string;
  /** Namespace (`default` when a namespaced object does not set one); undefined when cluster-scoped. */
  readonly namespace?: string;
  /** Drawing shape, from the kind. */
  readonly shape: NodeShape;
  /** True when the object is not in the input but something refers to it (drawn dashed). */
  readonly missing: boolean;
  /** Id of the group (parent construct) it is drawn in, if any. */
  readonly group?: string;
}

/** What an edge means. */
export type EdgeRelation = 'selects' | 'reads' | 'routes' | 'owns';

/** A relation between two nodes. */
export interface GraphEdge {
  /** Node id of the source. */
  readonly from: string;
  /** Node id of the target. */
  readonly to: string;
  /** What the edge means. */
  readonly relation: EdgeRelation;
  /** Keys, routes or ways of reading, sorted and joined with ", "; empty when there is nothing to say. */
  readonly label: string;
  /** True when the target is missing (drawn dashed). */
  readonly missing: boolean;
}

/** Objects drawn together because one construct (a WebApp, a PodService, ...) made them. */
export interface GraphGroup {
  /** Unique id. */
  readonly id: string;
  /** Caption, e.g. `PodService podservice/hello`. */
  readonly label: string;
  /** The namespace area it is drawn in (see `areaOf`); undefined for cluster-scoped objects. */
  readonly area?: string;
}

/** The whole graph, every list sorted. */
export interface Graph {
  /** Nodes, sorted by id. */
  readonly nodes: readonly GraphNode[];
  /** Edges, sorted by source, target, relation. */
  readonly edges: readonly GraphEdge[];
  /** Groups, sorted by id. */
  readonly groups: readonly GraphGroup[];
  /** Things the user probably wants to know (a selector matching nothing, a reference across namespaces). */
  readonly warnings: readonly Problem[];
}

/** Options of `buildGraph`. */
export interface GraphOptions {
  /** Construct path of each object, by node id (see `nodeId`), e.g. from `renderCharts`. @default - no construct tree: groups come only from the PodService label */
  readonly constructPaths?: ReadonlyMap<string, string>;
  /** Construct class name by construct path (`WebApp`, `PodService`), for group captions. @default - captions show the path only */
  readonly constructTypes?: ReadonlyMap<string, string>;
}

/** The label every PodService child carries (set by `renderPodService`). */
export const PODSERVICE_LABEL = 'dockyard.io/podservice';

/** Kinds that live outside namespaces (their `metadata.namespace` is ignored by the API server). */

const SHAPES: Record<string, NodeShape> = {
  Service: 'service', ConfigMap: 'config', Secret: 'secret', Ingress: 'ingress', Namespace: 'namespace', PodService: 'parent',
};

/** Drawing shape of a kind. */
export function shapeOf(kind: string): NodeShape {
  return isWorkloadKind(kind) ? 'workload' : SHAPES[kind] ?? 'other';
}

export { namespaceOf };

/** Node id of an object: `Kind/namespace/name`, or `Kind/name` when cluster-scoped. */
export function nodeId(o: KubeObject): string {
  return idOf(o.kind, namespaceOf(o), String(o.metadata?.name ?? ''));
}

function idOf(kind: string, ns: string | undefined, name: string): string {
  return ns === undefined ? `${kind}/${name}` : `${kind}/${ns}/${name}`;
}

/** The namespace box a node is drawn in: its namespace, or for a Namespace object the one it creates. */
export function areaOf(n: Pick<GraphNode, 'kind' | 'name' | 'namespace'>): string | undefined {
  return n.kind === 'Namespace' ? n.name : n.namespace;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isLoaded(x: LoadedObject | KubeObject): x is LoadedObject {
  return typeof (x as LoadedObject).file === 'string' && typeof (x as LoadedObject).object === 'object';
}


interface Entry { readonly object: KubeObject; readonly id: string; readonly ns: string | undefined; readonly where: (fieldPath?: readonly (string | number)[]) => string }

/**
 * Builds the graph of a set of objects (located ones from `loadManifests`, or plain ones). References
 * resolve in the referring object's namespace, as Kubernetes resolves them; a reference to an object
 * that is not in the input becomes a missing node, with a warning that names the namespace where an
 * object of that name does exist, if any.
 */
export function buildGraph(input: readonly (LoadedObject | KubeObject)[], options: GraphOptions = {}): Graph {
  const warnings = new Map<string, Problem>();
  const warn = (p: Problem) => warnings.set(`${p.where}\u0000${p.message}`, p);
  const entries = new Map<string, Entry>();
  for (const item of input) {
    const object = isLoaded(item) ? item.object : item;
    const id = nodeId(object);
    const path = options.constructPaths?.get(id);
    const where = (fieldPath?: readonly (string | number)[]) =>
      path ?? (isLoaded(item) && item.file !== '<chart>' ? locate(item, fieldPath) : describeObject(object));
    if (entries.has(id)) {
      warn({ where: where(), message: `${id} is defined more than once; the graph shows the first.`, fix: 'remove the duplicate, or give one of them another name or namespace' });
      continue;
    }
    entries.set(id, { object, id, ns: namespaceOf(object), where });
  }

  const nodes = new Map<string, GraphNode>();
  for (const e of entries.values()) {
    nodes.set(e.id, { id: e.id, kind: e.object.kind, name: String(e.object.metadata?.name ?? ''), namespace: e.ns, shape: shapeOf(e.object.kind), missing: false });
  }

  const edgeLabels = new Map<string, { from: string; to: string; relation: EdgeRelation; labels: Set<string> }>();
  const addEdge = (from: string, to: string, relation: EdgeRelation, label?: string) => {
    const key = `${from}\u0000${to}\u0000${relation}`;
    const e = edgeLabels.get(key) ?? { from, to, relation, labels: new Set<string>() };
    if (label) e.labels.add(label);
    edgeLabels.set(key, e);
  };
  const ensureMissing = (kind: string, ns: string | undefined, name: string): string => {
    const id = idOf(kind, ns, name);
    if (!nodes.has(id)) nodes.set(id, { id, kind, name, namespace: ns, shape: shapeOf(kind), missing: true });
    return id;
  };

  /** Resolves a by-name reference in `from`'s namespace, drawing and explaining what is missing. */
  const resolve = (from: Entry, ref: ObjectRef, relation: EdgeRelation, verb: string, fieldPath: readonly (string | number)[]) => {
    const target = idOf(ref.kind, from.ns, ref.name);
    if (entries.has(target)) { addEdge(from.id, target, relation, ref.label); return; }
    addEdge(from.id, ensureMissing(ref.kind, from.ns, ref.name), relation, ref.label);
    const elsewhere = [...entries.values()]
      .filter((e) => e.object.kind === ref.kind && e.object.metadata?.name === ref.name && e.ns !== from.ns)
      .map((e) => e.ns as string)
      .sort(cmp);
    const what = `${from.id} ${verb} ${ref.kind} "${ref.name}"`;
    if (elsewhere.length) {
      warn({
        where: from.where(fieldPath),
        message: `${what}, which is in namespace ${elsewhere.join(', ')} but not in ${from.ns}: a ${from.object.kind} only sees ${ref.kind}s of its own namespace.`,
        fix: `create ${ref.kind} ${ref.name} in namespace ${from.ns} too, or move ${from.object.kind} ${from.object.metadata?.name} to namespace ${elsewhere[0]}`,
      });
      return;
    }
    if (ref.optional) return; // Kubernetes starts the pod without it: nothing to warn about.
    const near = [...entries.values()]
      .filter((e) => e.object.kind === ref.kind && e.ns === from.ns)
      .map((e) => String(e.object.metadata?.name ?? ''))
      .filter((n) => editDistance(n, ref.name) <= 2)
      .sort(cmp);
    warn({
      where: from.where(fieldPath),
      message: `${what}, which is not in the given manifests (drawn dashed).${near.length ? ` Did you mean "${near[0]}"?` : ''}`,
      fix: near.length ? `fix the name, or create ${ref.kind} ${ref.name} in namespace ${from.ns} before deploying` : `create ${ref.kind} ${ref.name} in namespace ${from.ns} before deploying (e.g. with kubectl), or add it to the manifests`,
    });
  };

  const sorted = [...entries.values()].sort((a, b) => cmp(a.id, b.id));
  const workloads = sorted.map((e) => ({ e, t: podTemplateOf(e.object) })).filter((w) => w.t !== undefined);

  for (const e of sorted) {
    // Service -> the workloads whose pods it selects (only in its own namespace, as Kubernetes does).
    const selector = serviceSelector(e.object);
    if (selector) {
      const matched = workloads.filter((w) => selectorMatches(selector, w.t!.labels));
      const here = matched.filter((w) => w.e.ns === e.ns);
      for (const w of here) addEdge(e.id, w.e.id, 'selects');
      if (here.length === 0) {
        const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
        const other = matched.map((w) => w.e.id);
        warn({
          where: e.where(['spec', 'selector']),
          message: other.length
            ? `${e.id}: selector ${sel} matches no pods in namespace ${e.ns}, only ${other.join(', ')} in another namespace, which a Service never reaches.`
            : `${e.id}: selector ${sel} matches no workload in the given manifests, so the Service has no endpoints.`,
          fix: other.length ? `put the Service and its workload in the same namespace` : `make the selector equal to the pod template labels of the workload it should reach`,
        });
      }
    }
    // Workload -> the ConfigMaps and Secrets its pods read.
    const template = podTemplateOf(e.object);
    if (template) for (const ref of podSpecRefs(template.spec)) resolve(e, ref, 'reads', 'reads', [...template.specPath, ...ref.fieldPath]);
    // Ingress -> Services (and TLS Secrets).
    for (const ref of ingressRefs(e.object)) resolve(e, ref, ref.kind === 'Service' ? 'routes' : 'reads', ref.kind === 'Service' ? 'routes to' : 'reads', ref.fieldPath);
    // Owner -> owned, from ownerReferences (e.g. what Metacontroller creates for a PodService).
    for (const o of asList(e.object.metadata?.ownerReferences)) {
      const { kind, name } = (o ?? {}) as { kind?: unknown; name?: unknown };
      if (typeof kind !== 'string' || typeof name !== 'string') continue;
      const ns = CLUSTER_SCOPED_KINDS.has(kind) ? undefined : e.ns;
      const owner = entries.has(idOf(kind, ns, name)) ? idOf(kind, ns, name) : ensureMissing(kind, ns, name);
      if (owner !== e.id) addEdge(owner, e.id, 'owns');
    }
    // PodService -> children by label, when the PodService object itself is in the input.
    const ps = e.object.metadata?.labels?.[PODSERVICE_LABEL];
    const parent = typeof ps === 'string' ? idOf('PodService', e.ns, ps) : undefined;
    if (parent && parent !== e.id && entries.has(parent)) addEdge(parent, e.id, 'owns');
  }

  const groups = assignGroups(sorted, nodes, options);
  const edges: GraphEdge[] = [...edgeLabels.values()]
    .map((e) => ({ from: e.from, to: e.to, relation: e.relation, label: [...e.labels].sort(cmp).join(', '), missing: nodes.get(e.to)!.missing }))
    .sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.relation, b.relation));
  return {
    nodes: [...nodes.values()].sort((a, b) => cmp(a.id, b.id)),
    edges,
    groups,
    warnings: [...warnings.values()].sort((a, b) => cmp(a.where, b.where) || cmp(a.message, b.message)),
  };
}

/**
 * Groups objects by the construct that made them: the parent of each object's construct path
 * (`chart/web/Resource` -> `chart/web`). Without a construct tree, a PodService's children are
 * grouped by their label. Only groups of two or more objects are kept (one object needs no box), and
 * a chart itself is no group (its objects are the whole drawing).
 */
function assignGroups(entries: readonly Entry[], nodes: Map<string, GraphNode>, options: GraphOptions): GraphGroup[] {
  const members = new Map<string, { group: GraphGroup; ids: string[] }>();
  for (const e of entries) {
    const node = nodes.get(e.id)!;
    const area = areaOf(node);
    const path = options.constructPaths?.get(e.id);
    let key: string | undefined;
    let label: string | undefined;
    if (path !== undefined) {
      const parts = path.split('/');
      if (parts.length >= 3) {
        const parent = parts.slice(0, -1).join('/');
        const type = options.constructTypes?.get(parent);
        key = `construct:${parent}`;
        label = type ? `${type} ${parent}` : parent;
      }
    } else {
      // The PodService object itself joins its children's box.
      const ps = e.object.kind === 'PodService' ? e.object.metadata?.name : e.object.metadata?.labels?.[PODSERVICE_LABEL];
      if (typeof ps === 'string' && ps !== '') { key = `podservice:${ps}`; label = `PodService ${ps}`; }
    }
    if (!key || !label) continue;
    const id = `${area ?? ''}|${key}`;
    const m = members.get(id) ?? { group: { id, label, area }, ids: [] };
    m.ids.push(e.id);
    members.set(id, m);
  }
  const out: GraphGroup[] = [];
  for (const m of members.values()) {
    if (m.ids.length < 2) continue;
    out.push(m.group);
    for (const id of m.ids) nodes.set(id, { ...nodes.get(id)!, group: m.group.id });
  }
  return out.sort((a, b) => cmp(a.id, b.id));
}

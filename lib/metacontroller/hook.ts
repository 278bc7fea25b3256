import { PodServiceLike, renderPodService } from '../constructs/pod-service';
import { DockyardError, Problem } from '../core/errors';
import { KubeObject } from '../core/manifests';
import { stableStringify } from '../core/naming';
import { HookVersion } from './pod-service-controller';

/**
 * The Metacontroller hook protocol for PodService, as pure functions over parsed JSON (server.ts
 * does the HTTP). Request: `controller`, `parent`, `children` keyed `Kind.apiVersion` then by name,
 * `related`, `finalizing`. Response: `status`, `children`, `resyncAfterSeconds` (+ `finalized`).
 * Hook v1 keys a child by its name when parent and child share a namespace; v2 keys every
 * namespaced child as `namespace/name` and decodes our response strictly (unknown fields fail), so
 * the response carries only the documented fields.
 */

/** Which hook a request is for. */
export type HookKind = 'sync' | 'finalize';

/** A request that reached the hook but is not one it can answer: an HTTP status and problems. */
export class HookError extends Error {
  constructor(public readonly status: number, public readonly problems: readonly Problem[]) {
    super(problems.map((p) => `${p.where}: ${p.message}`).join('; '));
    this.name = 'HookError';
  }
}

/** Observed objects of one child type, keyed by name (v1) or namespace/name (v2). */
export type ChildGroup = Record<string, KubeObject>;

/** A hook request that passed the shape checks. */
export interface HookRequest {
  /** The CompositeController, when sent (it is, by Metacontroller). */
  readonly controller?: Record<string, any>;
  /** The PodService parent. */
  readonly parent: KubeObject;
  /** Observed children by `Kind.apiVersion`, then by key. */
  readonly children: Record<string, ChildGroup>;
  /** True when Metacontroller calls the finalize hook. */
  readonly finalizing: boolean;
  /** The hook version the keys follow. */
  readonly version: HookVersion;
}

/** What the PodService reports in `status`. */
export interface PodServiceStatus {
  observedGeneration?: number;
  ready: boolean;
  podPhase: string;
  podReady: boolean;
  clusterIP?: string;
  ingressAddress?: string;
  message: string;
}

/** The sync (and finalize) hook response. */
export interface HookResponse {
  status: PodServiceStatus;
  children: KubeObject[];
  resyncAfterSeconds: number;
  finalized?: boolean;
}

/** Child type keys of the PodService children. */
export const PODSERVICE_CHILD_KEYS = { pod: 'Pod.v1', service: 'Service.v1', ingress: 'Ingress.networking.k8s.io/v1' } as const;

const isMap = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (where: string, message: string, fix: string): Problem => ({ where, message, fix });

/**
 * The hook version of a request: the controller's `spec.hooks.<hook>.version` when it is sent, else
 * inferred from the keys (a `/` in a child key of a namespaced parent only happens in v2).
 */
export function hookVersionOf(controller: unknown, hook: HookKind, children: Record<string, ChildGroup>): HookVersion {
  const v = isMap(controller) ? controller.spec?.hooks?.[hook]?.version : undefined;
  if (v === 'v1' || v === 'v2') return v;
  for (const group of Object.values(children)) for (const key of Object.keys(group)) if (key.includes('/')) return 'v2';
  return 'v1';
}

/** Checks the shape of a parsed body; throws `HookError` (422) naming the field. */
export function parseHookRequest(body: unknown, hook: HookKind): HookRequest {
  if (!isMap(body)) throw new HookError(400, [bad('body', `must be a JSON object, got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`, 'send the hook request Metacontroller sends: {"controller", "parent", "children", "finalizing"}')]);
  const problems: Problem[] = [];
  const { controller, parent, children, finalizing, related } = body;
  if (controller !== undefined && !isMap(controller)) problems.push(bad('controller', 'must be an object', 'send the CompositeController object, or leave it out'));
  if (!isMap(parent)) problems.push(bad('parent', parent === undefined ? 'is missing' : 'must be an object', 'send the PodService object as "parent"'));
  else {
    if (typeof parent.apiVersion !== 'string') problems.push(bad('parent.apiVersion', 'is missing or not a string', 'send the parent as Kubernetes returns it, with apiVersion and kind'));
    if (parent.kind !== 'PodService') problems.push(bad('parent.kind', `must be "PodService", got ${JSON.stringify(parent.kind)}`, 'point only a PodService CompositeController at this webhook'));
    if (!isMap(parent.metadata)) problems.push(bad('parent.metadata', 'is missing or not an object', 'send the parent with its metadata'));
    else if (parent.metadata.namespace !== undefined && typeof parent.metadata.namespace !== 'string') problems.push(bad('parent.metadata.namespace', 'must be a string', 'send the parent as Kubernetes returns it'));
  }
  if (children !== undefined && !isMap(children)) problems.push(bad('children', 'must be an object keyed by "Kind.apiVersion"', 'send {"Pod.v1": {...}, ...} or {}'));
  const groups: Record<string, ChildGroup> = {};
  if (isMap(children)) {
    for (const [type, group] of Object.entries(children)) {
      if (!isMap(group)) { problems.push(bad(`children[${JSON.stringify(type)}]`, 'must be an object keyed by child name', 'send {} when no child of this type exists')); continue; }
      for (const [key, child] of Object.entries(group)) {
        if (!isMap(child)) problems.push(bad(`children[${JSON.stringify(type)}][${JSON.stringify(key)}]`, 'must be an object', 'send the child as Kubernetes returns it'));
      }
      groups[type] = group as ChildGroup;
    }
  }
  if (related !== undefined && !isMap(related)) problems.push(bad('related', 'must be an object', 'send {} or leave it out'));
  if (finalizing !== undefined && typeof finalizing !== 'boolean') problems.push(bad('finalizing', `must be true or false, got ${JSON.stringify(finalizing)}`, 'send a boolean'));
  if (problems.length) throw new HookError(422, problems);
  return {
    ...(controller !== undefined ? { controller } : {}),
    parent: parent as KubeObject,
    children: groups,
    finalizing: finalizing === true,
    version: hookVersionOf(controller, hook, groups),
  };
}

/** The observed child of a type with the parent's name, under the key the hook version uses. */
export function observedChild(req: HookRequest, type: string): KubeObject | undefined {
  const group = req.children[type];
  if (!group) return undefined;
  const name = req.parent.metadata?.name;
  const ns = req.parent.metadata?.namespace;
  const key = req.version === 'v2' && ns ? `${ns}/${name}` : name;
  const child = typeof key === 'string' ? group[key] : undefined;
  return isMap(child) ? child as KubeObject : undefined;
}

/** Number of observed children of every type. */
export function observedCount(req: HookRequest): number {
  return Object.values(req.children).reduce((n, g) => n + Object.keys(g).length, 0);
}

function podIsReady(pod: KubeObject | undefined): boolean {
  const conditions = (pod?.status as any)?.conditions;
  return Array.isArray(conditions) && conditions.some((c) => isMap(c) && c.type === 'Ready' && c.status === 'True');
}

/**
 * Status from what the children show (not what we are about to ask for, as Metacontroller
 * recommends): Pod phase and readiness, Service cluster IP, Ingress load-balancer address.
 */
export function computePodServiceStatus(req: HookRequest): PodServiceStatus {
  const pod = observedChild(req, PODSERVICE_CHILD_KEYS.pod);
  const service = observedChild(req, PODSERVICE_CHILD_KEYS.service);
  const ingress = observedChild(req, PODSERVICE_CHILD_KEYS.ingress);
  const name = String(req.parent.metadata?.name);
  const phase = (pod?.status as any)?.phase;
  const podPhase = pod ? (typeof phase === 'string' && phase ? phase : 'Pending') : 'Missing';
  const podReady = podIsReady(pod);
  const ip = (service?.spec as any)?.clusterIP;
  const clusterIP = typeof ip === 'string' && ip !== '' && ip !== 'None' ? ip : undefined;
  const lb = (ingress?.status as any)?.loadBalancer?.ingress;
  const first = Array.isArray(lb) && isMap(lb[0]) ? lb[0] : undefined;
  const ingressAddress = typeof first?.ip === 'string' ? first.ip : typeof first?.hostname === 'string' ? first.hostname : undefined;
  const ready = podReady && clusterIP !== undefined;
  const message = !pod ? `waiting for Pod ${name} to be created`
    : !podReady ? `waiting for Pod ${name} to be Ready (phase ${podPhase})`
      : !clusterIP ? `waiting for Service ${name} to get a cluster IP`
        : `Pod ${name} is Ready behind Service ${name} (${clusterIP})`;
  const generation = req.parent.metadata?.generation;
  return {
    ...(typeof generation === 'number' ? { observedGeneration: generation } : {}),
    ready,
    podPhase,
    podReady,
    ...(clusterIP ? { clusterIP } : {}),
    ...(ingressAddress ? { ingressAddress } : {}),
    message,
  };
}

/** Options of the hook answers. */
export interface HookOptions {
  /** Resync delay asked for while the PodService is not ready or not finalized yet. @default 10 */
  readonly resyncSeconds?: number;
}

/** `renderPodService(parent)`, its problems as a 422 naming the request field (`parent.spec.port`). */
function renderChildren(parent: KubeObject): KubeObject[] {
  try {
    return renderPodService(parent as unknown as PodServiceLike);
  } catch (e) {
    if (!(e instanceof DockyardError)) throw e;
    // renderPodService names fields `PodService: spec.port`; in the request that is parent.spec.port.
    throw new HookError(422, e.problems.map((p) => ({ ...p, where: p.where.replace(/^PodService(: |$)/, (_m, sep) => (sep ? 'parent.' : 'parent')) })));
  }
}

/**
 * Answers a sync: children from `renderPodService` (the function the `PodService` construct uses),
 * status from the observed children. A parent that fails the PodService checks is a 422 naming
 * the field (`parent.spec.port`).
 */
export function syncResponse(req: HookRequest, options: HookOptions = {}): HookResponse {
  const children = renderChildren(req.parent);
  const status = computePodServiceStatus(req);
  return { status, children, resyncAfterSeconds: status.ready ? 0 : options.resyncSeconds ?? 10 };
}

/**
 * Answers a finalize: no children wanted, `finalized` once none is observed any more. The spec is
 * not checked, so a PodService whose spec is invalid can still be deleted.
 */
export function finalizeResponse(req: HookRequest, options: HookOptions = {}): HookResponse {
  if (typeof req.parent.metadata?.name !== 'string') throw new HookError(422, [bad('parent.metadata.name', 'is missing', 'send the parent with its name')]);
  const remaining = observedCount(req);
  const status = { ...computePodServiceStatus(req), ready: false, message: remaining ? `deleting ${remaining} child object(s)` : 'all children deleted' };
  return { status, children: [], resyncAfterSeconds: remaining ? options.resyncSeconds ?? 10 : 0, finalized: remaining === 0 };
}

/** Answers a request for `hook` (a sync with `finalizing: true` is answered as a finalize). */
export function answerHook(req: HookRequest, hook: HookKind, options: HookOptions = {}): HookResponse {
  return hook === 'finalize' || req.finalizing ? finalizeResponse(req, options) : syncResponse(req, options);
}

/** Rendered children as sorted JSON text, and how many there are. */
export interface RenderedChildren {
  readonly json: string;
  readonly count: number;
}

function renderedChildren(parent: KubeObject): RenderedChildren {
  const children = renderChildren(parent);
  return { json: stableStringify(children), count: children.length };
}

/**
 * Rendered children as sorted JSON, memoized per parent. `renderPodService` is pure over what its
 * `PodServiceLike` type lets it read (apiVersion aside: metadata name, namespace, uid and the spec),
 * so that is the key; resyncs and child status changes, most of the syncs in a cluster, hit it.
 */
export class RenderMemo {
  private readonly entries = new Map<string, RenderedChildren>();
  constructor(private readonly maxEntries = 1000) {}

  /** The children of the request's parent as JSON, rendering them on a miss (throws like `syncResponse`). */
  public children(req: HookRequest): RenderedChildren {
    const m = req.parent.metadata ?? {};
    const key = JSON.stringify([m.name, m.namespace, m.uid, req.parent.spec]);
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const rendered = renderedChildren(req.parent);
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, rendered);
    return rendered;
  }
}

/** A hook answer as the exact bytes to send, and what the log line reports. */
export interface HookAnswerText {
  /** `stableStringify(answer)`: keys sorted, the same text for the same request. */
  readonly text: string;
  readonly children: number;
  readonly ready: boolean;
  readonly finalized?: boolean;
}

/**
 * Like `answerHook`, as text identical to `stableStringify(answerHook(...))`, with the children
 * JSON taken from `memo`. The sync envelope is written by hand in sorted key order.
 */
export function answerHookText(req: HookRequest, hook: HookKind, options: HookOptions = {}, memo?: RenderMemo): HookAnswerText {
  if (hook === 'finalize' || req.finalizing) {
    const answer = finalizeResponse(req, options);
    return { text: stableStringify(answer), children: 0, ready: false, finalized: answer.finalized };
  }
  const rendered = memo ? memo.children(req) : renderedChildren(req.parent);
  const status = computePodServiceStatus(req);
  const resync = status.ready ? 0 : options.resyncSeconds ?? 10;
  const text = `{"children":${rendered.json},"resyncAfterSeconds":${JSON.stringify(resync)},"status":${stableStringify(status)}}`;
  return { text, children: rendered.count, ready: status.ready };
}

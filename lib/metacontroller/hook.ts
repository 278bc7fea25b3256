import { PodServiceLike, renderPodService } from '../constructs/pod-service';
import { hostNameProblem } from '../core/api-rules';
import { DockyardError, Problem } from '../core/errors';
import { formatFieldPath } from '../core/field-path';
import { isRecord } from '../core/json';
import { KubeObject } from '../core/manifests';
import { checkDnsLabel, checkDnsSubdomain, stableStringify } from '../core/naming';
import { gateObjects } from '../pipeline/gate';
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

// The request is untyped JSON: read as `any` once it is known to be a mapping.
const isMap = isRecord as (v: unknown) => v is Record<string, any>;
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
  const identity = parentIdentityProblems((parent as Record<string, any>).metadata);
  if (identity.length) throw new HookError(400, identity);
  return {
    ...(controller !== undefined ? { controller } : {}),
    parent: parent as KubeObject,
    children: groups,
    finalizing: finalizing === true,
    version: hookVersionOf(controller, hook, groups),
  };
}

/** A user string in a message: quoted, and cut after 64 characters (a hostile value may be megabytes). */
export function shown(v: string): string {
  return v.length <= 64 ? JSON.stringify(v) : `${JSON.stringify(v.slice(0, 64))}... (${v.length} characters)`;
}

/**
 * Name, namespace and uid as the API server accepts them: a parent that breaks these was not sent by
 * Metacontroller (no such object can exist), and its values would reach the children and the memo.
 * A name that is a valid object name but not a Service name is the spec check's 422, not this 400.
 */
export function parentIdentityProblems(metadata: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const { name, namespace, uid } = metadata;
  const badName = typeof name === 'string' ? checkDnsSubdomain(name) : undefined;
  if (badName) out.push(bad('parent.metadata.name', `${shown(name as string)} ${badName}`, 'use a name like "web" (lowercase letters, digits and "-")'));
  const badNs = typeof namespace === 'string' ? checkDnsLabel(namespace) : undefined;
  if (badNs) out.push(bad('parent.metadata.namespace', `${shown(namespace as string)} is not a namespace: it ${badNs}`, 'send the namespace as Kubernetes returns it, like "default" (a DNS-1123 label)'));
  if (uid !== undefined && (typeof uid !== 'string' || !/^[A-Za-z0-9-]{1,128}$/.test(uid))) out.push(bad('parent.metadata.uid', `${typeof uid === 'string' ? shown(uid) : JSON.stringify(uid)?.slice(0, 64)} is not a uid`, 'send the uid Kubernetes assigned, like "0b6c1c4e-7d5f-4a55-9a43-3f6b6d2f0c11", or leave it out'));
  return out;
}

/** Longest image reference accepted: a registry host, a 255-character name, a tag and a sha512 digest fit. */
export const MAX_IMAGE_LENGTH = 1024;

const IMAGE_PATH = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?';
/** The Docker reference grammar (distribution/reference): `[domain/]path[:tag][@digest]`. */
const IMAGE_REFERENCE = new RegExp(`^((?:${IMAGE_DOMAIN}/)?${IMAGE_PATH}(?:/${IMAGE_PATH})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/** Why `image` is not an image reference, or undefined. */
export function imageReferenceProblem(image: string): string | undefined {
  if (image.length > MAX_IMAGE_LENGTH) return `is ${image.length} characters long (at most ${MAX_IMAGE_LENGTH})`;
  const m = IMAGE_REFERENCE.exec(image);
  if (!m) return `${shown(image)} is not an image reference`;
  if (m[1].length > 255) return `${shown(image)} has a repository name of ${m[1].length} characters (at most 255)`;
  return undefined;
}

/** Spec checks the webhook adds to renderPodService's: the image reference, a host that is not an IP address. */
function specProblems(parent: KubeObject): Problem[] {
  const spec = parent.spec as Record<string, unknown> | undefined;
  if (!isMap(spec)) return [];
  const out: Problem[] = [];
  const badImage = typeof spec.image === 'string' && spec.image.trim() !== '' ? imageReferenceProblem(spec.image) : undefined;
  if (badImage) out.push(bad('parent.spec.image', badImage, 'set spec.image to an image like "nginx:1.27" or "registry.example.com/team/app:2.1"'));
  const host = typeof spec.host === 'string' ? spec.host : undefined;
  const badHost = host !== undefined && host.length <= 253 ? hostNameProblem(host) : undefined;
  if (badHost?.includes('IP address')) out.push(bad('parent.spec.host', badHost, 'set spec.host to a DNS name like "podservice.local" (an Ingress host cannot be an IP), or leave it out'));
  return out;
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
  const own = specProblems(parent);
  let children: KubeObject[] = [];
  let problems: Problem[] = [];
  try {
    // An oversized image is refused without rendering it.
    if (!own.some((p) => p.where === 'parent.spec.image')) children = renderPodService(parent as unknown as PodServiceLike);
  } catch (e) {
    if (!(e instanceof DockyardError)) throw e;
    // renderPodService names fields `PodService: spec.port`; in the request that is parent.spec.port.
    problems = e.problems.map((p) => ({ ...p, where: p.where.replace(/^PodService(: |$)/, (_m, sep) => (sep ? 'parent.' : 'parent')) }));
  }
  const all = [...problems.filter((p) => !own.some((o) => o.where === p.where)), ...own];
  if (all.length) throw new HookError(422, all);
  // The same gate as a synth of the PodService construct: schema and policy errors refuse the sync.
  const gate = gateObjects(children);
  const refused: Problem[] = [
    ...gate.schema.filter((i) => i.severity !== 'warning').map((i) => ({ where: 'parent.spec', message: `renders ${i.object}: ${formatFieldPath(i.fieldPath)}: ${i.message}`, fix: 'change the PodService spec so its children are valid Kubernetes objects' })),
    ...(gate.policy?.findings ?? []).filter((f) => f.severity === 'error').map((f) => ({ where: 'parent.spec', message: `policy ${f.rule}: ${f.object}: ${f.message}`, fix: f.fix })),
  ];
  if (refused.length) throw new HookError(422, refused);
  return children;
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

/** Options of `RenderMemo`. */
export interface RenderMemoOptions {
  /** Memory the entries may hold (keys and rendered JSON, two bytes a character). @default 8 MiB */
  readonly maxBytes?: number;
  /** Entries kept. @default 1000 */
  readonly maxEntries?: number;
}

/**
 * Rendered children as sorted JSON, memoized per parent. `renderPodService` is pure over what its
 * `PodServiceLike` type lets it read (apiVersion aside: metadata name, namespace, uid and the spec),
 * so that is the key; resyncs and child status changes, most of the syncs in a cluster, hit it.
 * Bounded by bytes, not only entries: a client sending large distinct parents cannot grow it.
 */
export class RenderMemo {
  private readonly entries = new Map<string, RenderedChildren & { readonly bytes: number }>();
  private held = 0;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  constructor(options: RenderMemoOptions = {}) {
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
  }

  /** Memory held by the entries, counted as two bytes a character of keys and JSON. */
  public get bytes(): number { return this.held; }

  /** Number of entries. */
  public get size(): number { return this.entries.size; }

  /** The children of the request's parent as JSON, rendering them on a miss (throws like `syncResponse`). */
  public children(req: HookRequest): RenderedChildren {
    const m = req.parent.metadata ?? {};
    const key = JSON.stringify([m.name, m.namespace, m.uid, req.parent.spec]);
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const rendered = renderedChildren(req.parent);
    const bytes = 2 * (key.length + rendered.json.length);
    if (bytes > this.maxBytes) return rendered; // larger than the whole memo: not kept
    // Oldest first out (a Map iterates in insertion order) until the new entry fits.
    while (this.entries.size >= this.maxEntries || this.held + bytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { bytes: number }];
      this.entries.delete(oldest);
      this.held -= entry.bytes;
    }
    this.entries.set(key, { ...rendered, bytes });
    this.held += bytes;
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

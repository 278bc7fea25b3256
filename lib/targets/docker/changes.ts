/**
 * Reconciliation as a pure function: the plan and what the engine holds (by Dockyard's labels) ->
 * the changes to make. `diff` prints them; `deploy` executes them. Ownership is decided by labels
 * alone: nothing without this project's label is ever in `actual`.
 *
 * The unit of replacement is the pod (its containers share a network namespace). A pod is kept
 * only when each of its containers exists exactly once, under its final name, with the planned hash,
 * and was started at least once; anything else (a spec change, a temporary `.next` container or a
 * never-started container left by a killed deploy, a duplicate) makes it a replacement. That is what
 * lets any interrupted deploy converge on the next run.
 */
import { ContainerPlan, DockerPlan, LABELS } from './plan';

/** A container as listed from the engine (only containers carrying the project label). */
export interface ActualContainer {
  /** Engine id. */
  readonly id: string;
  /** Current name, without the leading `/`. */
  readonly name: string;
  /** Its labels. */
  readonly labels: Record<string, string>;
  /** Docker state: created, running, exited, restarting, paused, dead, removing. */
  readonly state: string;
}

/** What the engine holds for a project. */
export interface ActualState {
  /** Owned containers. */
  readonly containers: readonly ActualContainer[];
  /** Owned network names. */
  readonly networks: readonly string[];
  /** Owned volume names. */
  readonly volumes: readonly string[];
}

/** One change. */
export interface Change {
  /** What to do. `start` starts a kept container that is stopped. */
  readonly action: 'create' | 'replace' | 'remove' | 'start';
  /** What it applies to. */
  readonly kind: 'network' | 'volume' | 'pod';
  /** Network, volume or pod name. */
  readonly name: string;
  /** The Kubernetes object it stands for, `Kind/namespace/name` (or the recorded one for removals). */
  readonly object: string;
  /** Why, for replacements and removals. */
  readonly reason?: string;
  /** For pods: the planned containers (create/replace/start). */
  readonly containers?: readonly ContainerPlan[];
  /** For pods: the engine ids of the existing containers (replace/remove/start). */
  readonly existing?: readonly ActualContainer[];
}

/** Name a container gets while its replacement is prepared; never a final name (those end in a digit or a word). */
export function tempName(finalName: string): string {
  return `${finalName}.next`;
}

/** Name an old replica gets while it stops in the background of a rollout (its successor takes the name). */
export function retireName(finalName: string): string {
  return `${finalName}.old`;
}

/** Computes the changes that turn `actual` into `plan`, in a stable order (networks, volumes, pods). */
export function computeChanges(plan: DockerPlan, actual: ActualState): Change[] {
  const changes: Change[] = [];
  const nets = new Set(actual.networks);
  for (const n of plan.networks) if (!nets.has(n.name)) changes.push({ action: 'create', kind: 'network', name: n.name, object: n.labels[LABELS.object] });
  const vols = new Set(actual.volumes);
  for (const v of plan.volumes) if (!vols.has(v.name)) changes.push({ action: 'create', kind: 'volume', name: v.name, object: v.object });

  const desiredPods = new Map<string, ContainerPlan[]>();
  for (const c of plan.containers) {
    if (!desiredPods.has(c.pod)) desiredPods.set(c.pod, []);
    desiredPods.get(c.pod)!.push(c);
  }
  const actualPods = new Map<string, ActualContainer[]>();
  for (const a of actual.containers) {
    const pod = a.labels[LABELS.pod] ?? a.labels[LABELS.name] ?? a.name;
    if (!actualPods.has(pod)) actualPods.set(pod, []);
    actualPods.get(pod)!.push(a);
  }

  for (const [pod, existing] of [...actualPods].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!desiredPods.has(pod)) changes.push({ action: 'remove', kind: 'pod', name: pod, object: existing[0].labels[LABELS.object] ?? '?', reason: 'no longer in the model', existing });
  }
  for (const [pod, wanted] of desiredPods) {
    const existing = actualPods.get(pod) ?? [];
    const object = wanted[0].object;
    if (existing.length === 0) { changes.push({ action: 'create', kind: 'pod', name: pod, object, containers: wanted }); continue; }
    const reason = podDrift(wanted, existing);
    if (reason) { changes.push({ action: 'replace', kind: 'pod', name: pod, object, reason, containers: wanted, existing }); continue; }
    // A paused container is neither running nor finished (no pod can be paused): always woken up.
    // A stopped one is started again only when its restart policy says it keeps running.
    const restartable = wanted.every(keepsRunning);
    const wake = existing.filter((a) => a.state === 'paused' || (restartable && a.state !== 'running' && a.state !== 'restarting'));
    if (wake.length) changes.push({ action: 'start', kind: 'pod', name: pod, object, reason: wake.map((a) => `${a.name} is ${a.state}`).join(', '), containers: wanted, existing });
  }

  const wantNets = new Set(plan.networks.map((n) => n.name));
  for (const n of [...actual.networks].sort()) if (!wantNets.has(n)) changes.push({ action: 'remove', kind: 'network', name: n, object: 'a namespace', reason: 'no longer in the model' });
  const wantVols = new Set(plan.volumes.map((v) => v.name));
  for (const v of [...actual.volumes].sort()) if (!wantVols.has(v)) changes.push({ action: 'remove', kind: 'volume', name: v, object: 'a PersistentVolumeClaim', reason: 'no longer in the model' });
  return sortChanges(changes);
}

/** True when the container's restart policy keeps it running (a stopped one is drift to repair). */
export function keepsRunning(c: ContainerPlan): boolean {
  return c.restart.name !== 'no' && c.restart.name !== 'on-failure';
}

/** Why an existing pod does not match the plan, or undefined when it does. */
export function podDrift(wanted: readonly ContainerPlan[], existing: readonly ActualContainer[]): string | undefined {
  if (existing.some((a) => a.name !== a.labels[LABELS.name])) return 'an interrupted deploy left a temporary container';
  if (existing.length > wanted.length) return 'duplicate or extra containers';
  for (const c of wanted) {
    const a = existing.find((x) => x.name === c.name);
    if (!a) return `container ${c.name} is missing`;
    if (a.labels[LABELS.hash] !== c.hash) return 'spec changed';
    if (a.state === 'created') return 'an interrupted deploy left a container that never started';
    if (a.state === 'dead' || a.state === 'removing') return `container ${c.name} is ${a.state}`;
  }
  return undefined;
}

const ORDER: Record<string, number> = { 'create:network': 0, 'create:volume': 1, 'remove:pod': 2, 'replace:pod': 3, 'create:pod': 3, 'start:pod': 4, 'remove:network': 5, 'remove:volume': 6 };

function sortChanges(list: Change[]): Change[] {
  const proxyLast = (c: Change) => (c.containers?.[0]?.role === 'proxy' ? 1 : 0);
  return list.sort((a, b) => ORDER[`${a.action}:${a.kind}`] - ORDER[`${b.action}:${b.kind}`] || proxyLast(a) - proxyLast(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One line per change, for `diff` and progress output. */
export function formatChange(c: Change): string {
  const role = c.containers?.[0]?.role ?? c.existing?.[0]?.labels[LABELS.role];
  const what = c.kind === 'pod' ? (role === 'proxy' ? 'proxy' : 'container') : c.kind;
  return `${c.action.padEnd(7)} ${what.padEnd(9)} ${c.name}  (${c.object})${c.reason ? `: ${c.reason}` : ''}`;
}

// What differs inside a replaced container, aspect by aspect (for `diff` and `status`).
export { containerChanges, specDifferences } from './spec-changes';
export type { InspectedSpec, SpecChange } from './spec-changes';

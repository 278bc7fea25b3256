import { KubeObject } from '../core/manifests';
import { ContainerAt, containersOf, HostPathAt, hostPathsOf as irHostPathsOf, PodSpecAt, podSpecOf as irPodSpecOf } from '../ir/pod-spec';

/**
 * The per-run cache of the policy check: the pod-spec view and host paths of `lib/ir/pod-spec.ts`,
 * remembered while one `checkObjects` runs (every rule asks for the same pod spec). Same names and
 * results as lib/ir's; only the caching is added here.
 */

/** The `checkObjects` run under way (0 outside one), so per-run caches know when to start afresh. */
let currentRun = 0;
let runs = 0;

/**
 * Runs `fn` as one check run: `RunMemo`s remember results during it and forget them after, so an object
 * changed between runs is read again, and calls outside a run (a rule's `check` on its own) cache nothing.
 */
export function withRunCache<T>(fn: () => T): T {
  const outer = currentRun;
  currentRun = ++runs;
  try {
    return fn();
  } finally {
    currentRun = outer;
    if (outer === 0) for (const memo of memos) memo.clear(); // nothing outlives the run
  }
}

const memos: { clear(): void }[] = [];

/** `compute(key)` remembered per key for the current run (every rule asks for the same pod spec). */
export class RunMemo<K extends object, V> {
  private map = new WeakMap<K, V>();
  private run = 0;
  // The rules of one object run one after the other, so the last key answers most calls without a lookup.
  private lastKey: K | undefined;
  private lastValue: V | undefined;

  constructor(private readonly compute: (key: K) => V) {
    memos.push(this);
  }

  /** Forgets everything (the next run starts afresh anyway; this lets the objects go). */
  public clear(): void {
    this.map = new WeakMap();
    this.run = 0;
    this.lastKey = undefined;
    this.lastValue = undefined;
  }

  public get(key: K): V {
    if (currentRun === 0) return this.compute(key);
    if (this.run !== currentRun) {
      this.clear();
      this.run = currentRun;
    }
    if (key === this.lastKey) return this.lastValue as V;
    let value = this.map.get(key);
    if (value === undefined && !this.map.has(key)) {
      value = this.compute(key);
      this.map.set(key, value);
    }
    this.lastKey = key;
    this.lastValue = value;
    return value as V;
  }
}

const podSpecs = new RunMemo(irPodSpecOf);

/** The pod spec of a Pod or workload (CronJob included), or undefined for other kinds. Cached per run: every rule asks. */
export function podSpecOf(obj: KubeObject): PodSpecAt | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  return podSpecs.get(obj);
}

/** A pod spec with its containers: `all` (init, main, ephemeral), `main` (`containers` only). */
export interface WorkloadAt {
  readonly pod: PodSpecAt;
  readonly all: readonly ContainerAt[];
  readonly main: readonly ContainerAt[];
}

const workloads = new RunMemo((obj: KubeObject): WorkloadAt | undefined => {
  const pod = podSpecOf(obj);
  if (!pod) return undefined;
  const all = containersOf(pod);
  return { pod, all, main: all.filter((c) => c.list === 'containers') };
});

/**
 * The pod spec of an object with its containers, or undefined for kinds without one. Cached per run,
 * as most rules ask: the lists are shared, so callers must not change them.
 */
export function workloadOf(obj: KubeObject): WorkloadAt | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  return workloads.get(obj);
}

const hostPaths = new RunMemo((obj: KubeObject): HostPathAt[] => irHostPathsOf(obj, podSpecOf(obj)));

/** The host paths of an object (see lib/ir/pod-spec.ts), cached per run: each guard asks. The list is shared: do not change it. */
export function hostPathsOf(obj: KubeObject): readonly HostPathAt[] {
  if (!obj || typeof obj !== 'object') return [];
  return hostPaths.get(obj);
}

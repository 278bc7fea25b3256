import { KubeObject } from '../core/manifests';
import { FieldPath } from './types';

/**
 * Finding the pod template of any workload, defensively: `dockyard lint` runs on manifests that may
 * not pass the schema, so every accessor tolerates wrong types instead of throwing.
 */

/** A pod spec found in an object, with where it is and the labels its pods get. */
export interface PodSpecAt {
  /** The pod spec (a mapping). */
  readonly spec: Record<string, unknown>;
  /** Path of the pod spec in the object. */
  readonly path: FieldPath;
  /** Labels of the pods (the template's, or the Pod's own). */
  readonly labels: Record<string, string>;
}

/** One container of a pod spec, with its path. */
export interface ContainerAt {
  /** The container (a mapping). */
  readonly container: Record<string, unknown>;
  /** Path of the container in the object. */
  readonly path: FieldPath;
  /** The container's name, or `#i` when it has none. */
  readonly name: string;
  /** True for init containers. */
  readonly init: boolean;
}

/** Kinds whose pod template sits at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** Kinds that run long-lived pods (probes matter); Jobs and CronJobs run to completion. */
export const LONG_RUNNING_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Pod']);

/** The value as a mapping, or undefined. */
export function asMap(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The value as a list, or an empty list. */
export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value at `path` inside `obj`, or undefined. */
export function getIn(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const map = asMap(v);
  if (map) for (const [k, val] of Object.entries(map)) if (typeof val === 'string') out[k] = val;
  return out;
}

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

const podSpecs = new RunMemo(findPodSpec);

/** The pod spec of a Pod or workload (CronJob included), or undefined for other kinds. Cached per run: every rule asks. */
export function podSpecOf(obj: KubeObject): PodSpecAt | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  return podSpecs.get(obj);
}

function findPodSpec(obj: KubeObject): PodSpecAt | undefined {
  let templatePath: FieldPath | undefined;
  if (obj.kind === 'Pod') {
    const spec = asMap(obj.spec);
    return spec ? { spec, path: ['spec'], labels: stringMap(obj.metadata?.labels) } : undefined;
  }
  if (TEMPLATE_KINDS.has(obj.kind)) templatePath = ['spec', 'template'];
  else if (obj.kind === 'CronJob') templatePath = ['spec', 'jobTemplate', 'spec', 'template'];
  if (!templatePath) return undefined;
  const template = getIn(obj, templatePath);
  const spec = asMap(getIn(template, ['spec']));
  if (!spec) return undefined;
  return { spec, path: [...templatePath, 'spec'], labels: stringMap(getIn(template, ['metadata', 'labels'])) };
}

/** The containers (and, when `withInit`, init containers) of a pod spec. */
export function containersOf(pod: PodSpecAt, withInit = true): ContainerAt[] {
  const out: ContainerAt[] = [];
  const lists: [string, boolean][] = withInit ? [['initContainers', true], ['containers', false]] : [['containers', false]];
  for (const [field, init] of lists) {
    asList(pod.spec[field]).forEach((c, i) => {
      const container = asMap(c);
      if (!container) return;
      const name = typeof container.name === 'string' ? container.name : `#${i}`;
      out.push({ container, path: [...pod.path, field, i], name, init });
    });
  }
  return out;
}

/** A pod spec with its containers: `all` with init containers first, `main` without them. */
export interface WorkloadAt {
  readonly pod: PodSpecAt;
  readonly all: readonly ContainerAt[];
  readonly main: readonly ContainerAt[];
}

const workloads = new RunMemo((obj: KubeObject): WorkloadAt | undefined => {
  const pod = podSpecOf(obj);
  if (!pod) return undefined;
  const all = containersOf(pod, true);
  return { pod, all, main: all.filter((c) => !c.init) };
});

/**
 * The pod spec of an object with its containers, or undefined for kinds without one. Cached per run,
 * as most rules ask: the lists are shared, so callers must not change them.
 */
export function workloadOf(obj: KubeObject): WorkloadAt | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  return workloads.get(obj);
}

/** `container "web"` or `init container "migrate"`, for messages. */
export function containerLabel(c: ContainerAt): string {
  return `${c.init ? 'init container' : 'container'} "${c.name}"`;
}

/** The namespace an object lands in; objects without one go to `default` (kubectl's usual context). */
export function namespaceOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/**
 * The one pod-spec view over plain Kubernetes objects (the IR): where the pod template of every kind
 * that carries one sits, its containers (init and ephemeral included), and the host paths an object
 * names (pod hostPath volumes, PersistentVolume hostPath/local). Policy, the Docker planner and the
 * guards read pods only through this file, so a kind or container list cannot be missed in one place.
 *
 * Defensive: `dockyard lint` reads manifests that may not pass the schema, so every accessor tolerates
 * wrong types instead of throwing.
 */
import { asList, asMap, getIn, stringMap } from '../core/json';
import { POD_TEMPLATE_PATHS } from '../core/pod-template';
import type { FieldPath } from '../core/field-path';
import type { KubeObject } from '../core/manifests';

// Where the pod template sits in each built-in kind: one table, in core, as the schema check's
// API-server rules read pods too (core cannot import this layer).
export { POD_TEMPLATE_PATHS } from '../core/pod-template';

/** Kinds that run long-lived pods (probes matter); Jobs, CronJobs and PodTemplates do not run on their own. */
export const LONG_RUNNING_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Pod']);

/** A pod spec found in an object, with where it is and its pods' labels and annotations. */
export interface PodSpecAt {
  /** The pod spec (a mapping). */
  readonly spec: Record<string, unknown>;
  /** Path of the pod spec in the object. */
  readonly path: FieldPath;
  /** Path of the pod template's metadata (the Pod's own `metadata` for a Pod). */
  readonly metadataPath: FieldPath;
  /** Labels of the pods (the template's, or the Pod's own). */
  readonly labels: Record<string, string>;
  /** Annotations of the pods (AppArmor profiles are set there before Kubernetes 1.30). */
  readonly annotations: Record<string, string>;
}

/** The container lists of a pod spec, in the order they run. */
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
/** One of `CONTAINER_LISTS`. */
export type ContainerList = (typeof CONTAINER_LISTS)[number];

/** One container of a pod spec, with its path. */
export interface ContainerAt {
  /** The container (a mapping). */
  readonly container: Record<string, unknown>;
  /** Path of the container in the object. */
  readonly path: FieldPath;
  /** The container's name, or `#i` when it has none. */
  readonly name: string;
  /** The list it is in. */
  readonly list: ContainerList;
  /** True for init containers. */
  readonly init: boolean;
}

/**
 * The path of the pod template in `obj`, or undefined when its kind carries none. Kinds not in the
 * table that have a `spec.template.spec.containers` list (workload custom resources such as Argo
 * Rollouts) are read at `spec.template` too: a guard must not be evaded by wrapping a pod in an
 * unknown kind.
 */
export function podTemplatePathOf(obj: KubeObject): FieldPath | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const known = Object.prototype.hasOwnProperty.call(POD_TEMPLATE_PATHS, obj.kind) ? POD_TEMPLATE_PATHS[obj.kind] : undefined;
  if (known) return known;
  return Array.isArray(getIn(obj, ['spec', 'template', 'spec', 'containers'])) ? ['spec', 'template'] : undefined;
}

/** The pod spec of a Pod, PodTemplate, workload or CronJob (or a workload custom resource), or undefined. */
export function podSpecOf(obj: KubeObject): PodSpecAt | undefined {
  const template = podTemplatePathOf(obj);
  if (!template) return undefined;
  const path = [...template, 'spec'];
  const spec = asMap(getIn(obj, path));
  if (!spec) return undefined;
  const metadataPath = [...template, 'metadata'];
  const metadata = getIn(obj, metadataPath);
  return { spec, path, metadataPath, labels: stringMap(getIn(metadata, ['labels'])), annotations: stringMap(getIn(metadata, ['annotations'])) };
}

/** The containers of a pod spec: init containers first, then containers, then ephemeral containers. */
export function containersOf(pod: PodSpecAt, lists: readonly ContainerList[] = CONTAINER_LISTS): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const list of CONTAINER_LISTS) {
    if (!lists.includes(list)) continue;
    asList(pod.spec[list]).forEach((c, i) => {
      const container = asMap(c);
      if (!container) return;
      const name = typeof container.name === 'string' ? container.name : `#${i}`;
      out.push({ container, path: [...pod.path, list, i], name, list, init: list === 'initContainers' });
    });
  }
  return out;
}

/** `container "web"`, `init container "migrate"` or `ephemeral container "debug"`, for messages. */
export function containerLabel(c: ContainerAt): string {
  return `${c.list === 'initContainers' ? 'init container' : c.list === 'ephemeralContainers' ? 'ephemeral container' : 'container'} "${c.name}"`;
}

/** A host path an object names: a pod's hostPath volume, or a PersistentVolume's hostPath or local path. */
export interface HostPathAt {
  /** The path as written. */
  readonly path: string;
  /** Path of the `path` field in the object. */
  readonly fieldPath: FieldPath;
  /** The volume's name (the PersistentVolume's name for a PV). */
  readonly volume: string;
  /** True when no container mounts it read-write (a PersistentVolume counts as writable: its claims decide). */
  readonly readOnly: boolean;
  /** The hostPath `type` (`Socket`, `CharDevice`, `Directory`, ...), when set. */
  readonly type?: string;
}

/**
 * Every host path of an object: hostPath volumes of its pod spec, or a PersistentVolume's hostPath/local
 * path. `pod` is the object's pod spec, when the caller has it already.
 */
export function hostPathsOf(obj: KubeObject, pod: PodSpecAt | undefined = podSpecOf(obj)): HostPathAt[] {
  if (!obj || typeof obj !== 'object') return [];
  if (obj.kind === 'PersistentVolume') {
    const name = String(getIn(obj, ['metadata', 'name']) ?? '');
    const out: HostPathAt[] = [];
    for (const field of ['hostPath', 'local']) {
      const p = getIn(obj, ['spec', field, 'path']);
      const type = getIn(obj, ['spec', field, 'type']);
      if (typeof p === 'string') out.push({ path: p, fieldPath: ['spec', field, 'path'], volume: name, readOnly: false, ...(typeof type === 'string' ? { type } : {}) });
    }
    return out;
  }
  if (!pod) return [];
  const volumes = asList(pod.spec.volumes);
  if (!volumes.some((v) => asMap(v)?.hostPath !== undefined)) return [];
  const mounts = containersOf(pod).flatMap((c) => asList(c.container.volumeMounts).map(asMap).filter((m): m is Record<string, unknown> => m !== undefined));
  const out: HostPathAt[] = [];
  volumes.forEach((v, i) => {
    const p = getIn(v, ['hostPath', 'path']);
    if (typeof p !== 'string') return;
    const name = String(getIn(v, ['name']) ?? '');
    const own = mounts.filter((m) => m.name === name);
    const type = getIn(v, ['hostPath', 'type']);
    out.push({ path: p, fieldPath: [...pod.path, 'volumes', i, 'hostPath', 'path'], volume: name, readOnly: own.every((m) => m.readOnly === true), ...(typeof type === 'string' ? { type } : {}) });
  });
  return out;
}

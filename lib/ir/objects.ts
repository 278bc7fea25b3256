import { KubeObject } from '../core/manifests';

// The object key and API group are defined in core (the schema and identity checks need them).
export { apiGroupOf, objectKey } from '../core/manifests';

// Namespace and selection of plain Kubernetes objects: one definition each, used by policy, the
// graph, the Pulumi ordering and the synth gate.

/** Kinds that live outside any namespace (built-in, and Metacontroller's controllers). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'APIService', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'CompositeController', 'DecoratorController', 'ControllerRevisionList',
]);

/**
 * The namespace an object lives in: its own, else `default` (where kubectl puts it); undefined for a
 * cluster-scoped kind. (The namespace an object merely declares is `o.metadata?.namespace`: Pulumi
 * leaves an unset one to the provider's default namespace.)
 */
export function namespaceOf(o: KubeObject): string | undefined {
  if (CLUSTER_SCOPED_KINDS.has(o.kind)) return undefined;
  const ns = o.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/** True when every key of the selector is a label with the same value (Kubernetes' equality match). */
export function selectorMatches(selector: Readonly<Record<string, unknown>>, labels: Readonly<Record<string, string>>): boolean {
  for (const k of Object.keys(selector)) if (labels[k] !== selector[k]) return false;
  return true;
}

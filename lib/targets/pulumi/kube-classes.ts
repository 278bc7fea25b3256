/**
 * apiVersion/kind -> typed `@pulumi/kubernetes` resource class. Typed classes give Pulumi's await
 * logic (rollouts, Service addresses) and secret handling; anything not listed (custom resources,
 * rare kinds) is registered as `apiextensions.CustomResource`, which the provider handles the same way
 * on the wire. Only these group modules are imported, and `@pulumi/kubernetes` loads each class file
 * on first use, so the import stays cheap.
 */
import * as pulumi from '@pulumi/pulumi';
import * as apiextensions from '@pulumi/kubernetes/apiextensions';
import * as apiextensionsV1 from '@pulumi/kubernetes/apiextensions/v1';
import * as appsV1 from '@pulumi/kubernetes/apps/v1';
import * as autoscalingV2 from '@pulumi/kubernetes/autoscaling/v2';
import * as batchV1 from '@pulumi/kubernetes/batch/v1';
import * as coreV1 from '@pulumi/kubernetes/core/v1';
import * as networkingV1 from '@pulumi/kubernetes/networking/v1';
import * as policyV1 from '@pulumi/kubernetes/policy/v1';
import * as rbacV1 from '@pulumi/kubernetes/rbac/v1';
import * as schedulingV1 from '@pulumi/kubernetes/scheduling/v1';
import * as storageV1 from '@pulumi/kubernetes/storage/v1';
import { KubeObject } from '../../core/manifests';

/** A `@pulumi/kubernetes` resource constructor, typed loosely: the IR object is the args. */
export type KubeResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

// Getters, so a class file is loaded only when a chart uses that kind.
const TYPED: Record<string, () => KubeResourceClass> = {
  'v1 ConfigMap': () => coreV1.ConfigMap,
  'v1 Endpoints': () => coreV1.Endpoints,
  'v1 LimitRange': () => coreV1.LimitRange,
  'v1 Namespace': () => coreV1.Namespace,
  'v1 PersistentVolume': () => coreV1.PersistentVolume,
  'v1 PersistentVolumeClaim': () => coreV1.PersistentVolumeClaim,
  'v1 Pod': () => coreV1.Pod,
  'v1 PodTemplate': () => coreV1.PodTemplate,
  'v1 ReplicationController': () => coreV1.ReplicationController,
  'v1 ResourceQuota': () => coreV1.ResourceQuota,
  'v1 Secret': () => coreV1.Secret,
  'v1 Service': () => coreV1.Service,
  'v1 ServiceAccount': () => coreV1.ServiceAccount,
  'apps/v1 DaemonSet': () => appsV1.DaemonSet,
  'apps/v1 Deployment': () => appsV1.Deployment,
  'apps/v1 ReplicaSet': () => appsV1.ReplicaSet,
  'apps/v1 StatefulSet': () => appsV1.StatefulSet,
  'batch/v1 CronJob': () => batchV1.CronJob,
  'batch/v1 Job': () => batchV1.Job,
  'networking.k8s.io/v1 Ingress': () => networkingV1.Ingress,
  'networking.k8s.io/v1 IngressClass': () => networkingV1.IngressClass,
  'networking.k8s.io/v1 NetworkPolicy': () => networkingV1.NetworkPolicy,
  'rbac.authorization.k8s.io/v1 ClusterRole': () => rbacV1.ClusterRole,
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': () => rbacV1.ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1 Role': () => rbacV1.Role,
  'rbac.authorization.k8s.io/v1 RoleBinding': () => rbacV1.RoleBinding,
  'policy/v1 PodDisruptionBudget': () => policyV1.PodDisruptionBudget,
  'autoscaling/v2 HorizontalPodAutoscaler': () => autoscalingV2.HorizontalPodAutoscaler,
  'apiextensions.k8s.io/v1 CustomResourceDefinition': () => apiextensionsV1.CustomResourceDefinition,
  'storage.k8s.io/v1 StorageClass': () => storageV1.StorageClass,
  'scheduling.k8s.io/v1 PriorityClass': () => schedulingV1.PriorityClass,
};

/**
 * Registers one IR object as a Pulumi resource: the typed class when there is one, else a
 * CustomResource carrying apiVersion and kind.
 */
export function registerKubeObject(name: string, o: KubeObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const typed = TYPED[`${o.apiVersion} ${o.kind}`];
  if (typed) {
    // The typed classes set apiVersion/kind themselves; passing them again is harmless but noisy.
    const { apiVersion: _a, kind: _k, ...args } = o;
    const Cls = typed();
    return new Cls(name, args, opts);
  }
  return new apiextensions.CustomResource(name, o as apiextensions.CustomResourceArgs, opts);
}

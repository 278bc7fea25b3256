/**
 * The Kubernetes types of the built-in kinds, by kind name, for typed lookups (`Testing.find(objects,
 * 'Service')` is an `IService`). Type-only imports from kubernetes-models: nothing is loaded at run time.
 */
import type { IPod } from 'kubernetes-models/v1/Pod';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IReplicationController } from 'kubernetes-models/v1/ReplicationController';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { ICustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';

/** Kind name -> its object type (the kinds Dockyard and its users make most; others are `KubeObject`). */
export interface KubeKinds {
  Pod: IPod;
  Service: IService;
  ConfigMap: IConfigMap;
  Secret: ISecret;
  Namespace: INamespace;
  ReplicationController: IReplicationController;
  PersistentVolumeClaim: IPersistentVolumeClaim;
  ServiceAccount: IServiceAccount;
  Deployment: IDeployment;
  DaemonSet: IDaemonSet;
  StatefulSet: IStatefulSet;
  ReplicaSet: IReplicaSet;
  Job: IJob;
  CronJob: ICronJob;
  Ingress: IIngress;
  NetworkPolicy: INetworkPolicy;
  CustomResourceDefinition: ICustomResourceDefinition;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  PodDisruptionBudget: IPodDisruptionBudget;
  Role: IRole;
  RoleBinding: IRoleBinding;
  ClusterRole: IClusterRole;
  ClusterRoleBinding: IClusterRoleBinding;
}

/** A kind name with a known object type. */
export type KnownKind = keyof KubeKinds;

/**
 * An object as synthesized: `metadata` is always there (a name is required), and so is `spec` for
 * kinds that have one, so tests read `Testing.find(objects, 'Service').spec.type` under strict mode.
 */
export type Synthesized<T extends { metadata?: unknown }> = T & { metadata: NonNullable<T['metadata']> } & ('spec' extends keyof T ? { spec: NonNullable<T[Extract<'spec', keyof T>]> } : unknown);

export type {
  IPod, IService, IConfigMap, ISecret, INamespace, IReplicationController, IPersistentVolumeClaim,
  IServiceAccount, IDeployment, IDaemonSet, IStatefulSet, IReplicaSet, IJob, ICronJob, IIngress,
  INetworkPolicy, ICustomResourceDefinition, IHorizontalPodAutoscaler, IPodDisruptionBudget, IRole,
  IRoleBinding, IClusterRole, IClusterRoleBinding,
};

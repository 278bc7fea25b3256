// The Kubernetes types Dockyard's constructs build, from kubernetes-models (Kubernetes 1.33).
// Type-only imports: they cost nothing at run time (no model class, no validator is loaded).
// Enum fields are widened to `string` (as cdk8s' generated types have them): the strict schema check
// at synth reports a wrong value with its field path, and user code written against cdk8s types fits.
import type { IIoK8sApiAppsV1DaemonSetSpec } from 'kubernetes-models/apps/v1/DaemonSetSpec';
import type { IIoK8sApiAppsV1DeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';
import type { IIoK8sApiCoreV1Affinity } from 'kubernetes-models/v1/Affinity';
import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1EnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IIoK8sApiCoreV1PodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IIoK8sApiCoreV1PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IIoK8sApiCoreV1Probe } from 'kubernetes-models/v1/Probe';
import type { IIoK8sApiCoreV1ReplicationControllerSpec } from 'kubernetes-models/v1/ReplicationControllerSpec';
import type { IIoK8sApiCoreV1ServiceSpec } from 'kubernetes-models/v1/ServiceSpec';
import type { IIoK8sApiCoreV1Toleration } from 'kubernetes-models/v1/Toleration';
import type { IIoK8sApiCoreV1TopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IIoK8sApiCoreV1Volume } from 'kubernetes-models/v1/Volume';
import type { IIoK8sApiCoreV1VolumeMount } from 'kubernetes-models/v1/VolumeMount';

/** Kubernetes `ObjectMeta`. */
export type ObjectMeta = Loose<NonNullable<IIoK8sApiCoreV1PodTemplateSpec['metadata']>>;
/** Kubernetes `Affinity` (node affinity, pod (anti-)affinity). */
export type Affinity = Loose<IIoK8sApiCoreV1Affinity>;
/** Kubernetes `Container`. */
export type Container = Loose<IIoK8sApiCoreV1Container>;
/** Kubernetes `EnvVar`. */
export type EnvVar = Loose<IIoK8sApiCoreV1EnvVar>;
/** Kubernetes `PodSpec`. */
export type PodSpec = Loose<IIoK8sApiCoreV1PodSpec>;
/** Kubernetes `PodTemplateSpec`. */
export type PodTemplateSpec = Loose<IIoK8sApiCoreV1PodTemplateSpec>;
/** Kubernetes `Probe`. */
export type Probe = Loose<IIoK8sApiCoreV1Probe>;
/** Kubernetes `DeploymentSpec`. */
export type DeploymentSpec = Loose<IIoK8sApiAppsV1DeploymentSpec>;
/** Kubernetes `DaemonSetSpec`. */
export type DaemonSetSpec = Loose<IIoK8sApiAppsV1DaemonSetSpec>;
/** Kubernetes `ReplicationControllerSpec`. */
export type ReplicationControllerSpec = Loose<IIoK8sApiCoreV1ReplicationControllerSpec>;
/** Kubernetes `ServiceSpec`. */
export type ServiceSpec = Loose<IIoK8sApiCoreV1ServiceSpec>;
/** Kubernetes `Toleration`. */
export type Toleration = Loose<IIoK8sApiCoreV1Toleration>;
/** Kubernetes `TopologySpreadConstraint`. */
export type TopologySpreadConstraint = Loose<IIoK8sApiCoreV1TopologySpreadConstraint>;
/** Kubernetes `Volume`. */
export type Volume = Loose<IIoK8sApiCoreV1Volume>;
/** Kubernetes `VolumeMount`. */
export type VolumeMount = Loose<IIoK8sApiCoreV1VolumeMount>;

/** `T` with string-literal unions widened to `string`, through objects and lists. */
export type Loose<T> = T extends string ? string
  : T extends ReadonlyArray<infer U> ? Array<Loose<U>>
    : T extends object ? { [K in keyof T]: Loose<T[K]> } : T;

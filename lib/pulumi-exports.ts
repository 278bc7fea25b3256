import type * as pulumiTargets from './targets/pulumi';

// The Pulumi components are exported from the package root, but loaded on first use: requiring
// @pulumi/pulumi is slow to load, which users who only synthesize YAML should not pay.
export type { KubernetesAppArgs, DockerAppArgs, GkeClusterArgs, PublishedService } from './targets/pulumi';
/** Registers every object of a chart as a Pulumi Kubernetes resource (see lib/targets/pulumi). */
export declare const KubernetesApp: typeof pulumiTargets.KubernetesApp;
export type KubernetesApp = pulumiTargets.KubernetesApp;
/** Runs a chart on a Docker host through @pulumi/docker, from the shared Docker plan. */
export declare const DockerApp: typeof pulumiTargets.DockerApp;
export type DockerApp = pulumiTargets.DockerApp;
/** A GKE cluster, node pool and kubeconfig for `KubernetesApp` with target `gke`. */
export declare const GkeCluster: typeof pulumiTargets.GkeCluster;
export type GkeCluster = pulumiTargets.GkeCluster;

for (const name of ['KubernetesApp', 'DockerApp', 'GkeCluster'] as const) {
  Object.defineProperty(exports, name, {
    enumerable: true,
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    get: () => (require('./targets/pulumi') as typeof pulumiTargets)[name],
  });
}

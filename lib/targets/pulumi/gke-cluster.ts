/**
 * A GKE cluster with its own node pool and a kubeconfig, so one `pulumi up` brings up the cluster
 * and the app (what `KUBERNETES_PROVIDER=gke kube-up.sh` did for our users).
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/kubernetes/provider';
import { stringify } from 'yaml';
import { DockyardError } from '../../core/errors';

/** Options for `GkeCluster`. */
export interface GkeClusterArgs {
  /** GCP zone or region of the cluster (a zone such as `europe-west1-b` gives a cheaper zonal cluster). */
  readonly location: string;
  /** GKE cluster name. @default - a name Pulumi derives from the resource name */
  readonly clusterName?: string;
  /** GCP project. @default - the `gcp:project` of the stack */
  readonly project?: string;
  /** Number of nodes (per zone for a regional cluster). @default 3 */
  readonly nodeCount?: number;
  /** Machine type of the nodes. @default 'e2-medium' */
  readonly machineType?: string;
  /** Minimum Kubernetes version of the control plane. @default - the GKE default of the release channel */
  readonly minMasterVersion?: string;
  /**
   * Whether GCP refuses to delete the cluster. Off by default so `pulumi destroy` tears down what
   * `pulumi up` made, as `kube-down.sh` did; turn it on for a cluster you keep. @default false
   */
  readonly deletionProtection?: boolean;
}

/** Values a kubeconfig for a GKE cluster is built from. */
export interface GkeKubeconfigInput {
  /** Cluster name. */
  readonly name: string;
  /** GCP project. */
  readonly project: string;
  /** Zone or region. */
  readonly location: string;
  /** Control plane IP or host (the cluster's `endpoint`). */
  readonly endpoint: string;
  /** Base64 CA certificate (`masterAuth.clusterCaCertificate`). */
  readonly caCertificate: string;
}

/**
 * Builds the kubeconfig `gcloud container clusters get-credentials` would write: the context is named
 * `gke_<project>_<location>_<name>` and authentication runs `gke-gcloud-auth-plugin`, so no token is
 * stored in the stack state.
 */
export function gkeKubeconfig(c: GkeKubeconfigInput): string {
  const context = `gke_${c.project}_${c.location}_${c.name}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server: `https://${c.endpoint}`, 'certificate-authority-data': c.caCertificate } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    'current-context': context,
    preferences: {},
    users: [{
      name: context,
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'gke-gcloud-auth-plugin',
          installHint: 'Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin) to use this kubeconfig',
          provideClusterInfo: true,
        },
      },
    }],
  });
}

// The few members of @pulumi/gcp's container module used here. Typed locally on purpose: importing
// its types makes tsc parse 13 MB of declarations (a slower type-check), and requiring it
// only when a cluster is asked for keeps `KubernetesApp` free of it otherwise.
interface GcpResourceClass<T> { new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions): T }
interface GcpCluster extends pulumi.CustomResource {
  readonly name: pulumi.Output<string>;
  readonly project: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly masterAuth: pulumi.Output<{ clusterCaCertificate?: string }>;
}
interface GcpNodePool extends pulumi.CustomResource { readonly name: pulumi.Output<string> }
interface GcpContainer { Cluster: GcpResourceClass<GcpCluster>; NodePool: GcpResourceClass<GcpNodePool> }

function loadGcpContainer(): GcpContainer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@pulumi/gcp/container') as GcpContainer;
}

/**
 * A GKE cluster (`gcp.container.Cluster` without its default pool), a `NodePool`, the kubeconfig
 * built from the cluster's endpoint and CA, and a Kubernetes provider on that kubeconfig that waits
 * for the node pool, so workloads are only created once there are nodes to run them.
 */
export class GkeCluster extends pulumi.ComponentResource {
  /** The GKE cluster. */
  public readonly cluster: GcpCluster;
  /** The node pool. */
  public readonly nodePool: GcpNodePool;
  /** Kubeconfig for the cluster (a Pulumi secret: it names the control plane and its CA). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Kubernetes provider for the cluster. */
  public readonly provider: Provider;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dockyard:pulumi:GkeCluster', name, {}, opts);
    if (!args.location) {
      throw new DockyardError({ where: `GkeCluster ${name}`, message: 'has no location', fix: 'set location to a GCP zone or region, e.g. "europe-west1-b" (stack config gcp:zone)' });
    }
    const nodeCount = args.nodeCount ?? 3;
    if (!Number.isInteger(nodeCount) || nodeCount < 1) {
      throw new DockyardError({ where: `GkeCluster ${name}`, message: `nodeCount ${nodeCount} is not a positive whole number`, fix: 'use 1 or more nodes' });
    }
    const gcp = loadGcpContainer();
    const common = { location: args.location, ...(args.project ? { project: args.project } : {}) };
    // GKE needs a node pool at creation; the default one is removed at once so the managed pool
    // below is the only one and can be resized without recreating the cluster.
    this.cluster = new gcp.Cluster(`${name}-cluster`, {
      ...common,
      ...(args.clusterName ? { name: args.clusterName } : {}),
      initialNodeCount: 1,
      removeDefaultNodePool: true,
      deletionProtection: args.deletionProtection ?? false,
      ...(args.minMasterVersion ? { minMasterVersion: args.minMasterVersion } : {}),
    }, { parent: this });
    this.nodePool = new gcp.NodePool(`${name}-nodes`, {
      ...common,
      cluster: this.cluster.name,
      nodeCount,
      nodeConfig: { machineType: args.machineType ?? 'e2-medium', oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'] },
    }, { parent: this });
    this.kubeconfig = pulumi.secret(pulumi.all([this.cluster.name, this.cluster.project, this.cluster.location, this.cluster.endpoint, this.cluster.masterAuth])
      .apply(([n, project, location, endpoint, auth]) => gkeKubeconfig({ name: n, project, location, endpoint, caCertificate: auth?.clusterCaCertificate ?? '' })));
    this.provider = new Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this, dependsOn: [this.nodePool] });
    this.registerOutputs({ kubeconfig: this.kubeconfig, clusterName: this.cluster.name, endpoint: this.cluster.endpoint });
  }
}

/**
 * `KubernetesApp`: deploys the IR of a cdk8s chart (plain Kubernetes objects) with
 * `@pulumi/kubernetes` to GKE, kind or any kubeconfig, one typed Pulumi resource per object.
 */
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/kubernetes/provider';
import type { Chart } from 'cdk8s';
import { DockyardError } from '../../core/errors';
import { describeObject, KubeObject } from '../../core/manifests';
import { chartObjects } from './chart-objects';
import { GkeCluster, GkeClusterArgs } from './gke-cluster';
import { registerKubeObject } from './kube-classes';
import {
  adaptForTarget, checkObjects, dependenciesOf, KUBERNETES_TARGETS, KubernetesTarget, objectKey, orderObjects,
  resourceName, ServiceEndpoint, serviceEndpoint,
} from './kube-objects';

/** Options for `KubernetesApp`. */
export interface KubernetesAppArgs {
  /** The cdk8s chart to deploy; its objects are validated as `cdk8s synth` validates them. @default - only `objects` are deployed */
  readonly chart?: Chart;
  /** Plain Kubernetes objects to deploy (e.g. loaded manifests), after the chart's. @default [] */
  readonly objects?: readonly KubeObject[];
  /** Where the objects go: `gke`, `kind` or any cluster of a `kubeconfig`. */
  readonly target: KubernetesTarget;
  /** Kubeconfig contents or path. @default - `$KUBECONFIG` or `~/.kube/config` */
  readonly kubeconfig?: pulumi.Input<string>;
  /** Kubeconfig context to use. @default 'kind-kind' on kind (the context `kind create cluster` makes), else the current context */
  readonly context?: pulumi.Input<string>;
  /** Create a GKE cluster and deploy into it (target `gke` only). @default - deploy to an existing cluster */
  readonly cluster?: GkeClusterArgs;
  /** A Kubernetes provider to use instead of one built from the target. @default - a provider built from kubeconfig/context or the cluster */
  readonly provider?: Provider;
}

/**
 * Registers every IR object of a chart as a `@pulumi/kubernetes` resource under one component:
 * Namespaces, then CRDs, then ConfigMaps/Secrets/ServiceAccounts/RBAC, then the rest, each with an
 * explicit `dependsOn` on the objects it names. Secret values are Pulumi secrets. On kind a
 * LoadBalancer Service becomes NodePort (see `notes`); on GKE `endpoints` carries the external IP.
 */
export class KubernetesApp extends pulumi.ComponentResource {
  /** The Kubernetes provider every object is created with. */
  public readonly provider: Provider;
  /** The cluster created for the app, when `cluster` was given. */
  public readonly cluster?: GkeCluster;
  /** Kubeconfig of the created cluster (secret), when `cluster` was given. */
  public readonly kubeconfig?: pulumi.Output<string>;
  /** How to reach each Service, keyed by `Service/<namespace>/<name>`. */
  public readonly endpoints: pulumi.Output<Record<string, ServiceEndpoint>>;
  /** What the target changed in the objects and why (also logged during `pulumi up`). */
  public readonly notes: readonly string[];
  /** The objects as registered, after target adaptation, in registration order. */
  public readonly objects: readonly KubeObject[];
  private readonly byKey = new Map<string, pulumi.CustomResource>();

  constructor(name: string, args: KubernetesAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dockyard:pulumi:KubernetesApp', name, {}, opts);
    const where = `KubernetesApp ${name}`;
    checkArgs(where, args);
    const input = [...(args.chart ? chartObjects(args.chart) : []), ...(args.objects ?? [])];
    checkObjects(args.chart ? `${where} (chart ${args.chart.node.path})` : where, input);

    if (args.provider) {
      this.provider = args.provider;
    } else if (args.cluster) {
      this.cluster = new GkeCluster(`${name}-gke`, args.cluster, { parent: this });
      this.provider = this.cluster.provider;
      this.kubeconfig = this.cluster.kubeconfig;
    } else {
      const context = args.context ?? (args.target === 'kind' ? 'kind-kind' : undefined);
      this.provider = new Provider(`${name}-k8s`, { kubeconfig: args.kubeconfig, context }, { parent: this });
    }

    const adapted = input.map((o) => adaptForTarget(o, args.target));
    const notes = adapted.flatMap((a) => (a.note ? [a.note] : []));
    for (const note of notes) void pulumi.log.info(note, this);
    const ordered = orderObjects(adapted.map((a) => a.object));

    const endpoints: Record<string, pulumi.Output<ServiceEndpoint>> = {};
    for (const o of ordered) {
      // orderObjects puts dependencies first, so they are registered already; only the back edge of
      // a (nonsensical) cycle is missing, and dropping it is what keeps Pulumi from waiting forever.
      const dependsOn = dependenciesOf(o, ordered).flatMap((k) => (this.byKey.has(k) ? [this.byKey.get(k)!] : []));
      const res = registerKubeObject(resourceName(name, o), protectSecret(o), { parent: this, provider: this.provider, dependsOn });
      this.byKey.set(objectKey(o), res);
      if (o.apiVersion === 'v1' && o.kind === 'Service') {
        const svc = res as pulumi.CustomResource & { spec: pulumi.Output<any>; status: pulumi.Output<any> };
        endpoints[describeObject(o)] = pulumi.all([svc.spec, svc.status]).apply(([spec, status]) => serviceEndpoint(o, spec, status));
      }
    }
    this.objects = ordered;
    this.notes = notes;
    this.endpoints = pulumi.output(endpoints) as pulumi.Output<Record<string, ServiceEndpoint>>;
    this.registerOutputs({ endpoints: this.endpoints, notes, ...(this.kubeconfig ? { kubeconfig: this.kubeconfig } : {}) });
  }

  /** The Pulumi resource of an object, by `Kind/<namespace>/<name>` (as `describeObject` writes it). */
  public resource(id: string): pulumi.CustomResource | undefined {
    const o = this.objects.find((x) => describeObject(x) === id);
    return o ? this.byKey.get(objectKey(o)) : undefined;
  }

  /** Every registered resource, keyed like `resource()`. */
  public get resources(): Record<string, pulumi.CustomResource> {
    return Object.fromEntries(this.objects.map((o) => [describeObject(o), this.byKey.get(objectKey(o))!]));
  }
}

function checkArgs(where: string, args: KubernetesAppArgs): void {
  if (!KUBERNETES_TARGETS.includes(args.target)) {
    throw new DockyardError({ where, message: `target "${String(args.target)}" is not one of ${KUBERNETES_TARGETS.join(', ')}`, fix: 'use gke, kind or kubeconfig (the Docker host has its own component, DockerApp)' });
  }
  if (args.cluster && args.target !== 'gke') {
    throw new DockyardError({ where, message: `cluster creation is only for GKE, but the target is ${args.target}`, fix: 'set target: "gke", or drop cluster and point kubeconfig/context at your cluster' });
  }
  if (args.cluster && args.provider) {
    throw new DockyardError({ where, message: 'both cluster and provider are given', fix: 'give cluster to create one, or provider to use yours, not both' });
  }
  if (!args.chart && !args.objects?.length) {
    throw new DockyardError({ where, message: 'has nothing to deploy (no chart, no objects)', fix: 'pass chart: yourChart or objects: [...]' });
  }
}

/**
 * Wraps the values of a Secret in `pulumi.secret`, so they are encrypted in the state and shown as
 * `[secret]`, never as plain outputs. Other objects pass through unchanged.
 */
export function protectSecret(o: KubeObject): KubeObject {
  if (o.apiVersion !== 'v1' || o.kind !== 'Secret') return o;
  const out: Record<string, unknown> = { ...o };
  if (o.data !== undefined) out.data = pulumi.secret(o.data);
  if (o.stringData !== undefined) out.stringData = pulumi.secret(o.stringData);
  return out as KubeObject;
}

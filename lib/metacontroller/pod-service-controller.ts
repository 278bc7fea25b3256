import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { addProblems } from '../core/construct-problems';
import { Problem } from '../core/errors';
import { KubeObject } from '../core/manifests';
import { checkDnsLabel, checkDnsSubdomain } from '../core/naming';
import { declareSchemas } from '../core/known-schemas';
import { METACONTROLLER_API_VERSION, METACONTROLLER_SCHEMAS } from './composite-controller-schema';
import { DEFAULT_PODSERVICE_GROUP, DEFAULT_PODSERVICE_VERSION, PODSERVICE_NAMES, podServiceCrd } from './crd';

/** How Metacontroller updates a child that exists but differs from what the webhook returns. */
export type ChildUpdateMethod = 'OnDelete' | 'Recreate' | 'InPlace' | 'RollingRecreate' | 'RollingInPlace';

/** The Metacontroller hook API version: v2 keys every namespaced child as `namespace/name`. */
export type HookVersion = 'v1' | 'v2';

/** Props for `PodServiceController`. */
export interface PodServiceControllerProps {
  /** Image of the webhook: any image with this package's `dockyard` command on its PATH. */
  readonly image: string;
  /** API group of the PodService kind. @default "dockyard.io" */
  readonly group?: string;
  /** Version of the PodService kind. @default "v1alpha1" */
  readonly version?: string;
  /** Name of the CompositeController and of the webhook's Deployment and Service. @default "podservice-controller" */
  readonly name?: string;
  /** Namespace of the webhook's Deployment and Service (Metacontroller's own by default). @default "metacontroller" */
  readonly namespace?: string;
  /** Port the webhook listens on in its container. @default 8080 */
  readonly port?: number;
  /** Webhook replicas. @default 1 */
  readonly replicas?: number;
  /** Hook API version Metacontroller speaks to the webhook. @default "v1" */
  readonly hookVersion?: HookVersion;
  /** Update strategy of Pod children (most Pod fields are immutable, hence Recreate). @default "Recreate" */
  readonly podUpdateMethod?: ChildUpdateMethod;
  /** Update strategy of Service and Ingress children. @default "InPlace" */
  readonly serviceUpdateMethod?: ChildUpdateMethod;
  /** How long Metacontroller waits for the webhook (a Go duration). @default "10s" */
  readonly timeout?: string;
  /** Periodic resync of every PodService, in seconds. @default - only on changes */
  readonly resyncPeriodSeconds?: number;
}

/** Props with every default filled in. */
export type ResolvedControllerProps = Required<Omit<PodServiceControllerProps, 'resyncPeriodSeconds'>> & { readonly resyncPeriodSeconds?: number };

/** Fills in the defaults of `PodServiceControllerProps`. */
export function resolveControllerProps(props: PodServiceControllerProps): ResolvedControllerProps {
  return {
    image: props.image,
    group: props.group ?? DEFAULT_PODSERVICE_GROUP,
    version: props.version ?? DEFAULT_PODSERVICE_VERSION,
    name: props.name ?? 'podservice-controller',
    namespace: props.namespace ?? 'metacontroller',
    port: props.port ?? 8080,
    replicas: props.replicas ?? 1,
    hookVersion: props.hookVersion ?? 'v1',
    podUpdateMethod: props.podUpdateMethod ?? 'Recreate',
    serviceUpdateMethod: props.serviceUpdateMethod ?? 'InPlace',
    timeout: props.timeout ?? '10s',
    ...(props.resyncPeriodSeconds !== undefined ? { resyncPeriodSeconds: props.resyncPeriodSeconds } : {}),
  };
}

/** Problems in the props (each naming the prop), empty when valid. */
export function checkControllerProps(p: ResolvedControllerProps): Problem[] {
  const out: Problem[] = [];
  const add = (field: string, message: string, fix: string) => out.push({ where: `props.${field}`, message, fix, fieldPath: [field] });
  if (typeof p.image !== 'string' || p.image.trim() === '' || /\s/.test(p.image)) add('image', `${JSON.stringify(p.image)} is not an image reference`, 'set image to the webhook image, like "registry.local/dockyard:0.1.0"');
  const g = checkDnsSubdomain(p.group);
  if (g || !p.group.includes('.')) add('group', `"${p.group}" ${g ?? 'has no dot'}`, 'use a DNS name you own, like "dockyard.io" or "example.com"');
  if (!/^v\d+((alpha|beta)\d+)?$/.test(p.version)) add('version', `"${p.version}" is not a Kubernetes API version`, 'use a version like "v1alpha1" or "v1"');
  for (const [field, value] of [['name', p.name], ['namespace', p.namespace]] as const) {
    const bad = checkDnsLabel(value);
    if (bad) add(field, `"${value}" ${bad}`, `use a ${field} like "podservice-controller"`);
  }
  if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) add('port', `${p.port} is not a port`, 'use a whole number between 1 and 65535');
  if (!Number.isInteger(p.replicas) || p.replicas < 1) add('replicas', `${p.replicas} is not a positive whole number`, 'use 1 or more');
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(p.timeout)) add('timeout', `"${p.timeout}" is not a Go duration`, 'use a duration like "10s" or "1m30s"');
  if (p.resyncPeriodSeconds !== undefined && (!Number.isInteger(p.resyncPeriodSeconds) || p.resyncPeriodSeconds < 1)) add('resyncPeriodSeconds', `${p.resyncPeriodSeconds} is not a positive whole number`, 'use a number of seconds, or leave it out');
  return out;
}

const WEBHOOK_SERVICE_PORT = 80;

/** Labels of the webhook's Pods, shared by the Deployment selector and the Service selector. */
export function webhookLabels(p: ResolvedControllerProps): Record<string, string> {
  return { 'app.kubernetes.io/name': p.name, 'app.kubernetes.io/component': 'webhook', 'app.kubernetes.io/part-of': 'dockyard' };
}

/** In-cluster URL of a hook path on the webhook Service. */
export function hookUrl(p: ResolvedControllerProps, path: '/sync' | '/finalize'): string {
  return `http://${p.name}.${p.namespace}${path}`;
}

/** The CompositeController: PodService parents, Pod/Service/Ingress children, sync and finalize hooks. */
export function compositeController(p: ResolvedControllerProps): KubeObject {
  const hook = (path: '/sync' | '/finalize') => ({ version: p.hookVersion, webhook: { url: hookUrl(p, path), timeout: p.timeout } });
  return {
    apiVersion: METACONTROLLER_API_VERSION,
    kind: 'CompositeController',
    metadata: { name: p.name },
    spec: {
      // Parents carry no selector: Metacontroller labels children with the parent's uid.
      generateSelector: true,
      parentResource: { apiVersion: `${p.group}/${p.version}`, resource: PODSERVICE_NAMES.plural },
      childResources: [
        { apiVersion: 'v1', resource: 'pods', updateStrategy: { method: p.podUpdateMethod } },
        { apiVersion: 'v1', resource: 'services', updateStrategy: { method: p.serviceUpdateMethod } },
        { apiVersion: 'networking.k8s.io/v1', resource: 'ingresses', updateStrategy: { method: p.serviceUpdateMethod } },
      ],
      ...(p.resyncPeriodSeconds !== undefined ? { resyncPeriodSeconds: p.resyncPeriodSeconds } : {}),
      hooks: { sync: hook('/sync'), finalize: hook('/finalize') },
    },
  };
}

/** The webhook's Deployment: `dockyard webhook podservice` on all addresses, probed on /healthz. */
export function webhookDeployment(p: ResolvedControllerProps): KubeObject {
  const labels = webhookLabels(p);
  const probe = (initialDelaySeconds: number) => ({ httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds, periodSeconds: 10 });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.name, namespace: p.namespace, labels: { ...labels } },
    spec: {
      replicas: p.replicas,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          // The webhook never calls the Kubernetes API: no token in the Pod.
          automountServiceAccountToken: false,
          // Longer than the server's own drain timeout, so in-flight hooks finish on a rollout.
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: 'webhook',
            image: p.image,
            command: ['dockyard', 'webhook', 'podservice', '--port', String(p.port), '--host', '0.0.0.0'],
            ports: [{ name: 'http', containerPort: p.port, protocol: 'TCP' }],
            readinessProbe: probe(1),
            livenessProbe: probe(5),
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ['ALL'] } },
          }],
        },
      },
    },
  };
}

/** The webhook's Service (port 80), the address the CompositeController's hooks point at. */
export function webhookService(p: ResolvedControllerProps): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: p.name, namespace: p.namespace, labels: webhookLabels(p) },
    spec: { type: 'ClusterIP', selector: webhookLabels(p), ports: [{ name: 'http', port: WEBHOOK_SERVICE_PORT, targetPort: 'http', protocol: 'TCP' }] },
  };
}

/** Everything a cluster with Metacontroller needs to run PodServices, in apply order. */
export function podServiceControllerObjects(props: PodServiceControllerProps): KubeObject[] {
  const p = resolveControllerProps(props);
  return [podServiceCrd(p), webhookService(p), webhookDeployment(p), compositeController(p)];
}

/**
 * PodService under Metacontroller: the CRD, the CompositeController and the webhook (Deployment +
 * Service) that serves `renderPodService` as the sync hook. Children have ids Crd, Service,
 * Deployment and CompositeController.
 */
export class PodServiceController extends Construct {
  /** The resolved settings (a copy). */
  public get settings(): ResolvedControllerProps { return { ...this.resolved }; }
  /** `group/version` of the PodService kind this controller serves. */
  public readonly apiVersion: string;
  /** The generated objects (empty when the props are invalid). */
  public readonly objects: ApiObject[] = [];
  private readonly resolved: ResolvedControllerProps;

  constructor(scope: Construct, id: string, props: PodServiceControllerProps) {
    super(scope, id);
    declareSchemas(this, ...METACONTROLLER_SCHEMAS);
    this.resolved = resolveControllerProps(props);
    this.apiVersion = `${this.resolved.group}/${this.resolved.version}`;
    const problems = checkControllerProps(this.resolved);
    if (problems.length) {
      addProblems(this, () => problems.map((x) => ({ message: `${x.where.replace(/^props\./, '')} ${x.message}`, fix: x.fix, fieldPath: x.fieldPath })));
      return;
    }
    const ids = ['Crd', 'Service', 'Deployment', 'CompositeController'];
    const chartNamespace = Chart.of(this).namespace;
    podServiceControllerObjects(this.resolved).forEach((obj, i) => {
      const { apiVersion, kind, metadata, ...rest } = obj;
      const api = new ApiObject(this, ids[i], { apiVersion, kind, metadata, ...rest });
      // cdk8s gives every object the chart's namespace; the CRD and the controller are cluster-scoped.
      if (chartNamespace && metadata?.namespace === undefined) api.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      this.objects.push(api);
    });
  }
}

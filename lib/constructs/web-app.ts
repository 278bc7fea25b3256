import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IConfigSource, missingKey } from './config-source';
import { ConfigMount, EnvFrom, EnvValue } from './env-value';
import { restrictedSecurityContext } from './pod-service';
import { Probe } from './probe';
import { addProblems } from '../core/construct-problems';
import type { ProblemDetail } from '../core/errors';
import { FieldPath, formatFieldPath } from '../core/field-path';
import { checkDnsLabel, checkDnsSubdomain, isValidEnvName, toDnsLabel } from '../core/naming';
import { put, sortedCopy } from '../core/json';
import { KubeResource } from '../core/resource';
import type * as k8s from '../ir/k8s-types';

/** What runs the pods. */
export type WorkloadKind = 'ReplicationController' | 'Deployment' | 'DaemonSet' | 'Pod';

/** How the Service is reached. */
export type ServiceType = 'LoadBalancer' | 'ClusterIP' | 'NodePort';

/** One more port of the container, exposed by the Service too. */
export interface WebAppPort {
  /** Port the container listens on. */
  readonly containerPort: number;
  /** Port the Service exposes. @default - the container port */
  readonly servicePort?: number;
  /** Protocol. @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** Port name (DNS-1123 label, at most 15 characters). @default - "<protocol>-<servicePort>" */
  readonly name?: string;
  /** Node port, for NodePort and LoadBalancer Services. @default - chosen by Kubernetes */
  readonly nodePort?: number;
}

/** CPU and memory requests and limits (Kubernetes quantities like "250m", "128Mi"). */
export interface WebAppResources {
  /** CPU request and limit. @default - none */
  readonly cpu?: { readonly request?: string; readonly limit?: string };
  /** Memory request and limit. @default - none */
  readonly memory?: { readonly request?: string; readonly limit?: string };
}

/** Defaults applied when `resources` is not given: small, so a laptop cluster fits many apps. */
export const DEFAULT_RESOURCES: WebAppResources = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '256Mi' },
};

/** Container security settings. */
export interface WebAppSecurity {
  /** UID to run as. @default - the image's user */
  readonly user?: number;
  /** GID to run as. @default - the image's group */
  readonly group?: number;
  /** Refuse to start as root. @default - not set */
  readonly runAsNonRoot?: boolean;
  /** Mount the root filesystem read-only. @default false */
  readonly readOnlyRootFilesystem?: boolean;
  /** Allow setuid binaries to gain privileges. @default false */
  readonly allowPrivilegeEscalation?: boolean;
  /** Run privileged (the container owns the host). @default false */
  readonly privileged?: boolean;
  /**
   * Linux capabilities to add and drop (replaces the default); `{}` keeps the runtime's default set (as Docker Compose does).
   * @default - drop ALL, and add NET_BIND_SERVICE when `port` is below 1024 (Pod Security "restricted"); none when privileged
   */
  readonly capabilities?: { readonly add?: string[]; readonly drop?: string[] };
  /**
   * Seccomp profile of the container. `Unconfined` opens every system call (the Docker target needs --allow-privileged).
   * @default - { type: 'RuntimeDefault' } (Pod Security "restricted"); none when privileged
   */
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined'; readonly localhostProfile?: string };
}


/** A volume that is not a config or secret: scratch space, a host folder, or a claim. */
export interface WebAppVolume {
  /** Volume name (DNS-1123 label). */
  readonly name: string;
  /** Where it appears in the container. */
  readonly mountPath: string;
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
  /** Scratch space (`medium: "Memory"` for tmpfs). @default - not this kind */
  readonly emptyDir?: { readonly medium?: 'Memory'; readonly sizeLimit?: string };
  /** A folder of the node. @default - not this kind */
  readonly hostPath?: { readonly path: string; readonly type?: string };
  /** A PersistentVolumeClaim. @default - not this kind */
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
}

/** Props for `WebApp`. */
export interface WebAppProps {
  /** Container image, with a tag (`nginx:1.27`). */
  readonly image: string;
  /**
   * Port the container listens on. Required unless `service: false`: an app without a Service may
   * listen on nothing (a worker, a queue consumer), and then the container declares no port.
   * @default - none; only allowed with `service: false`
   */
  readonly port?: number;
  /** Base name of every object, the container and the default selector. @default - the construct id as a DNS-1123 label */
  readonly name?: string;
  /** Name of the workload object. @default - `name` */
  readonly workloadName?: string;
  /** Name of the Service. @default - `name` */
  readonly serviceName?: string;
  /** Number of pods (not for DaemonSet; at most 1 for Pod). @default 2 */
  readonly replicas?: number;
  /** Port the Service exposes. @default - `port` */
  readonly servicePort?: number;
  /** Service type. @default "LoadBalancer" */
  readonly serviceType?: ServiceType;
  /** A headless Service (`clusterIP: None`): its DNS name resolves to the pod IPs, no virtual IP (ClusterIP only). @default false */
  readonly headless?: boolean;
  /** Node port of the main port (NodePort/LoadBalancer only). @default - chosen by Kubernetes */
  readonly nodePort?: number;
  /** Create the Service at all. @default true */
  readonly service?: boolean;
  /** More container ports, each exposed by the Service. @default - none */
  readonly additionalPorts?: WebAppPort[];
  /** What runs the pods. @default "ReplicationController" */
  readonly workload?: WorkloadKind;
  /** A config whose keys all become env vars and files under `configMountPath`. @default - none */
  readonly config?: IConfigSource;
  /** Where the keys of `config` appear as files. @default "/etc/config" */
  readonly configMountPath?: string;
  /** Environment variables: literals or `EnvValue`s (one key of a config or secret). @default - none */
  readonly env?: Record<string, string | EnvValue>;
  /** Every key of these configs/secrets as env vars, with an optional prefix. @default - none */
  readonly envFrom?: EnvFrom[];
  /** Configs/secrets mounted as files. @default - none */
  readonly mounts?: ConfigMount[];
  /** Entrypoint override (`$(VAR)` references are checked). @default - the image's entrypoint */
  readonly command?: string[];
  /** Arguments (`$(VAR)` references are checked). @default - the image's command */
  readonly args?: string[];
  /** Working directory. @default - the image's */
  readonly workingDir?: string;
  /** Requests and limits; `false` sets none. @default DEFAULT_RESOURCES */
  readonly resources?: WebAppResources | false;
  /** Readiness probe. @default - none */
  readonly readiness?: Probe;
  /** Liveness probe. @default - none */
  readonly liveness?: Probe;
  /** Startup probe. @default - none */
  readonly startup?: Probe;
  /** Labels on every object and pod. @default - none */
  readonly labels?: Record<string, string>;
  /** Labels that select the pods (always on the pods too, so they never drift). @default - { app: name } */
  readonly selector?: Record<string, string>;
  /** Annotations on the pods. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Annotations on the Service. @default - none */
  readonly serviceAnnotations?: Record<string, string>;
  /** Namespace of every object. @default - the chart's namespace */
  readonly namespace?: string;
  /** External IPs the Service answers on. @default - none */
  readonly externalIPs?: string[];
  /** Requested load balancer IP (LoadBalancer only). @default - assigned by the provider */
  readonly loadBalancerIP?: string;
  /** Pod hostname. @default - the pod name */
  readonly hostname?: string;
  /** Container security settings. @default - allowPrivilegeEscalation false, capabilities drop ALL, seccomp RuntimeDefault (see `restrictedSecurityContext`) */
  readonly security?: WebAppSecurity;
  /** Pod restart policy ("Always" for controllers). @default "Always" */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Rolling update limits (Deployment and DaemonSet). @default - Kubernetes' defaults (25%) */
  readonly strategy?: { readonly maxSurge?: number | string; readonly maxUnavailable?: number | string };
  /** Seconds a new pod must be ready before it counts as available. @default 0 */
  readonly minReadySeconds?: number;
  /** Node affinity and (anti-)affinity, as the Kubernetes type. @default - none */
  readonly affinity?: k8s.Affinity;
  /** Topology spread constraints, as the Kubernetes type. @default - none */
  readonly topologySpread?: k8s.TopologySpreadConstraint[];
  /** Tolerations of the pods, as the Kubernetes type (to run on tainted nodes). @default - none */
  readonly tolerations?: k8s.Toleration[];
  /** Scratch, host and claim volumes. @default - none */
  readonly volumes?: WebAppVolume[];
  /** Image pull policy. @default - Kubernetes' default for the tag */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** A body mapping being built in key order (see `put`). */
type Fields = Record<string, unknown>;

const VAR_REF = /\$\(([^)]*)\)/g;

/** The `$(VAR)` names a string refers to (`$$(X)` is an escaped literal, not a reference). */
export function varReferences(text: string): string[] {
  const out: string[] = [];
  const unescaped = text.replace(/\$\$/g, '\u0000');
  for (const m of unescaped.matchAll(VAR_REF)) out.push(m[1]);
  return out;
}

function portProblem(fieldPath: FieldPath, port: number | undefined, min = 1, max = 65535): ProblemDetail | undefined {
  if (port === undefined) return undefined;
  if (!Number.isInteger(port) || port < min || port > max) return { message: `${formatFieldPath(fieldPath)} ${port} is out of range`, fix: `use a whole number between ${min} and ${max}`, fieldPath };
  return undefined;
}

/**
 * A workload plus the Service that selects it: the pair our users write by hand as
 * `web-controller` + `web-service`. Selector and pod labels come from one place and cannot drift.
 */
export class WebApp extends Construct {
  /** The workload (ReplicationController, Deployment, DaemonSet or Pod). */
  public readonly workload: ApiObject;
  /** The Service, unless `service: false`. */
  public readonly service?: ApiObject;
  /** Base name. */
  public readonly name: string;
  /** Namespace of the objects. */
  public readonly namespace: string | undefined;
  private readonly props: WebAppProps;
  private readonly env: Array<[string, EnvValue]> = [];
  private readonly envFrom: EnvFrom[] = [];
  private readonly mounts: ConfigMount[] = [];

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    this.props = props;
    this.name = props.name ?? toDnsLabel(id);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    for (const [k, v] of Object.entries(props.env ?? {})) this.addEnv(k, v);
    if (props.config) this.envFrom.push({ source: props.config });
    for (const e of props.envFrom ?? []) this.addEnvFrom(e);
    if (props.config) this.mounts.push({ path: props.configMountPath ?? '/etc/config', source: props.config });
    for (const m of props.mounts ?? []) this.addMount(m);

    const kind = props.workload ?? 'ReplicationController';
    const metadata: k8s.ObjectMeta = { name: props.workloadName ?? this.name, namespace: props.namespace, labels: this.objectLabels() };
    // Bodies are built at render time, so that addEnv/addMount calls made after construction still reach
    // the output, with keys in order and no undefined field (`put`): as render writes them, uncopied.
    const template = (): k8s.PodTemplateSpec => {
      const podMeta = put({} as k8s.ObjectMeta, 'annotations', props.podAnnotations);
      podMeta.labels = this.objectLabels();
      return { metadata: podMeta, spec: this.podSpec() };
    };
    const replicas = props.replicas ?? 2;
    const rolling = props.strategy ? put(put({} as Fields, 'maxSurge', props.strategy.maxSurge), 'maxUnavailable', props.strategy.maxUnavailable) : undefined;
    switch (kind) {
      case 'Deployment':
        this.workload = new KubeResource(this, 'Resource', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata,
          body: () => {
            const spec = put({} as k8s.DeploymentSpec, 'minReadySeconds', props.minReadySeconds);
            spec.replicas = replicas;
            spec.selector = { matchLabels: this.selectorLabels() };
            put(spec, 'strategy', rolling ? { rollingUpdate: rolling, type: 'RollingUpdate' } : undefined);
            spec.template = template();
            return { spec };
          },
        });
        break;
      case 'DaemonSet':
        this.workload = new KubeResource(this, 'Resource', {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata,
          body: () => {
            const spec = put({} as k8s.DaemonSetSpec, 'minReadySeconds', props.minReadySeconds);
            spec.selector = { matchLabels: this.selectorLabels() };
            spec.template = template();
            return { spec: put(spec, 'updateStrategy', rolling ? { rollingUpdate: rolling, type: 'RollingUpdate' } : undefined) };
          },
        });
        break;
      case 'Pod':
        this.workload = new KubeResource(this, 'Resource', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { ...metadata, labels: this.objectLabels(), annotations: props.podAnnotations },
          body: () => ({ spec: this.podSpec() }),
        });
        break;
      default:
        this.workload = new KubeResource(this, 'Resource', {
          apiVersion: 'v1',
          kind: 'ReplicationController',
          metadata,
          body: () => {
            const spec = put({} as k8s.ReplicationControllerSpec, 'minReadySeconds', props.minReadySeconds);
            spec.replicas = replicas;
            spec.selector = this.selectorLabels();
            spec.template = template();
            return { spec };
          },
        });
    }

    if (props.service ?? true) {
      const type = props.serviceType ?? 'LoadBalancer';
      this.service = new KubeResource(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: props.serviceName ?? this.name, namespace: props.namespace, labels: this.objectLabels(), annotations: props.serviceAnnotations },
        body: () => {
          const spec = put({} as k8s.ServiceSpec, 'clusterIP', props.headless ? 'None' : undefined);
          put(spec, 'externalIPs', props.externalIPs);
          put(spec, 'loadBalancerIP', type === 'LoadBalancer' ? props.loadBalancerIP : undefined);
          spec.ports = this.allPorts().map((p, _i, all) => {
            const port = put(put({} as NonNullable<k8s.ServiceSpec['ports']>[number], 'name', all.length > 1 ? p.name : undefined), 'nodePort', type === 'ClusterIP' ? undefined : p.nodePort);
            port.port = p.servicePort;
            port.protocol = p.protocol;
            port.targetPort = p.containerPort;
            return port;
          });
          spec.selector = this.selectorLabels();
          spec.type = type;
          return { spec };
        },
      });
    }
    addProblems(this, () => this.validateWebApp());
  }

  /** Adds an environment variable (a literal or an `EnvValue`). */
  public addEnv(name: string, value: string | EnvValue): void {
    this.env.push([name, typeof value === 'string' ? EnvValue.fromValue(value) : value]);
  }

  /** Adds every key of a config or secret as env vars. */
  public addEnvFrom(from: EnvFrom): void {
    this.envFrom.push(from);
  }

  /** Mounts a config or secret as files. */
  public addMount(mount: ConfigMount): void {
    this.mounts.push(mount);
  }

  /** The labels that select the pods (a copy). */
  public selectorLabels(): Record<string, string> {
    return this.props.selector ? sortedCopy(this.props.selector) : { app: this.name };
  }

  /** The names of every env var the container will have, including `envFrom` keys with prefixes. */
  public definedEnvNames(): Set<string> {
    const names = new Set(this.env.map(([n]) => n));
    for (const e of this.envFrom) {
      // Kubernetes fills envFrom from a ConfigMap's data only; its binaryData keys are files, not env vars.
      const skip = e.source.sourceKind === 'ConfigMap' ? e.source.binaryKeys : undefined;
      for (const k of e.source.keys) if ((!skip?.length || !skip.includes(k)) && isValidEnvName(`${e.prefix ?? ''}${k}`)) names.add(`${e.prefix ?? ''}${k}`);
    }
    return names;
  }

  /** Labels of every object and pod: the user's labels, then the selector (which always wins). */
  private objectLabels(): Record<string, string> {
    return this.props.labels ? sortedCopy({ ...this.props.labels, ...this.selectorLabels() }) : this.selectorLabels();
  }


  private allPorts(): Array<Required<Pick<WebAppPort, 'containerPort' | 'servicePort' | 'protocol' | 'name'>> & { nodePort?: number }> {
    const first: WebAppPort[] = this.props.port === undefined ? [] : [{ containerPort: this.props.port, servicePort: this.props.servicePort, nodePort: this.props.nodePort }];
    return [...first, ...(this.props.additionalPorts ?? [])].map((p) => {
      const protocol = p.protocol ?? 'TCP';
      const servicePort = p.servicePort ?? p.containerPort;
      return { containerPort: p.containerPort, servicePort, protocol, name: p.name ?? `${protocol.toLowerCase()}-${servicePort}`, nodePort: p.nodePort };
    });
  }

  private volumeName(source: IConfigSource, i: number): string {
    return `${source.sourceKind === 'Secret' ? 'secret' : 'config'}-${i}-${toDnsLabel(source.node.id, 40)}`;
  }

  private podSpec(): k8s.PodSpec {
    const p = this.props;
    const volumes: k8s.Volume[] = [];
    const volumeMounts: k8s.VolumeMount[] = [];
    this.mounts.forEach((m, i) => {
      const name = this.volumeName(m.source, i);
      const files = put({} as Fields, 'defaultMode', m.mode ?? (m.source.sourceKind === 'Secret' ? 0o400 : undefined));
      put(files, 'items', (m.subPath !== undefined ? [m.subPath] : m.keys)?.map((key) => ({ key, path: key })));
      if (m.source.sourceKind === 'Secret') {
        put(files, 'optional', m.optional).secretName = m.source.name;
        volumes.push({ name, secret: files });
      } else {
        files.name = m.source.name;
        volumes.push({ configMap: put(files, 'optional', m.optional), name });
      }
      volumeMounts.push(put({ mountPath: m.path, name, readOnly: true } as k8s.VolumeMount, 'subPath', m.subPath));
    });
    for (const v of p.volumes ?? []) {
      const volume = put({} as k8s.Volume, 'emptyDir', v.emptyDir ? put(put({} as Fields, 'medium', v.emptyDir.medium), 'sizeLimit', v.emptyDir.sizeLimit) : undefined);
      put(volume, 'hostPath', v.hostPath);
      volume.name = v.name;
      volumes.push(put(volume, 'persistentVolumeClaim', v.persistentVolumeClaim));
      volumeMounts.push(put({ mountPath: v.mountPath, name: v.name } as k8s.VolumeMount, 'readOnly', v.readOnly));
    }
    const res = p.resources === false ? undefined : (p.resources ?? DEFAULT_RESOURCES);
    const ports = this.allPorts();
    // Keys in order, no undefined field (see the constructor).
    const container = put({} as k8s.Container, 'args', p.args);
    put(container, 'command', p.command);
    put(container, 'env', this.env.length ? this.env.map(([n, v]) => v.toEnvVar(n)) : undefined);
    put(container, 'envFrom', this.envFrom.length ? this.envFrom.map((e) => {
      const ref = put({ name: e.source.name } as Fields, 'optional', e.optional);
      if (e.source.sourceKind !== 'Secret') return put({ configMapRef: ref } as Fields, 'prefix', e.prefix);
      const from = put({} as Fields, 'prefix', e.prefix);
      from.secretRef = ref;
      return from;
    }) : undefined);
    container.image = p.image;
    put(container, 'imagePullPolicy', p.imagePullPolicy);
    // Without a port, a probe must name its own (checked in validation; 0 never reaches the output).
    put(container, 'livenessProbe', p.liveness?.toProbe(p.port ?? 0));
    container.name = this.name;
    // Two Service ports may target one container port (8080 and 8081 -> 80); the container declares it once.
    put(container, 'ports', ports.length
      ? ports
        .filter((x, i) => ports.findIndex((y) => y.containerPort === x.containerPort && y.protocol === x.protocol) === i)
        .map((x) => {
          const port: NonNullable<k8s.Container['ports']>[number] = { containerPort: x.containerPort };
          put(port, 'name', ports.length > 1 ? x.name : undefined);
          port.protocol = x.protocol;
          return port;
        })
      : undefined);
    put(container, 'readinessProbe', p.readiness?.toProbe(p.port ?? 0));
    if (res) container.resources = put(put({} as Fields, 'limits', quantities(res.cpu?.limit, res.memory?.limit)), 'requests', quantities(res.cpu?.request, res.memory?.request));
    container.securityContext = this.containerSecurity();
    put(container, 'startupProbe', p.startup?.toProbe(p.port ?? 0));
    put(container, 'volumeMounts', volumeMounts.length ? volumeMounts : undefined);
    put(container, 'workingDir', p.workingDir);
    const spec = put({} as k8s.PodSpec, 'affinity', p.affinity);
    spec.containers = [container];
    put(spec, 'hostname', p.hostname);
    put(spec, 'restartPolicy', p.restartPolicy);
    // Mounted config and secret files are owned by root with mode 0400/0644: a non-root user reads
    // them only through the pod's fsGroup (the Docker target chowns them to the user instead).
    const s = p.security ?? {};
    put(spec, 'securityContext', s.user !== undefined || s.group !== undefined ? { fsGroup: s.group ?? s.user } : undefined);
    put(spec, 'tolerations', p.tolerations);
    put(spec, 'topologySpreadConstraints', p.topologySpread);
    return put(spec, 'volumes', volumes.length ? volumes : undefined);
  }

  /** The container's securityContext: the user's settings over the restricted defaults (none when privileged). */
  private containerSecurity(): NonNullable<k8s.Container['securityContext']> {
    const s = this.props.security ?? {};
    const restricted = restrictedSecurityContext(this.props.port);
    const out = put({} as NonNullable<k8s.Container['securityContext']>, 'allowPrivilegeEscalation', s.allowPrivilegeEscalation ?? (s.privileged ? undefined : false));
    put(out, 'capabilities', s.capabilities ? (s.capabilities.add?.length || s.capabilities.drop?.length ? s.capabilities : undefined)
      : s.privileged ? undefined : restricted.capabilities);
    put(out, 'privileged', s.privileged);
    put(out, 'readOnlyRootFilesystem', s.readOnlyRootFilesystem);
    put(out, 'runAsGroup', s.group);
    put(out, 'runAsNonRoot', s.runAsNonRoot);
    put(out, 'runAsUser', s.user);
    return put(out, 'seccompProfile', s.seccompProfile ?? (s.privileged ? undefined : restricted.seccompProfile));
  }

  private validateWebApp(): ProblemDetail[] {
    const p = this.props;
    const errors: ProblemDetail[] = [];
    const kind = p.workload ?? 'ReplicationController';
    const type = p.serviceType ?? 'LoadBalancer';
    if (!p.image || /\s/.test(p.image)) errors.push({ message: `image "${p.image ?? ''}" is not a valid image reference`, fix: `pass an image like "nginx:1.27"`, fieldPath: ['image'] });
    checkName(errors, 'name', this.name);
    checkName(errors, 'serviceName', p.serviceName);
    const wn = p.workloadName ?? this.name;
    const badW = checkDnsSubdomain(wn);
    if (badW) errors.push({ message: `workloadName "${wn}" ${badW}`, fix: `pass a name like "web-controller"`, fieldPath: ['workloadName'] });
    const hasService = p.service ?? true;
    if (p.port === undefined && hasService) errors.push({ message: 'port is not set, but the app has a Service, which needs a port', fix: 'pass the port the container listens on (like port: 8080), or service: false for an app nobody connects to', fieldPath: ['port'] });
    if (p.headless && !hasService) errors.push({ message: 'headless is set but service is false, so there is no Service to make headless', fix: 'drop headless, or drop service: false', fieldPath: ['headless'] });
    else if (p.headless && type !== 'ClusterIP') errors.push({ message: `headless is set but serviceType is "${type}"; only a ClusterIP Service can be headless`, fix: `pass serviceType "ClusterIP", or drop headless`, fieldPath: ['headless'] });
    pushDefined(errors, portProblem(['port'], p.port));
    pushDefined(errors, portProblem(['servicePort'], p.servicePort));
    pushDefined(errors, portProblem(['nodePort'], p.nodePort, 30000, 32767));
    (p.additionalPorts ?? []).forEach((x, i) => {
      for (const e of [portProblem(['additionalPorts', i, 'containerPort'], x.containerPort), portProblem(['additionalPorts', i, 'servicePort'], x.servicePort), portProblem(['additionalPorts', i, 'nodePort'], x.nodePort, 30000, 32767)]) if (e) errors.push(e);
    });
    const ports = this.allPorts();
    const seen = new Set<string>();
    for (const x of ports) {
      const key = `${x.servicePort}/${x.protocol}`;
      if (seen.has(key)) errors.push({ message: `service port ${key} is used twice`, fix: `give each port its own servicePort` });
      seen.add(key);
      if (x.name.length > 15 || checkDnsLabel(x.name) || /^\d+$/.test(x.name)) errors.push({ message: `port name "${x.name}" must be a DNS-1123 label of at most 15 characters with a letter in it`, fix: `pass a name like "http"` });
    }
    for (const n of duplicates(ports.map((x) => x.name))) errors.push({ message: `port name "${n}" is used twice`, fix: `give each port its own name` });
    if (p.nodePort !== undefined && type === 'ClusterIP') errors.push({ message: 'nodePort is set but serviceType is "ClusterIP"', fix: 'use serviceType "NodePort" or "LoadBalancer", or drop nodePort', fieldPath: ['nodePort'] });
    if (p.loadBalancerIP !== undefined && type !== 'LoadBalancer') errors.push({ message: `loadBalancerIP is set but serviceType is "${type}"`, fix: `use serviceType "LoadBalancer" or drop loadBalancerIP`, fieldPath: ['loadBalancerIP'] });
    if (p.replicas !== undefined) {
      if (!Number.isInteger(p.replicas) || p.replicas < 0) errors.push({ message: `replicas ${p.replicas} must be a whole number >= 0`, fix: `pass 0 or more, e.g. replicas: 2`, fieldPath: ['replicas'] });
      else if (kind === 'DaemonSet') errors.push({ message: 'replicas is set on a DaemonSet, which runs one pod per node', fix: 'drop replicas or use workload "Deployment"', fieldPath: ['replicas'] });
      else if (kind === 'Pod' && p.replicas > 1) errors.push({ message: `replicas ${p.replicas} on a bare Pod`, fix: `use workload "Deployment" or "ReplicationController" for several pods`, fieldPath: ['replicas'] });
    }
    if (p.restartPolicy && p.restartPolicy !== 'Always' && kind !== 'Pod') errors.push({ message: `restartPolicy "${p.restartPolicy}" is only allowed on a bare Pod; a ${kind} always restarts`, fix: `drop restartPolicy or use workload "Pod"`, fieldPath: ['restartPolicy'] });
    if (p.strategy && kind !== 'Deployment' && kind !== 'DaemonSet') errors.push({ message: `strategy is set but a ${kind} has no rolling update`, fix: `use workload "Deployment"`, fieldPath: ['strategy'] });
    this.checkProbe(errors, 'readiness', p.readiness);
    this.checkProbe(errors, 'liveness', p.liveness);
    this.checkProbe(errors, 'startup', p.startup);

    for (const [n, v] of this.env) {
      if (!isValidEnvName(n)) errors.push({ message: `env var name "${n}" is not valid`, fix: `use letters, digits, "_", "-" and ".", not starting with a digit` });
      if (v.source && v.key !== undefined) {
        errors.push(...this.checkSource(v.source, `env ${n}`));
        if (!v.optional && !v.source.keys.includes(v.key)) errors.push(missingKey(`env ${n}: `, v.source, v.key));
        else if (v.source.sourceKind === 'ConfigMap' && v.source.binaryKeys?.includes(v.key)) {
          errors.push({ message: `env ${n}: key "${v.key}" of ConfigMap "${v.source.name}" (${v.source.node.path}) holds binary data (binaryData), and Kubernetes reads env vars from data only`, fix: `mount the key as a file, or add it as text` });
        }
      }
    }
    for (const e of this.envFrom) pushAll(errors, this.checkSource(e.source, 'envFrom'));
    const paths = new Set<string>();
    for (const m of this.mounts) {
      pushAll(errors, this.checkSource(m.source, `mount ${m.path}`));
      if (m.subPath !== undefined) {
        if (m.keys && (m.keys.length !== 1 || m.keys[0] !== m.subPath)) errors.push({ message: `mount ${m.path} sets both subPath "${m.subPath}" and keys ${m.keys.join(', ')}`, fix: `drop keys (subPath mounts that one key as the file ${m.path})` });
        if (!m.optional && !m.source.keys.includes(m.subPath)) errors.push(missingKey(`mount ${m.path}: `, m.source, m.subPath));
      }
      if (!m.path.startsWith('/')) errors.push({ message: `mount path "${m.path}" is not absolute`, fix: `start it with "/"` });
      if (paths.has(m.path)) errors.push({ message: `two mounts use the path "${m.path}"`, fix: `give each mount its own folder` });
      paths.add(m.path);
      for (const k of m.keys ?? []) if (!m.optional && !m.source.keys.includes(k)) errors.push(missingKey(`mount ${m.path}: `, m.source, k));
    }
    const volumeNames = this.mounts.map((m, i) => this.volumeName(m.source, i));
    for (const v of p.volumes ?? []) volumeNames.push(v.name);
    for (const n of duplicates(volumeNames)) errors.push({ message: `volume name "${n}" is used twice`, fix: `give each volume its own name` });
    if (this.namespace !== undefined) {
      const badNs = checkDnsLabel(this.namespace);
      if (badNs) errors.push({ message: `namespace "${this.namespace}" ${badNs}`, fix: `pass a namespace like "staging"`, fieldPath: ['namespace'] });
    }
    for (const [k, v] of p.labels === undefined && p.selector === undefined ? [] : Object.entries({ ...p.labels, ...p.selector })) {
      if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k)) errors.push({ message: `label key "${k}" is not valid`, fix: `use at most 63 letters, digits, "-", "_" or ".", with an optional "prefix/"` });
      if (v !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(v)) errors.push({ message: `label value "${v}" (key "${k}") is not valid`, fix: `use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit` });
    }
    for (const v of p.volumes ?? []) {
      const kinds = [v.emptyDir, v.hostPath, v.persistentVolumeClaim].filter((x) => x !== undefined).length;
      if (kinds !== 1) errors.push({ message: `volume "${v.name}" must have exactly one of emptyDir, hostPath, persistentVolumeClaim`, fix: `keep one of them and make another volume for the other`, fieldPath: ['volumes'] });
      if (paths.has(v.mountPath)) errors.push({ message: `two mounts use the path "${v.mountPath}"`, fix: `give each mount its own folder` });
      paths.add(v.mountPath);
    }
    this.checkVarReferences(errors);
    return errors;
  }

  /** `$(VAR)` references of command and args that name no env var of the container. */
  private checkVarReferences(errors: ProblemDetail[]): void {
    // Only computed when an argument refers to a variable (it reads every envFrom source's keys).
    let defined: Set<string> | undefined;
    for (const what of ['command', 'args'] as const) {
      (this.props[what] ?? []).forEach((arg, i) => {
        for (const ref of varReferences(arg)) {
          defined ??= this.definedEnvNames();
          if (!defined.has(ref)) {
            const have = [...defined].sort();
            errors.push({ message: `${what}[${i}] "${arg}" refers to $(${ref}), which is not an env var of this container (defined: ${have.length ? have.join(', ') : 'none'})`, fix: `define ${ref} in env, envFrom or config, or write $$(${ref}) for a literal`, fieldPath: [what, i] });
          }
        }
      });
    }
  }

  /** A probe's own problems, then a missing port when neither the probe nor the app has one. */
  private checkProbe(errors: ProblemDetail[], what: string, probe: Probe | undefined): void {
    if (!probe) return;
    pushAll(errors, probe.problems());
    const k = probe.toProbe(0);
    if (this.props.port === undefined && (k.httpGet?.port === 0 || k.tcpSocket?.port === 0)) errors.push({ message: `the ${what} probe has no port and the app sets none`, fix: `pass the port to the probe, like Probe.http('/', { port: 8080 }), or set port`, fieldPath: [what] });
  }

  private checkSource(source: IConfigSource, what: string): ProblemDetail[] {
    if ((source.namespace ?? 'default') === (this.namespace ?? 'default')) return [];
    return [{
      message: `${what} reads ${source.sourceKind} "${source.name}" (${source.node.path}) from namespace "${source.namespace ?? 'default'}", but this app runs in namespace "${this.namespace ?? 'default'}"; a pod can only read a ${source.sourceKind} of its own namespace`,
      fix: `create the ${source.sourceKind} in namespace "${this.namespace ?? 'default'}"`,
    }];
  }
}

function checkName(errors: ProblemDetail[], what: string, n: string | undefined): void {
  const bad = n !== undefined ? checkDnsLabel(n) : undefined;
  if (bad) errors.push({ message: `${what} "${n}" ${bad}`, fix: `pass a name like "web"`, fieldPath: [what] });
}

function pushDefined(errors: ProblemDetail[], e: ProblemDetail | undefined): void {
  if (e) errors.push(e);
}

function pushAll(errors: ProblemDetail[], more: readonly ProblemDetail[]): void {
  for (const e of more) errors.push(e);
}

/** The values that occur more than once, each once, in order of their second occurrence. */
function duplicates(values: readonly string[]): Set<string> {
  return values.length < 2 ? new Set() : new Set(values.filter((n, i) => values.indexOf(n) !== i));
}

function quantities(cpu: string | undefined, memory: string | undefined): Record<string, string> | undefined {
  if (cpu === undefined && memory === undefined) return undefined;
  const out: Record<string, string> = {};
  if (cpu !== undefined) out.cpu = cpu;
  if (memory !== undefined) out.memory = memory;
  return out;
}

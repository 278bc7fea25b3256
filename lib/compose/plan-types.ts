import type { ServiceType, WebAppProps, WorkloadKind } from '../constructs/web-app';
import type { Problem } from '../core/errors';
import type { ProbeChoice } from './mapping-probes';
import type { PodExtras, SidecarProps } from './pod-extras';

/** The plan's data types: what a compose project becomes, with construct references as ids. */

/**
 * What to do with bind mounts (`./site:/usr/share/nginx/html`): `auto` makes relative files and small
 * folders ConfigMaps, relative data folders claims, and absolute paths hostPaths.
 */
export type BindMountMode = 'auto' | 'hostPath' | 'configMap';

/** Options of the mapping, shared by `ComposeApp` and `dockyard convert`. */
export interface PlanOptions {
  /** Force one workload kind for every service. @default - per service (Deployment, DaemonSet or Pod) */
  readonly controller?: WorkloadKind;
  /** Namespace of every object. @default - the chart's namespace */
  readonly namespace?: string;
  /** Service type per compose service name, for its published ports. @default - `serviceType` */
  readonly serviceTypes?: Record<string, ServiceType>;
  /** Service type of published ports (ClusterIP: nothing is published). @default "LoadBalancer" */
  readonly serviceType?: ServiceType;
  /** Bind mounts become hostPath volumes, ConfigMaps holding the files, or each what fits. @default "auto" */
  readonly bindMounts?: BindMountMode;
  /** Size each PersistentVolumeClaim asks for (compose volumes have none). @default "1Gi" */
  readonly volumeSize?: string;
}

/** A ConfigMap or Secret to create (or, `external`, to reference). */
export interface SourceSpec {
  readonly kind: 'AppConfig' | 'AppSecret';
  /** Construct id (also a variable name in generated code). */
  readonly id: string;
  /** Object base name. */
  readonly name: string;
  readonly data: Record<string, string>;
  /** Keys read from files that are not UTF-8 text, base64 (a ConfigMap's binaryData). @default - none */
  readonly binaryData?: Record<string, string>;
  /** A Secret created outside the manifests: only key names are known. */
  readonly external?: boolean;
  /**
   * Files the data was read from (`data` is their content): generated code reads them again instead
   * of holding the values, so secrets never land in the source. @default - none (literal data)
   */
  readonly files?: ReadonlyArray<{ readonly file: string; readonly key: string }>;
  /** Env files the data was read from, in order (later ones win). @default - none */
  readonly envFiles?: readonly string[];
  /** Keys whose values were literals in the compose file (generated code adds them with addData). @default - none */
  readonly literalKeys?: readonly string[];
}

/** A PersistentVolumeClaim for a named volume. */
export interface ClaimSpec {
  readonly id: string;
  readonly name: string;
  readonly storage: string;
  readonly labels?: Record<string, string>;
}

/** A config/secret mount, referring to a `SourceSpec` by id. */
export interface MountSpec {
  readonly path: string;
  readonly source: string;
  readonly keys?: string[];
  readonly mode?: number;
  /** The one key mounted as the file `path` (compose mounts single files). */
  readonly subPath?: string;
}

/** WebApp props with construct references replaced by ids, so the same plan drives the construct and the code generator. */
export type AppPropsSpec = Omit<WebAppProps, 'envFrom' | 'mounts' | 'readiness' | 'liveness' | 'startup' | 'config' | 'env'> & {
  readonly envFrom?: Array<{ readonly source: string }>;
  readonly mounts?: MountSpec[];
  readonly probe?: ProbeChoice;
  /** Pod fields WebApp has no prop for, and sidecar containers (sources by id). */
  readonly extras?: PodExtrasSpec;
};

/** A sidecar with construct references replaced by ids. */
export type SidecarSpec = Omit<SidecarProps, 'envFrom' | 'mounts'> & {
  readonly envFrom?: Array<{ readonly source: string }>;
  readonly mounts?: MountSpec[];
};

/** `PodExtras` with construct references replaced by ids. */
export type PodExtrasSpec = Omit<PodExtras, 'sidecars'> & { readonly sidecars?: SidecarSpec[] };

/** A Service besides WebApp's own: headless for a service without ports, published ports, aliases. */
export interface ServiceSpec {
  readonly id: string;
  readonly name: string;
  /** The `app` label of the pods it selects. */
  readonly app: string;
  readonly type: ServiceType;
  readonly headless?: boolean;
  readonly ports: Array<{ readonly name?: string; readonly port: number; readonly targetPort: number; readonly protocol: 'TCP' | 'UDP' | 'SCTP'; readonly nodePort?: number }>;
  /** Why it exists (a comment in generated code). */
  readonly reason: string;
}

/** One WebApp to create. */
export interface AppSpec {
  readonly id: string;
  /** The compose service it comes from. */
  readonly service: string;
  readonly props: AppPropsSpec;
}

/** Everything a compose project becomes, in creation order, plus the warnings. */
export interface ComposePlan {
  readonly project: string;
  readonly namespace?: string;
  readonly claims: ClaimSpec[];
  readonly sources: SourceSpec[];
  readonly apps: AppSpec[];
  /** Services besides the apps' own. */
  readonly services: ServiceSpec[];
  /** Keys dropped or changed in meaning, each with file:line:col. */
  readonly warnings: Problem[];
  /** Values that cannot be converted (wrong syntax, undefined names). */
  readonly errors: Problem[];
}


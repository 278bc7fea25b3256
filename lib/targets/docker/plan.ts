/**
 * The Docker plan: what a Docker engine must run for a set of Kubernetes objects. The planner
 * (`planDocker`, pure) produces it; two executors consume it: the direct Engine API apply
 * (`engine.ts`, dockerode) and the Pulumi Docker program. Keep these types stable: both depend on them.
 *
 * Everything is plain data (JSON-serialisable), sorted by name, so equal inputs give equal plans.
 */
import { Problem } from '../../core/errors';

/** Label keys Dockyard puts on everything it creates; ownership is decided by these alone. */
export const LABELS = {
  /** The `--project` that owns the object. */
  project: 'dev.dockyard.project',
  /** The Kubernetes object it came from, `Kind/namespace/name` (`Namespace/name` for networks). */
  object: 'dev.dockyard.object',
  /** The logical (final) Docker name; differs from the real name while a replacement is in flight. */
  name: 'dev.dockyard.name',
  /** The pod instance a container belongs to (containers of one pod are replaced together). */
  pod: 'dev.dockyard.pod',
  /** Digest of everything that defines the container (image, env, files, ports, ...). */
  hash: 'dev.dockyard.hash',
  /** `workload` for pod containers, `proxy` for the relay of a published multi-replica Service. */
  role: 'dev.dockyard.role',
  /** The Kubernetes container name inside the pod. */
  container: 'dev.dockyard.container',
  /** 1-based replica index. */
  replica: 'dev.dockyard.replica',
  /** On a pod's extra containers: the main container's hash (they share its network namespace). */
  podHash: 'dev.dockyard.pod-hash',
} as const;

/** A user-defined bridge network: one per Kubernetes namespace. */
export interface NetworkPlan {
  /** Docker network name: `<project>` for the default namespace, `<project>-<namespace>` otherwise. */
  readonly name: string;
  /** The Kubernetes namespace it stands for. */
  readonly namespace: string;
  /** Ownership labels. */
  readonly labels: Record<string, string>;
}

/** A named Docker volume standing for a PersistentVolumeClaim. */
export interface VolumePlan {
  /** Docker volume name: `<project>[-<namespace>]-<claim>`. */
  readonly name: string;
  /** `PersistentVolumeClaim/<namespace>/<name>`. */
  readonly object: string;
  /** Ownership labels. */
  readonly labels: Record<string, string>;
}

/** A file copied into a container before it starts (ConfigMap and Secret volume keys). */
export interface FileCopy {
  /** Absolute path inside the container. */
  readonly path: string;
  /** File content, base64 (Secrets and binaryData are binary-safe this way). */
  readonly contentBase64: string;
  /** Unix permission bits, e.g. 0o400 for secrets, 0o644 for config. */
  readonly mode: number;
  /** Owner uid (the container's user when numeric, so a non-root user can read its secrets). */
  readonly uid: number;
  /** Owner gid (fsGroup when set, else the uid). */
  readonly gid: number;
}

/** A host port binding: `hostIp:hostPort -> containerPort/protocol`. */
export interface PortBinding {
  /** Port inside the container. */
  readonly containerPort: number;
  /** `tcp`, `udp` or `sctp`. */
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  /** Address on the host (`--publish-address`). */
  readonly hostIp: string;
  /** Port on the host. */
  readonly hostPort: number;
  /** The Service that asked for it, `Service/<namespace>/<name>`. */
  readonly service: string;
}

/** A mount that is not a copied file: a bind (hostPath), a named volume (PVC), or an anonymous volume / tmpfs (emptyDir). */
export interface MountPlan {
  /** `bind` (hostPath), `volume` (PVC: named; emptyDir: anonymous when source is empty), `tmpfs` (emptyDir medium Memory). */
  readonly type: 'bind' | 'volume' | 'tmpfs';
  /** Host path, volume name, or '' for anonymous volumes and tmpfs. */
  readonly source: string;
  /** Path inside the container. */
  readonly target: string;
  /** Read-only mount. */
  readonly readOnly: boolean;
}

/** Docker healthcheck, times in nanoseconds as the Engine API wants them. */
export interface HealthcheckPlan {
  /** `['CMD', ...]` or `['CMD-SHELL', '...']`. */
  readonly test: string[];
  /** periodSeconds. */
  readonly intervalNs: number;
  /** timeoutSeconds. */
  readonly timeoutNs: number;
  /** initialDelaySeconds. */
  readonly startPeriodNs: number;
  /** failureThreshold. */
  readonly retries: number;
}

/** Docker restart policy. */
export interface RestartPlan {
  /** Docker's policy name. */
  readonly name: 'no' | 'always' | 'unless-stopped' | 'on-failure';
  /** Only for on-failure; 0 = unlimited. */
  readonly maximumRetryCount: number;
}

/** Memory and CPU limits. Undefined fields mean "no limit". */
export interface ResourcesPlan {
  /** limits.memory in bytes. */
  readonly memoryBytes?: number;
  /** requests.memory in bytes (a soft limit in Docker). */
  readonly memoryReservationBytes?: number;
  /** limits.cpu in billionths of a CPU. */
  readonly nanoCpus?: number;
  /** requests.cpu as relative shares (1024 per CPU). */
  readonly cpuShares?: number;
}

/** One Docker container. */
export interface ContainerPlan {
  /** Docker container name (`<project>[-<ns>]-<workload>-<i>`, `-<container>` for a pod's extra containers). */
  readonly name: string;
  /** Pod instance name; containers of one pod share it and are replaced together. Equals the main container's name. */
  readonly pod: string;
  /** `workload` or `proxy`. */
  readonly role: 'workload' | 'proxy';
  /** The Kubernetes object, `Kind/namespace/name`. */
  readonly object: string;
  /** The Kubernetes container name (the Service name for a proxy). */
  readonly containerName: string;
  /** 1-based replica index. */
  readonly replica: number;
  /** Image reference. */
  readonly image: string;
  /** Kubernetes `command` (Docker entrypoint), after `$(VAR)` expansion; undefined = the image's. */
  readonly entrypoint?: string[];
  /** Kubernetes `args` (Docker cmd), after `$(VAR)` expansion; undefined = the image's. */
  readonly cmd?: string[];
  /** Environment, `NAME=value`, in Kubernetes precedence order (envFrom, then env). */
  readonly env: string[];
  /** Files copied in before start. */
  readonly files: FileCopy[];
  /** Other mounts. */
  readonly mounts: MountPlan[];
  /** Labels: the pod's own labels plus Dockyard's ownership labels (LABELS). */
  readonly labels: Record<string, string>;
  /** Container ports to expose, `port/protocol`. */
  readonly exposedPorts: string[];
  /** Host port bindings (empty unless a Service publishes this container). */
  readonly ports: PortBinding[];
  /** Limits. */
  readonly resources: ResourcesPlan;
  /** Restart policy. */
  readonly restart: RestartPlan;
  /** Healthcheck from readiness, else liveness, else startup probe. */
  readonly healthcheck?: HealthcheckPlan;
  /** Network to join (the namespace's); undefined when networkMode is set. */
  readonly network?: string;
  /** DNS aliases on that network (Service names selecting this pod, and the pod hostname). */
  readonly aliases: string[];
  /** `container:<pod main container name>` for a pod's extra containers (shared network namespace). */
  readonly networkMode?: string;
  /** `uid[:gid]` from securityContext. */
  readonly user?: string;
  /** readOnlyRootFilesystem. */
  readonly readOnly: boolean;
  /** Added capabilities (without CAP_ prefix). */
  readonly capAdd: string[];
  /** Dropped capabilities. */
  readonly capDrop: string[];
  /** Privileged (only when the user allowed it). */
  readonly privileged: boolean;
  /** `host` for a pod with hostPID (only when the user allowed privileged); absent otherwise, so existing hashes hold. */
  readonly pidMode?: 'host';
  /** `host` for a pod with hostIPC (only when the user allowed privileged); absent otherwise. */
  readonly ipcMode?: 'host';
  /** HostConfig.SecurityOpt (no-new-privileges, seccomp, apparmor, SELinux label); absent when empty. */
  readonly securityOpt?: string[];
  /** Hostname (pod spec.hostname, else the pod name); undefined for extra containers. */
  readonly hostname?: string;
  /** workingDir. */
  readonly workingDir?: string;
  /** tty. */
  readonly tty: boolean;
  /** stdin (OpenStdin). */
  readonly openStdin: boolean;
  /** Seconds Docker waits after SIGTERM (terminationGracePeriodSeconds, default 30). */
  readonly stopTimeoutSeconds: number;
  /** Digest of everything above except `name`/`labels.hash`; changes whenever the container must be recreated. */
  readonly hash: string;
}

/** Rolling update settings for one workload (Deployment/DaemonSet strategy; Deployment defaults for ReplicaSets and ReplicationControllers). */
export interface UpdatePlan {
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** max(1, maxUnavailable): pods that may be down at once (kept for executors that do not surge). */
  readonly parallelism: number;
  /** Extra pods a rollout may run above the replica count (maxSurge, percentages rounded up). */
  readonly maxSurge: number;
  /** Pods that may be unavailable during a rollout (maxUnavailable, percentages rounded down). */
  readonly maxUnavailable: number;
  /** `Recreate`: remove every old pod first. */
  readonly recreate: boolean;
}

/** Everything a Docker engine must run for one project. */
export interface DockerPlan {
  /** The project (ownership scope). */
  readonly project: string;
  /** Networks, sorted by name. */
  readonly networks: NetworkPlan[];
  /** Volumes, sorted by name. */
  readonly volumes: VolumePlan[];
  /** Containers (workloads and proxies), sorted by name. */
  readonly containers: ContainerPlan[];
  /** Rolling update settings per workload, sorted by object. */
  readonly updates: UpdatePlan[];
  /** Lossy or skipped parts, never dropped in silence. */
  readonly warnings: Problem[];
}

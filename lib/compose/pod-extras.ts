import { JsonPatch } from 'cdk8s';
import type { IConfigSource } from '../constructs/config-source';
import type { WebApp, WebAppResources, WebAppSecurity, WebAppVolume } from '../constructs/web-app';
import type { DnsConfig, HostAlias, SecurityOpts } from './mapping-pod';

/**
 * Pod fields a compose service sets that WebApp has no prop for (host aliases, DNS, host
 * namespaces, sysctls, sidecar containers of `network_mode: service:X`, the Recreate strategy).
 * `applyPodExtras` writes them into a WebApp's workload with JSON patches (the cdk8s escape hatch),
 * so the construct, the generated code and the YAML stay one path.
 */
export interface PodExtras {
  /** Pod spec fields, as Kubernetes JSON. @default - none */
  readonly pod?: {
    readonly terminationGracePeriodSeconds?: number;
    readonly hostAliases?: HostAlias[];
    readonly dnsConfig?: DnsConfig;
    readonly dnsPolicy?: string;
    readonly hostNetwork?: boolean;
    readonly hostIPC?: boolean;
    readonly hostPID?: boolean;
    readonly nodeSelector?: Record<string, string>;
    readonly imagePullSecrets?: Array<{ name: string }>;
  };
  /** The whole pod securityContext (it replaces WebApp's, so fsGroup is included when needed). @default - WebApp's */
  readonly podSecurityContext?: { readonly fsGroup?: number; readonly supplementalGroups?: number[]; readonly sysctls?: Array<{ name: string; value: string }> };
  /** Main container fields. @default - none */
  readonly container?: { readonly tty?: boolean; readonly stdin?: boolean };
  /** Main container securityContext fields (added to WebApp's). @default - none */
  readonly containerSecurity?: SecurityOpts;
  /** `Recreate`: old pods stop before new ones start (a ReadWriteOnce claim cannot be attached twice). @default - WebApp's */
  readonly strategy?: 'Recreate';
  /** More containers in the pod (services with `network_mode: service:<this>`). @default - none */
  readonly sidecars?: SidecarProps[];
  /** True when WebApp already writes a volumes list (sidecar volumes are appended to it). @default false */
  readonly podHasVolumes?: boolean;
}

/** A container sharing the pod (and its network) with the main one. */
export interface SidecarProps {
  readonly name: string;
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's command */
  readonly args?: string[];
  /** @default - the image's */
  readonly workingDir?: string;
  /** Ports it listens on (declared on the pod; the Service lists them). @default - none */
  readonly ports?: Array<{ readonly containerPort: number; readonly protocol?: string }>;
  /** Configs/secrets read as env vars. @default - none */
  readonly envFrom?: Array<{ readonly source: IConfigSource }>;
  /** Config/secret files. @default - none */
  readonly mounts?: Array<{ readonly path: string; readonly source: IConfigSource; readonly subPath?: string; readonly keys?: string[]; readonly mode?: number }>;
  /** Claim, host and scratch volumes. @default - none */
  readonly volumes?: WebAppVolume[];
  /** @default - none */
  readonly security?: WebAppSecurity;
  /** @default - none */
  readonly resources?: WebAppResources;
  /** @default - none */
  readonly readiness?: { readonly command: string[]; readonly options: Record<string, number | undefined> };
  /** @default false */
  readonly tty?: boolean;
  /** @default false */
  readonly stdin?: boolean;
}

const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * A sidecar as a Kubernetes container (the API's JSON, as the workload renders it; patches apply to
 * that JSON) plus the volumes it needs, names prefixed with its own.
 */
export function sidecarContainer(s: SidecarProps): { container: Record<string, unknown>; volumes: Array<Record<string, unknown>> } {
  const volumes: Array<Record<string, unknown>> = [];
  const volumeMounts: Array<Record<string, unknown>> = [];
  (s.mounts ?? []).forEach((m, i) => {
    const name = `${s.name}-file-${i}`.slice(0, 63);
    const items = (m.subPath !== undefined ? [m.subPath] : m.keys)?.map((key) => ({ key, path: key }));
    const mode = m.mode ?? (m.source.sourceKind === 'Secret' ? 0o400 : undefined);
    volumes.push(m.source.sourceKind === 'Secret' ? { name, secret: clean({ secretName: m.source.name, items, defaultMode: mode }) } : { name, configMap: clean({ name: m.source.name, items, defaultMode: mode }) });
    volumeMounts.push(clean({ name, mountPath: m.path, subPath: m.subPath, readOnly: true }));
  });
  (s.volumes ?? []).forEach((v) => {
    const name = `${s.name}-${v.name}`.slice(0, 63);
    const emptyDir = v.emptyDir ? clean({ medium: v.emptyDir.medium, sizeLimit: v.emptyDir.sizeLimit }) : undefined;
    volumes.push(clean({ name, emptyDir, hostPath: v.hostPath, persistentVolumeClaim: v.persistentVolumeClaim }));
    volumeMounts.push(clean({ name, mountPath: v.mountPath, readOnly: v.readOnly }));
  });
  const sec = s.security ?? {};
  const q = (cpu?: string, memory?: string) => (cpu || memory ? clean({ cpu, memory }) : undefined);
  const container: Record<string, unknown> = clean({
    name: s.name,
    image: s.image,
    command: s.command,
    args: s.args,
    workingDir: s.workingDir,
    ports: s.ports?.length ? s.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })) : undefined,
    envFrom: s.envFrom?.length ? s.envFrom.map((e) => (e.source.sourceKind === 'Secret' ? { secretRef: { name: e.source.name } } : { configMapRef: { name: e.source.name } })) : undefined,
    volumeMounts: volumeMounts.length ? volumeMounts : undefined,
    resources: s.resources
      ? clean({ requests: q(s.resources.cpu?.request, s.resources.memory?.request), limits: q(s.resources.cpu?.limit, s.resources.memory?.limit) })
      : undefined,
    readinessProbe: s.readiness ? clean({ exec: { command: s.readiness.command }, ...s.readiness.options }) : undefined,
    securityContext: clean({
      runAsUser: sec.user,
      runAsGroup: sec.group,
      readOnlyRootFilesystem: sec.readOnlyRootFilesystem,
      allowPrivilegeEscalation: sec.allowPrivilegeEscalation ?? (sec.privileged ? undefined : false),
      privileged: sec.privileged,
      capabilities: sec.capabilities,
    }),
    tty: s.tty,
    stdin: s.stdin,
  });
  return { container, volumes };
}

/** Writes the extras into the app's workload (pod template, or the Pod itself). */
export function applyPodExtras(app: WebApp, extras: PodExtras): void {
  const w = app.workload;
  const spec = w.kind === 'Pod' ? '/spec' : '/spec/template/spec';
  for (const [k, v] of Object.entries(extras.pod ?? {})) if (v !== undefined) w.addJsonPatch(JsonPatch.add(`${spec}/${k}`, v));
  if (extras.podSecurityContext) w.addJsonPatch(JsonPatch.add(`${spec}/securityContext`, clean({ ...extras.podSecurityContext })));
  for (const [k, v] of Object.entries(extras.container ?? {})) if (v !== undefined) w.addJsonPatch(JsonPatch.add(`${spec}/containers/0/${k}`, v));
  // WebApp always writes a container securityContext (allowPrivilegeEscalation or privileged).
  for (const [k, v] of Object.entries(extras.containerSecurity ?? {})) if (v !== undefined) w.addJsonPatch(JsonPatch.add(`${spec}/containers/0/securityContext/${k}`, v));
  if (extras.strategy === 'Recreate' && w.kind === 'Deployment') w.addJsonPatch(JsonPatch.add('/spec/strategy', { type: 'Recreate' }));
  let hasVolumes = extras.podHasVolumes ?? false;
  for (const s of extras.sidecars ?? []) {
    const { container, volumes } = sidecarContainer(s);
    w.addJsonPatch(JsonPatch.add(`${spec}/containers/-`, container));
    for (const v of volumes) {
      w.addJsonPatch(hasVolumes ? JsonPatch.add(`${spec}/volumes/-`, v) : JsonPatch.add(`${spec}/volumes`, [v]));
      hasVolumes = true;
    }
  }
}

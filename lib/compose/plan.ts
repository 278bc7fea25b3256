import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import type { ServiceType, WebAppProps, WebAppVolume, WorkloadKind } from '../constructs/web-app';
import { Problem } from '../core/errors';
import { isValidConfigKey, toDnsLabel } from '../core/naming';
import { parseEnvFile } from '../constructs/config-source';
import { secretLiteralReason } from '../policy/secrets';
import {
  commandList, dropUndefined, isValidLabel, mapConstraints, mapDeployLabels, mapEndpointMode, mapHealthcheck, mapPorts, mapPreferences, mapResources,
  mapUpdateConfig, mapUser, mapWorkload, memoryQuantity, MountEntry, Note, parseTmpfs, parseVolume, ProbeChoice,
} from './mapping';
import { listOrDict } from './loader';
import { ComposeFileRefLong, ComposeProject, ComposeService, locate, sortProblems } from './model';

/** What to do with bind mounts (`./site:/usr/share/nginx/html`). */
export type BindMountMode = 'hostPath' | 'configMap';

/** Options of the mapping, shared by `ComposeApp` and `dockyard convert`. */
export interface PlanOptions {
  /** Force one workload kind for every service. @default - per service (Deployment, DaemonSet or Pod) */
  readonly controller?: WorkloadKind;
  /** Namespace of every object. @default - the chart's namespace */
  readonly namespace?: string;
  /** Service type per compose service name. @default - LoadBalancer when a port is published, else ClusterIP */
  readonly serviceTypes?: Record<string, ServiceType>;
  /** Bind mounts become hostPath volumes, or ConfigMaps holding the files. @default "hostPath" */
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
};

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
  /** Keys dropped or changed in meaning, each with file:line:col. */
  readonly warnings: Problem[];
  /** Values that cannot be converted (wrong syntax, undefined names). */
  readonly errors: Problem[];
}

/** Service keys the mapping converts (others are reported). */
const CONVERTED = new Set([
  'image', 'command', 'entrypoint', 'working_dir', 'user', 'hostname', 'environment', 'env_file', 'ports', 'expose', 'labels', 'deploy',
  'healthcheck', 'restart', 'scale', 'volumes', 'tmpfs', 'configs', 'secrets', 'privileged', 'read_only', 'cap_add', 'cap_drop',
  'mem_limit', 'mem_reservation', 'cpus',
]);

/** Why the keys without a Kubernetes meaning are dropped. */
const DROPPED: Record<string, string> = {
  depends_on: 'Kubernetes starts every workload at once and has no start order; depends_on is dropped (give the dependent service a readiness probe and let it retry)',
  links: 'every Service already has a DNS name (the service name); links is dropped',
  external_links: 'containers outside the project are not reachable by alias in Kubernetes; external_links is dropped',
  networks: 'all pods share one flat network and reach each other through Service names; networks is dropped (use NetworkPolicies to isolate)',
  network_mode: 'pods always get their own network namespace; network_mode is dropped',
  build: 'Kubernetes runs images, it does not build them; build is dropped (build and push the image, and set image)',
  logging: 'container logs go to the node\'s runtime and are collected by the cluster\'s agent; logging is dropped',
  container_name: 'Kubernetes names pods itself (workload name plus a suffix); container_name is dropped',
};

/** The mapping of a whole project: pure apart from reading the config/secret/bind files it names. */
export function planCompose(project: ComposeProject, options: PlanOptions = {}): ComposePlan {
  const warnings: Problem[] = [...(project.warnings ?? [])];
  const errors: Problem[] = [];
  const claims: ClaimSpec[] = [];
  const sources: SourceSpec[] = [];
  const apps: AppSpec[] = [];
  const ns = options.namespace;
  const keyName = (p: readonly (string | number)[]) => p.join('.');
  const report = (list: Problem[], base: (string | number)[], notes: readonly Note[] | undefined) => {
    for (const n of notes ?? []) list.push({ where: locate(project, [...base, ...n.key]), message: `${keyName([...base, ...n.key])}: ${n.message}`, ...(n.fix ? { fix: n.fix } : {}) });
  };

  for (const top of Object.keys(project.networks).sort()) {
    if (top !== 'default') warnings.push({ where: locate(project, ['networks', top]), message: `networks.${top}: all pods share one flat network in Kubernetes; the network is dropped` });
  }

  // Named volumes used by a service become claims, sorted by name.
  const usedVolumes = new Set<string>();
  for (const s of Object.values(project.services)) for (const v of s.volumes ?? []) { const m = parseVolume(v).mount; if (m?.type === 'volume' && m.source) usedVolumes.add(m.source); }
  for (const name of [...usedVolumes].sort()) {
    const v = project.volumes[name];
    if (!v) continue; // reported per service below
    if (v.external) { warnings.push({ where: locate(project, ['volumes', name, 'external']), message: `volumes.${name}: external volume: the PersistentVolumeClaim "${claimName(name, v)}" must already exist in the namespace` }); continue; }
    if (v.driver || v.driver_opts) warnings.push({ where: locate(project, ['volumes', name, v.driver ? 'driver' : 'driver_opts']), message: `volumes.${name}: volume drivers have no Kubernetes meaning (the cluster's storage class decides); driver and driver_opts are dropped` });
    warnings.push({ where: locate(project, ['volumes', name]), message: `volumes.${name}: a compose volume has no size; the PersistentVolumeClaim asks for ${options.volumeSize ?? '1Gi'} (ReadWriteOnce), change it if that is wrong` });
    const labels = listOrDict(v.labels as never);
    for (const k of Object.keys(labels).filter((x) => !isValidLabel(x, String(labels[x] ?? '')))) {
      warnings.push({ where: locate(project, ['volumes', name, 'labels']), message: `volumes.${name}.labels: "${k}" is not a valid Kubernetes label; it is dropped` });
      delete labels[k];
    }
    claims.push({ id: `volume-${name}`, name: claimName(name, v), storage: options.volumeSize ?? '1Gi', labels: Object.keys(labels).length ? sortRecord(labels as Record<string, string>) : undefined });
  }

  const names = new Map<string, string>();
  for (const svc of Object.keys(project.services).sort()) names.set(svc, toDnsLabel(svc));
  for (const svc of Object.keys(project.services).sort()) {
    const s = project.services[svc];
    const base = ['services', svc];
    const add = (notes: readonly Note[], errs?: readonly Note[]) => { report(warnings, base, notes); report(errors, base, errs); };
    const name = names.get(svc)!;
    const clash = [...names].find(([other, n]) => other < svc && n === name);
    if (clash) { add([], [{ key: [], message: `services "${clash[0]}" and "${svc}" both become the Kubernetes name "${name}"`, fix: 'rename one of them (Kubernetes names are lower case, with "-" for "_")' }]); continue; }
    // A Service name is a DNS-1035 label: a leading digit is refused by the API server. Renaming it
    // silently would change the host name other services use, so it is an error the user resolves.
    if (/^[0-9]/.test(name) && (s.ports?.length || s.expose?.length)) {
      add([], [{ key: [], message: `service "${svc}" starts with a digit, but it gets a Kubernetes Service, whose name must start with a letter (DNS-1035 label)`, fix: `rename the service so it starts with a letter, like "svc-${name}", and update the services that reach it by name` }]);
      continue;
    }
    if (name !== svc) add([{ key: [], message: `"${svc}" is not a DNS-1123 label; the Kubernetes objects are named "${name}"` }]);

    for (const key of Object.keys(s).sort()) {
      if (CONVERTED.has(key) || key.startsWith('x-')) continue;
      add([{ key: [key], message: DROPPED[key] ?? `${key} has no Kubernetes equivalent in Dockyard; it is dropped` }]);
    }

    let image = s.image;
    if (!image) {
      if (s.build === undefined) { add([], [{ key: [], message: 'service has neither image nor build', fix: 'add "image:" with the image to run, like "image: nginx:1.27"' }]); continue; }
      image = `${project.name}-${name}`;
      add([{ key: ['build'], message: `no image is given; the pods run "${image}", the name compose gives the built image: push it where the cluster can pull it` }]);
    }

    const ports = mapPorts(s.ports, s.expose, options.serviceTypes?.[svc]);
    add(ports.notes, ports.errors);
    // WebApp's main port is TCP: the first TCP port is it, every other port is an additional one.
    const all = ports.value.ports;
    const mainIdx = all.findIndex((p) => p.protocol === 'TCP');
    const first = mainIdx >= 0 ? all[mainIdx] : all[0];
    const rest = all.filter((_, i) => i !== mainIdx);
    // Compose reaches every port of a service by its name; Kubernetes only the ports a Service lists.
    if (!first) add([{ key: [], message: `the service has no ports or expose, so it gets no Service and declares no port: other pods cannot reach it by the name "${name}" (list the ports it listens on under expose if they should)` }]);
    else if (mainIdx < 0) add([{ key: ['ports'], message: `no port is TCP; WebApp's main port is TCP, so ${first.containerPort}/TCP is declared too` }]);

    const workload = mapWorkload(s, options.controller);
    add(workload.notes, workload.errors);
    const rollout = mapUpdateConfig(s.deploy?.update_config, workload.value.workload);
    add(rollout.notes);
    const resources = mapResources(s.deploy?.resources, { mem_limit: s.mem_limit as string | undefined, mem_reservation: s.mem_reservation as string | undefined, cpus: s.cpus as string | undefined });
    add(resources.notes, resources.errors);
    const affinity = mapConstraints(s.deploy?.placement?.constraints);
    add(affinity.notes, affinity.errors);
    const spread = mapPreferences(s.deploy?.placement?.preferences, { app: name });
    add(spread.notes, spread.errors);
    if (s.deploy?.placement?.max_replicas_per_node !== undefined) add([{ key: ['deploy', 'placement', 'max_replicas_per_node'], message: 'Kubernetes has no per-node replica cap; max_replicas_per_node is dropped (a topology spread or pod anti-affinity comes close)' }]);
    if (s.deploy?.rollback_config) add([{ key: ['deploy', 'rollback_config'], message: 'Kubernetes rolls back only on "kubectl rollout undo"; rollback_config is dropped' }]);
    const headless = mapEndpointMode(s.deploy?.endpoint_mode, ports.value.serviceType);
    add(headless.notes);
    const labels = mapDeployLabels(s.deploy?.labels, { app: name });
    add(labels.notes);
    const probe = mapHealthcheck(s.healthcheck);
    add(probe.notes, probe.errors);
    const user = mapUser(s.user);
    add(user.notes);

    // environment and env_file -> one ConfigMap read with envFrom; env files holding a secret go to a Secret.
    const envSecret = planEnvSecret(s.env_file ?? [], s.environment ?? {});
    const envData: Record<string, string> = {};
    for (const k of Object.keys(s.environment ?? {}).sort()) {
      const v = s.environment![k];
      if (v === null) { add([{ key: ['environment', k], message: `${k} takes its value from the shell, where it is not set; it is dropped` }]); continue; }
      if (!isValidConfigKey(k)) { add([], [{ key: envSecret.owner[k] ?? ['environment', k], message: `"${k}" is not a valid environment variable name for Kubernetes (letters, digits, "-", "_", ".")`, fix: 'rename the variable using only letters, digits, "-", "_" and ".", not starting with a digit' }]); continue; }
      if (envSecret.fromSecret.has(k)) continue;
      envData[k] = v;
    }
    const envFrom: Array<{ source: string }> = [];
    if (envSecret.files.length) {
      sources.push({ kind: 'AppSecret', id: `${name}-env-secret`, name: `${name}-env-secret`, data: sortRecord(envSecret.data), envFiles: envSecret.files });
      envFrom.push({ source: `${name}-env-secret` });
    }
    if (Object.keys(envData).length) {
      sources.push({ kind: 'AppConfig', id: `${name}-env`, name: `${name}-env`, data: envData });
      envFrom.push({ source: `${name}-env` });
    }

    const mounts: MountSpec[] = [];
    const volumes: WebAppVolume[] = [];
    planFiles(project, s, svc, name, 'configs', sources, mounts, add);
    planFiles(project, s, svc, name, 'secrets', sources, mounts, add);
    planVolumes(project, s, svc, name, options.bindMounts ?? 'hostPath', sources, mounts, volumes, add);

    const sec = dropUndefined({
      user: user.value?.user,
      group: user.value?.group,
      privileged: s.privileged || undefined,
      readOnlyRootFilesystem: s.read_only || undefined,
      // Docker takes CAP_NET_ADMIN or NET_ADMIN; Kubernetes only the name without the prefix.
      // Without cap_add/cap_drop a compose service gets the runtime's default set, not WebApp's drop ALL: `{}` keeps it.
      capabilities: s.cap_add || s.cap_drop ? dropUndefined({ add: s.cap_add?.map(capName), drop: s.cap_drop?.map(capName) }) : {},
    });
    let hostname = s.hostname;
    if (hostname !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(hostname)) {
      add([{ key: ['hostname'], message: `a pod hostname must be a DNS-1123 label; "${hostname}" is dropped` }]);
      hostname = undefined;
    }
    const podAnnotations: Record<string, string> = { ...labels.value.annotations };
    for (const [k, v] of Object.entries(s.labels ?? {})) podAnnotations[k] = v ?? '';
    const props: AppPropsSpec = dropUndefined({
      name,
      image,
      port: first?.containerPort,
      servicePort: first && first.servicePort !== first.containerPort ? first.servicePort : undefined,
      additionalPorts: rest.length ? rest.map((p) => dropUndefined({ containerPort: p.containerPort, servicePort: p.servicePort !== p.containerPort ? p.servicePort : undefined, protocol: p.protocol !== 'TCP' ? p.protocol : undefined })) : undefined,
      service: ports.value.serviceType ? undefined : false,
      serviceType: ports.value.serviceType,
      headless: headless.value,
      workload: workload.value.workload,
      replicas: workload.value.replicas,
      restartPolicy: workload.value.restartPolicy,
      strategy: rollout.value.strategy,
      minReadySeconds: rollout.value.minReadySeconds,
      command: commandList(s.entrypoint),
      args: commandList(s.command),
      workingDir: s.working_dir,
      hostname,
      security: Object.keys(sec).length ? sec : undefined,
      resources: resources.value,
      labels: labels.value.labels,
      podAnnotations: Object.keys(podAnnotations).length ? sortRecord(podAnnotations) : undefined,
      affinity: affinity.value,
      tolerations: affinity.tolerations,
      topologySpread: spread.value,
      envFrom: envFrom.length ? envFrom : undefined,
      mounts: mounts.length ? mounts : undefined,
      volumes: volumes.length ? volumes : undefined,
      probe: probe.value,
      namespace: ns,
    });
    apps.push({ id: name, service: svc, props });
  }
  return { project: project.name, namespace: ns, claims, sources: uniqueIds(sources, apps, new Set(names.values())), apps, warnings: sortProblems(warnings), errors: sortProblems(errors) };
}

/**
 * Construct ids of configs and secrets are `<service>-env`, `<service>-secrets`, ...; a service
 * called `web-env` would clash with them, so such ids get a suffix (object names keep their hash).
 */
function uniqueIds(sources: SourceSpec[], apps: AppSpec[], taken: Set<string>): SourceSpec[] {
  const renamed = new Map<string, string>();
  const out = sources.map((src) => {
    let id = src.id;
    for (let i = 2; taken.has(id); i++) id = `${src.id}-${i}`;
    taken.add(id);
    if (id !== src.id) renamed.set(src.id, id);
    return id === src.id ? src : { ...src, id };
  });
  if (renamed.size) {
    for (const a of apps) {
      const p = a.props as { envFrom?: Array<{ source: string }>; mounts?: MountSpec[] };
      p.envFrom = p.envFrom?.map((e) => ({ source: renamed.get(e.source) ?? e.source }));
      p.mounts = p.mounts?.map((m) => ({ ...m, source: renamed.get(m.source) ?? m.source }));
    }
  }
  return out;
}

function claimName(name: string, v: { name?: string; external?: boolean | { name?: string } }): string {
  const ext = typeof v.external === 'object' ? v.external.name : undefined;
  return toDnsLabel(ext ?? v.name ?? name);
}

/**
 * The env files of a service that hold a value the policy calls a secret (`DB_PASSWORD=...`, a URL
 * with a password): each becomes Secret data as a whole, and the keys whose final value comes from
 * one of them stay out of the ConfigMap. The ConfigMap is read after the Secret, so `environment:`
 * and later plain env files still override, as in compose.
 */
export function planEnvSecret(envFiles: readonly string[], env: Readonly<Record<string, string | null>>): { files: string[]; data: Record<string, string>; fromSecret: Set<string>; owner: Record<string, (string | number)[]> } {
  const files: string[] = [];
  const data: Record<string, string> = {};
  const last: Record<string, { file: string; value: string }> = {};
  const owner: Record<string, (string | number)[]> = {};
  envFiles.forEach((f, i) => {
    let values: Record<string, string>;
    try { values = parseEnvFile(fs.readFileSync(f, 'utf8'), f); } catch { return; } // the loader reported it
    for (const [k, v] of Object.entries(values)) { last[k] = { file: f, value: v }; owner[k] = ['env_file', i]; }
    if (Object.entries(values).some(([k, v]) => secretLiteralReason(k, v) !== undefined)) {
      if (!files.includes(f)) files.push(f);
      Object.assign(data, values);
    }
  });
  const fromSecret = new Set(Object.keys(last).filter((k) => files.includes(last[k].file) && env[k] === last[k].value));
  for (const k of Object.keys(env)) if (!(k in last) || env[k] !== last[k].value) delete owner[k];
  return { files, data, fromSecret, owner };
}

type Add = (notes: readonly Note[], errs?: readonly Note[]) => void;

/** Reads a file into one key: its text, or (not UTF-8, e.g. an image or a DER certificate) its bytes as base64 in `binary`. */
function readKeyFile(file: string, key: string, data: Record<string, string>, binary: Record<string, string>): void {
  const buf = fs.readFileSync(file);
  if (isUtf8(buf)) data[key] = buf.toString('utf8');
  else binary[key] = buf.toString('base64');
}

const nonEmpty = (r: Record<string, string>) => (Object.keys(r).length ? sortRecord(r) : undefined);

/** The folder compose owns for secrets: nothing of the image lives there, so a whole-folder volume is faithful. */
const SECRETS_DIR = '/run/secrets';

/**
 * Service `configs`/`secrets` -> one AppConfig/AppSecret per target folder. Compose mounts single
 * files: each file outside /run/secrets is mounted alone (a subPath mount at its target), so the
 * image's other files in that folder stay; /run/secrets, which compose owns, is one folder volume.
 */
function planFiles(project: ComposeProject, s: ComposeService, svc: string, name: string, kind: 'configs' | 'secrets', sources: SourceSpec[], mounts: MountSpec[], add: Add): void {
  interface Group { data: Record<string, string>; binary: Record<string, string>; keys: string[]; modes: Set<number | undefined>; external: boolean; externalRefs: Array<{ i: number; source: string; file: string }>; files: Array<{ target: string; file: string; mode?: number }>; paths: Array<{ file: string; key: string }> }
  const groups = new Map<string, Group>();
  (s[kind] ?? []).forEach((ref, i) => {
    const r: ComposeFileRefLong = typeof ref === 'string' ? { source: ref } : ref;
    const obj = project[kind][r.source];
    if (!obj) return; // the loader already reported it
    let target = r.target ?? (kind === 'secrets' ? `${SECRETS_DIR}/${r.source}` : `/${r.source}`);
    if (!target.startsWith('/')) target = `${kind === 'secrets' ? SECRETS_DIR : ''}/${target}`;
    const dir = path.posix.dirname(target);
    const file = path.posix.basename(target);
    if (r.uid !== undefined || r.gid !== undefined) add([{ key: [kind, i], message: 'uid and gid of a mounted file have no Kubernetes field (set fsGroup on the pod); they are dropped' }]);
    const ext = !!obj.external;
    const g = groups.get(dir) ?? { data: {}, binary: {}, keys: [], modes: new Set(), external: ext, externalRefs: [], files: [], paths: [] };
    if (g.external !== ext) add([], [{ key: [kind, i], message: `external and file ${kind} cannot share the folder ${dir}`, fix: 'give one of them a target in another folder' }]);
    g.modes.add(r.mode);
    g.keys.push(file);
    g.files.push(dropUndefined({ target, file, mode: r.mode }));
    if (ext) g.externalRefs.push({ i, source: r.source, file });
    else if (obj.file) { readKeyFile(obj.file, file, g.data, g.binary); g.paths.push({ file: obj.file, key: file }); }
    else add([], [{ key: [kind, i], message: `${kind.slice(0, -1)} "${r.source}" has no "file:"; only file and external ${kind} can be converted`, fix: `give top-level ${kind}.${r.source} a "file:", or mark it "external: true"` }]);
    groups.set(dir, g);
  });
  let n = 0;
  for (const [dir, g] of groups) {
    const id = `${name}-${kind}${n ? `-${n}` : ''}`;
    n++;
    if (g.external && kind === 'configs') {
      add([{ key: [kind], message: 'external configs cannot be referenced without their content; they are dropped' }]);
      continue;
    }
    for (const x of g.externalRefs) add([{ key: [kind, x.i], message: `secret "${x.source}" is external: a Secret named "${id}" with the key "${x.file}" must exist in the namespace (kubectl create secret generic ${id} --from-file=${x.file}=...)` }]);
    sources.push({ kind: kind === 'secrets' ? 'AppSecret' : 'AppConfig', id, name: id, data: g.external ? Object.fromEntries(g.keys.map((k) => [k, ''])) : sortRecord(g.data), binaryData: g.external ? undefined : nonEmpty(g.binary), external: g.external || undefined,
      // Secret files are read again by generated code; config files stay literal (they are not secret).
      files: kind === 'secrets' && !g.external && g.paths.length ? g.paths : undefined });
    if (dir !== SECRETS_DIR) {
      // One file, one mount, with its own mode.
      for (const f of g.files) mounts.push(dropUndefined({ path: f.target, source: id, subPath: f.file, mode: f.mode }));
      continue;
    }
    // Files without a mode take the volume's; only two different explicit modes conflict.
    const modes = [...g.modes].filter((m) => m !== undefined);
    if (modes.length > 1) add([{ key: [kind], message: `files in ${dir} have different modes; one volume has one mode, the first (${modes[0]!.toString(8)}) is used` }]);
    mounts.push(dropUndefined({ path: dir, source: id, keys: g.keys.length ? [...g.keys].sort() : undefined, mode: modes[0] }));
  }
}

/** Service `volumes` and `tmpfs` -> claims, hostPath (or ConfigMap) and in-memory emptyDir volumes. */
function planVolumes(project: ComposeProject, s: ComposeService, svc: string, name: string, bindMode: BindMountMode, sources: SourceSpec[], mounts: MountSpec[], volumes: WebAppVolume[], add: Add): void {
  const entries: Array<{ m: MountEntry; key: (string | number)[] }> = [];
  (s.volumes ?? []).forEach((v, i) => {
    const r = parseVolume(v);
    if (r.error) add([], [{ key: ['volumes', i], message: r.error, fix: r.fix }]);
    else entries.push({ m: r.mount!, key: ['volumes', i] });
  });
  parseTmpfs(s.tmpfs).forEach((m) => entries.push({ m, key: ['tmpfs'] }));
  entries.forEach(({ m, key }, i) => {
    if (m.dropped) add([{ key, message: `mount options ${m.dropped.join(', ')} have no Kubernetes volume field; they are dropped` }]);
    if (m.type === 'volume' && m.source) {
      const v = project.volumes[m.source];
      if (!v) { add([], [{ key, message: `volume "${m.source}" is not defined under the top-level "volumes:"`, fix: `add "${m.source}:" under the top-level "volumes:", or write ./${m.source} for a folder` }]); return; }
      volumes.push(dropUndefined({ name: toDnsLabel(`vol-${m.source}`), mountPath: m.target, readOnly: m.readOnly || undefined, persistentVolumeClaim: { claimName: claimName(m.source, v) } }));
    } else if (m.type === 'volume') {
      add([{ key, message: `an anonymous volume at ${m.target} becomes an emptyDir: its data lives as long as the pod` }]);
      volumes.push({ name: `anon-${i}`, mountPath: m.target, emptyDir: {} });
    } else if (m.type === 'tmpfs') {
      volumes.push({ name: `tmpfs-${i}`, mountPath: m.target, emptyDir: dropUndefined({ medium: 'Memory' as const, sizeLimit: m.size !== undefined ? memoryQuantity(m.size) : undefined }) });
    } else if (m.type === 'bind' && m.source) {
      const host = path.resolve(project.dir, m.source.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
      if (bindMode === 'configMap') {
        planBindAsConfig(host, m, name, i, key, sources, mounts, add);
        return;
      }
      add([{ key, message: `bind mount ${m.source} becomes a hostPath volume on ${host}: that folder must exist on the node that runs the pod (or use --bind-mounts configmap)` }]);
      volumes.push(dropUndefined({ name: `host-${i}`, mountPath: m.target, readOnly: m.readOnly || undefined, hostPath: { path: host } }));
    } else {
      add([{ key, message: `a ${m.type} mount has no Kubernetes equivalent; it is dropped` }]);
    }
  });
}

function planBindAsConfig(host: string, m: MountEntry, name: string, i: number, key: (string | number)[], sources: SourceSpec[], mounts: MountSpec[], add: Add): void {
  let st: fs.Stats;
  try { st = fs.statSync(host); } catch {
    add([], [{ key, message: `bind mount source ${host} does not exist, so its files cannot go into a ConfigMap`, fix: 'create the file or folder, correct the path, or convert with --bind-mounts hostpath' }]);
    return;
  }
  const data: Record<string, string> = {};
  const binary: Record<string, string> = {};
  const file = st.isDirectory() ? undefined : path.posix.basename(m.target);
  if (file === undefined) {
    for (const f of fs.readdirSync(host, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort()) readKeyFile(path.join(host, f), f, data, binary);
  } else {
    readKeyFile(host, file, data, binary);
  }
  add([{ key, message: `bind mount ${host} becomes a ConfigMap holding its files (read-only, a copy taken now)` }]);
  const id = `${name}-bind-${i}`;
  sources.push(dropUndefined({ kind: 'AppConfig' as const, id, name: id, data, binaryData: nonEmpty(binary) }));
  // A bound file is mounted alone at its target, as Docker does, not as a folder hiding its neighbours.
  mounts.push(file === undefined ? { path: m.target, source: id } : { path: m.target, source: id, subPath: file });
}


function capName(c: string): string {
  return c.replace(/^CAP_/, '');
}

function sortRecord<T>(r: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}

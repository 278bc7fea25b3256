/**
 * `planDocker`: Kubernetes objects (the IR) -> a Docker plan. Pure and deterministic: no I/O, output
 * sorted by name, so the direct apply and the Pulumi Docker program see the same thing.
 *
 * Every problem is collected and thrown once (a `DockyardError` naming each object), before any
 * executor touches the engine.
 */
import { isIP } from 'node:net';
import { DockyardError, Problem } from '../../core/errors';
import { KubeObject, LoadedObject, describeObject } from '../../core/manifests';
import { checkDnsLabel, shortHash } from '../../core/naming';
import { podSpecOf } from '../../ir/pod-spec';
import { capabilityInfo } from '../../policy/capabilities';
import { checkObjects } from '../../policy/check';
import { DOCKER_GUARDS, GUARD_RULES } from '../../policy/guard-rules';
import { HostFacts } from '../../ir/host-paths';
import { retireName, tempName } from './changes';
import { expandVars, mapProbe, mapResources, mapRestartPolicy, mapSecurityContext, resolveIntOrPercent } from './mapping';
import { ContainerPlan, DockerPlan, FileCopy, LABELS, MountPlan, NetworkPlan, PortBinding, UpdatePlan, VolumePlan } from './plan';

/** Options of `planDocker`. */
export interface PlanOptions {
  /** Ownership scope and name prefix; a DNS-1123 label. */
  readonly project: string;
  /** Host address published ports bind to. @default '0.0.0.0' */
  readonly publishAddress?: string;
  /** Turn unsupported objects and fields into warnings instead of an error. @default false */
  readonly skipUnsupported?: boolean;
  /** Allow hostPath mounts of the Docker socket. @default false */
  readonly allowDockerSocket?: boolean;
  /** Allow privileged containers, host namespaces, host-root capabilities, Unconfined profiles. @default false */
  readonly allowPrivileged?: boolean;
  /** Allow read-write hostPath mounts of host-owning folders (/, /etc, /usr, the engine's data root, ...). @default false */
  readonly allowHostPaths?: boolean;
  /** Unix socket path of the engine deployed to (from `--host`/DOCKER_HOST), refused as a hostPath like the known ones. @default none */
  readonly dockerHostSocket?: string;
  /**
   * Facts about the engine's host for the guards: how host paths resolve (symlinks), the engine's
   * socket and data root. The command line fills them when the engine runs on this machine.
   * @default none: host paths are checked as written, and findings say they were not resolved
   */
  readonly hostFacts?: HostFacts;
  /** Most replicas one workload may ask for; refused before anything is expanded. @default DEFAULT_MAX_REPLICAS */
  readonly maxReplicas?: number;
  /** Image of the relay that spreads a published multi-replica Service over its pods. @default 'busybox:1.36' */
  readonly proxyImage?: string;
  /**
   * Relay command for one port; `{listenPort}`, `{host}` (the Service name), `{port}` (its target
   * port) and `{network}` (the network the relay and the pods share) are replaced.
   * @default DEFAULT_PROXY_COMMAND (busybox nc over the replicas in rotation, retrying a refused connect)
   */
  readonly proxyCommand?: readonly string[];
}

/** Kinds the Docker host runs. */
export const WORKLOAD_KINDS = ['Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'DaemonSet'] as const;
const SUPPORTED = new Set<string>([...WORKLOAD_KINDS, 'Service', 'ConfigMap', 'Secret', 'Namespace', 'PersistentVolumeClaim']);
/** Kinds that mean nothing on one Docker host; reported as warnings, never an error. */
const IGNORED = new Set(['ServiceAccount', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']);
export const DEFAULT_PROXY_IMAGE = 'busybox:1.36';
/** Most replicas of one workload on a Docker host unless `maxReplicas` (`--max-replicas`) raises it. */
export const DEFAULT_MAX_REPLICAS = 100;
/**
 * One round of the default relay: the addresses of the Service alias (Docker's DNS shuffles them) whose
 * reverse (PTR) name is a replica under its final name are tried first, as a Service's ready endpoints.
 * A retiring replica (`.old`, in its stop grace) and an unpromoted surge one (`.next`) keep the alias: a
 * Docker alias cannot be dropped without disconnecting, which would cut the connections in flight, but a
 * rename shows in the PTR name at once. So a retiring replica gets no new connection during its grace and
 * has none left to cut when it is killed at the end of it. Those, and addresses without a name (gone
 * since the lookup), are tried last, when nothing in rotation answers; an image without busybox's
 * nslookup gets the plain alias.
 */
const ROTATION = `all=$(busybox nslookup {host} 2>/dev/null | sed -n "/^Name:/{n;s/^Address: *//p}"); later=; for a in $all; do `
  + `case $(busybox nslookup $a 2>/dev/null) in *"${retireName('')}.{network}"*|*"${tempName('')}.{network}"*) later="$later $a";; *"name = "*) nc $a {port} && exit 0;; *) later="$later $a";; esac; done; `
  + 'for a in $later; do nc $a {port} && exit 0; done; [ -z "$all" ] && nc {host} {port} && exit 0';
/** busybox nc relays each connection (ROTATION), and tries again after a refused connect (a replica starting or stopped). */
export const DEFAULT_PROXY_COMMAND = ['nc', '-ll', '-p', '{listenPort}', '-e', 'sh', '-c', `for i in 1 2 3 4 5 6 7 8 9 10; do ${ROTATION}; sleep 0.2; done; exit 1`];

interface Src { readonly object: KubeObject; readonly where: string; readonly ns: string; readonly id: string }

interface Workload {
  readonly src: Src;
  readonly podSpec: any;
  readonly podLabels: Record<string, string>;
  readonly replicas: number;
  readonly podNames: string[];
  /** container name -> port name -> number */
  readonly namedPorts: Record<string, number>;
}

/** Docker name prefix of a namespace: the project for `default`, `<project>-<ns>` otherwise. */
export function namePrefix(project: string, namespace: string): string {
  return namespace === 'default' ? project : `${project}-${namespace}`;
}

/** Container names of a workload's pods: `<prefix>-<name>-<i>`, 1-based like compose. */
export function podNames(project: string, namespace: string, name: string, replicas: number): string[] {
  return Array.from({ length: replicas }, (_, i) => `${namePrefix(project, namespace)}-${name}-${i + 1}`);
}

function isLoaded(x: KubeObject | LoadedObject): x is LoadedObject {
  return typeof (x as LoadedObject).file === 'string' && typeof (x as LoadedObject).object === 'object';
}

function decode(data: Record<string, unknown> | undefined, base64: boolean): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(data ?? {})) out.set(k, Buffer.from(String(v), base64 ? 'base64' : 'utf8'));
  return out;
}

/** Plans a Docker host deployment for the given objects. Throws one DockyardError listing every problem. */
export function planDocker(input: readonly (KubeObject | LoadedObject)[], options: PlanOptions): DockerPlan {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const project = options.project;
  const bad = checkDnsLabel(project);
  if (bad) throw new DockyardError({ where: '--project', message: `project name "${project}" ${bad}`, fix: 'use lowercase letters, digits and "-", e.g. --project myapp' });
  const publishAddress = options.publishAddress ?? '0.0.0.0';
  // Docker reads a HostIp it cannot parse as "every interface": a typo would publish to the world.
  if (!isIP(publishAddress)) throw new DockyardError({ where: '--publish-address', message: `"${publishAddress}" is not an IP address`, fix: 'give an IP address of this host, e.g. --publish-address 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)' });
  const unsupported = (where: string, message: string, fix: string) => (options.skipUnsupported ? warnings : errors).push({ where, message: options.skipUnsupported ? `${message}; skipped` : message, fix });

  const srcs: Src[] = input.map((x) => {
    const object = isLoaded(x) ? x.object : x;
    const ns = typeof object.metadata?.namespace === 'string' && object.metadata.namespace ? object.metadata.namespace : 'default';
    const id = `${object.kind}/${ns}/${object.metadata?.name ?? '<no name>'}`;
    return { object, ns, id, where: isLoaded(x) ? `${x.file}:${x.line} ${describeObject(object)}` : describeObject(object) };
  });

  guard(srcs, options, errors, warnings);
  const maxReplicas = options.maxReplicas ?? DEFAULT_MAX_REPLICAS;
  if (!Number.isInteger(maxReplicas) || maxReplicas < 1) throw new DockyardError({ where: '--max-replicas', message: `"${maxReplicas}" is not a whole number of 1 or more`, fix: 'e.g. --max-replicas 200' });

  const configMaps = new Map<string, Map<string, Buffer>>();
  // ConfigMap binaryData keys: files, never env vars (Kubernetes fills env from data only).
  const binaryKeys = new Map<string, Set<string>>();
  const secrets = new Map<string, Map<string, Buffer>>();
  const claims = new Set<string>();
  const namespaces = new Set<string>();
  const workloads: Workload[] = [];
  const services: Src[] = [];
  for (const s of srcs) {
    const o = s.object as any;
    const key = `${s.ns}/${o.metadata?.name}`;
    if (IGNORED.has(o.kind)) { warnings.push({ where: s.where, message: `${o.kind} has no meaning on a single Docker host; ignored` }); continue; }
    if (!SUPPORTED.has(o.kind)) {
      unsupported(s.where, `${o.kind} cannot run on a Docker host (it runs Pods, ReplicationControllers, ReplicaSets, Deployments, DaemonSets, Services, ConfigMaps, Secrets, PersistentVolumeClaims and Namespaces)`,
        'remove it from what you deploy to Docker, or pass --skip-unsupported to deploy the rest without it');
      continue;
    }
    if (o.kind === 'Namespace') namespaces.add(o.metadata?.name ?? 'default');
    else if (o.kind === 'ConfigMap') {
      configMaps.set(key, new Map([...decode(o.data, false), ...decode(o.binaryData, true)]));
      binaryKeys.set(key, new Set(Object.keys(o.binaryData ?? {})));
    }
    else if (o.kind === 'Secret') secrets.set(key, new Map([...decode(o.data, true), ...decode(o.stringData, false)]));
    else if (o.kind === 'PersistentVolumeClaim') {
      if (o.spec?.dataSource || o.spec?.dataSourceRef || o.spec?.selector) unsupported(s.where, 'a PersistentVolumeClaim with a dataSource or selector cannot be mapped to a Docker volume', 'remove spec.dataSource/selector, or pass --skip-unsupported');
      else claims.add(key);
    } else if (o.kind === 'Service') services.push(s);
    else {
      const ps = podSpecOf(o) as { spec: any } | undefined;
      const replicas = o.kind === 'Pod' || o.kind === 'DaemonSet' ? 1 : typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1;
      // Kubernetes refuses these; planned as 0 pods, a deploy would remove every running one.
      if (!Number.isInteger(replicas) || replicas < 0) { errors.push({ where: `${s.where} spec.replicas`, message: `replicas ${replicas} is not a whole number of 0 or more`, fix: 'use 0 or more (0 stops every pod)' }); continue; }
      // Checked before any per-replica list is built: a huge count must not allocate.
      if (replicas > maxReplicas) { errors.push({ where: `${s.where} spec.replicas`, message: `replicas ${replicas} is more than one Docker host runs for a workload (at most ${maxReplicas})`, fix: `lower spec.replicas, or raise the limit with --max-replicas ${replicas}` }); continue; }
      const podLabels = (o.kind === 'Pod' ? o.metadata?.labels : o.spec?.template?.metadata?.labels) ?? {};
      if (!ps?.spec || !Array.isArray(ps.spec.containers) || ps.spec.containers.length === 0) { errors.push({ where: s.where, message: 'has no containers', fix: 'add at least one container to the pod spec' }); continue; }
      const namedPorts: Record<string, number> = {};
      for (const c of ps.spec.containers) for (const p of c.ports ?? []) if (p.name) namedPorts[p.name] = p.containerPort;
      workloads.push({ src: s, podSpec: ps.spec, podLabels, replicas, podNames: podNames(project, s.ns, o.metadata?.name, replicas), namedPorts });
    }
  }

  // Networks: one per namespace in use.
  for (const s of srcs) if (s.object.kind !== 'Namespace' && SUPPORTED.has(s.object.kind)) namespaces.add(s.ns);
  const networkOf = (ns: string) => namePrefix(project, ns);
  const networks: NetworkPlan[] = [...namespaces].sort().map((ns) => ({ name: networkOf(ns), namespace: ns, labels: { [LABELS.project]: project, [LABELS.object]: `Namespace/${ns}` } }));
  const volumes: VolumePlan[] = [...claims].sort().map((k) => {
    const [ns, name] = k.split('/');
    return { name: `${namePrefix(project, ns)}-${name}`, object: `PersistentVolumeClaim/${ns}/${name}`, labels: { [LABELS.project]: project, [LABELS.object]: `PersistentVolumeClaim/${ns}/${name}` } };
  });

  // Services: aliases on selected pods, published ports, proxies.
  const aliases = new Map<string, Set<string>>(); // pod name -> aliases
  const bindings = new Map<string, PortBinding[]>(); // pod name -> bindings
  const proxies: ContainerPlan[] = [];
  for (const s of services) {
    const svc = s.object as any;
    const name: string = svc.metadata?.name;
    const type: string = svc.spec?.type ?? 'ClusterIP';
    const selector: Record<string, string> | undefined = svc.spec?.selector;
    if (type === 'ExternalName') { warnings.push({ where: s.where, message: 'ExternalName Services are not mapped (no DNS CNAMEs on a Docker network); ignored' }); continue; }
    if (!selector || Object.keys(selector).length === 0) { warnings.push({ where: s.where, message: 'Service has no selector, so nothing on Docker answers for it; ignored', fix: 'add spec.selector matching your pod labels' }); continue; }
    const selected = workloads.filter((w) => w.src.ns === s.ns && Object.entries(selector).every(([k, v]) => w.podLabels[k] === v));
    if (selected.length === 0) { warnings.push({ where: s.where, message: `selector ${JSON.stringify(selector)} matches no pod in namespace "${s.ns}"`, fix: 'make spec.selector match the pod template labels' }); continue; }
    const pods = selected.flatMap((w) => w.podNames);
    for (const p of pods) { if (!aliases.has(p)) aliases.set(p, new Set()); aliases.get(p)!.add(name); }
    const published = type === 'LoadBalancer' || type === 'NodePort';
    (svc.spec?.ports ?? []).forEach((port: any, i: number) => {
      const protocol = String(port.protocol ?? 'TCP').toLowerCase() as PortBinding['protocol'];
      const tp = port.targetPort ?? port.port;
      const target = typeof tp === 'number' ? tp : /^\d+$/.test(String(tp)) ? Number(tp) : selected[0].namedPorts[tp];
      if (target === undefined) { errors.push({ where: `${s.where} spec.ports[${i}].targetPort`, message: `targetPort "${tp}" names no container port of the selected pods`, fix: 'use a number or the name of a containerPort' }); return; }
      if (target !== port.port) warnings.push({ where: `${s.where} spec.ports[${i}]`, message: `inside the network, "${name}" resolves to the pods themselves: connect to port ${target} (targetPort), not ${port.port}` });
      if (!published) return;
      let hostPort: number = type === 'NodePort' ? port.nodePort ?? port.port : port.port;
      if (type === 'NodePort' && port.nodePort === undefined) warnings.push({ where: `${s.where} spec.ports[${i}]`, message: `NodePort without nodePort: published on port ${port.port}` });
      hostPort = Number(hostPort);
      if (pods.length === 1) {
        const b: PortBinding = { containerPort: target, protocol, hostIp: publishAddress, hostPort, service: s.id };
        if (!bindings.has(pods[0])) bindings.set(pods[0], []);
        bindings.get(pods[0])!.push(b);
        return;
      }
      if (protocol !== 'tcp') { unsupported(`${s.where} spec.ports[${i}]`, `a published ${protocol.toUpperCase()} port with ${pods.length} pods cannot be spread (the relay is TCP only)`, 'use one replica, or TCP'); return; }
      const proxyName = `${namePrefix(project, s.ns)}-${name}-proxy`;
      let proxy = proxies.find((p) => p.name === proxyName);
      const cmd = (options.proxyCommand ?? DEFAULT_PROXY_COMMAND).map((a) => a.replace(/\{listenPort\}/g, String(port.port)).replace(/\{host\}/g, name).replace(/\{port\}/g, String(target)).replace(/\{network\}/g, networkOf(s.ns)));
      const binding: PortBinding = { containerPort: port.port, protocol, hostIp: publishAddress, hostPort, service: s.id };
      if (!proxy) {
        proxy = proxyContainer(project, proxyName, s, options.proxyImage ?? DEFAULT_PROXY_IMAGE, networkOf(s.ns), cmd, binding);
        proxies.push(proxy);
      } else {
        // Several published ports: one relay per port in one container.
        const prev = proxy.entrypoint![0] === 'sh' ? proxy.entrypoint![2].replace(/ & wait$/, '') : quoteArgs(proxy.entrypoint!);
        const merged: ContainerPlan = { ...proxy, entrypoint: ['sh', '-c', `${prev} & ${quoteArgs(cmd)} & wait`], ports: [...proxy.ports, binding], exposedPorts: [...proxy.exposedPorts, `${port.port}/tcp`] };
        proxies[proxies.indexOf(proxy)] = merged;
      }
    });
  }

  const containers: ContainerPlan[] = [];
  const updates: UpdatePlan[] = [];
  for (const w of workloads) {
    const built = planWorkload(w, { project, configMaps, binaryKeys, secrets, claims, networkOf, aliases, bindings, publishAddress, errors, warnings, unsupported });
    containers.push(...built);
    updates.push(updatePlan(w));
  }
  containers.push(...proxies.map(withHash));

  // Names and host ports must be unique.
  const byName = new Map<string, ContainerPlan>();
  for (const c of containers) {
    const prev = byName.get(c.name);
    if (prev) errors.push({ where: c.object, message: `would create container "${c.name}", which ${prev.object} creates too`, fix: 'rename one of the two objects' });
    byName.set(c.name, c);
  }
  const hostPorts = new Map<string, PortBinding>();
  for (const c of containers) for (const b of c.ports) {
    const k = `${b.hostIp}:${b.hostPort}/${b.protocol}`;
    const prev = hostPorts.get(k);
    if (prev) errors.push({ where: b.service, message: `publishes host port ${k}, which ${prev.service} publishes too`, fix: 'give each published Service its own port (or nodePort)' });
    hostPorts.set(k, b);
  }
  // Replicas of one workload report the same problem once.
  const unique = (list: Problem[]) => list.filter((p, i) => list.findIndex((q) => q.where === p.where && q.message === p.message) === i);
  const errs = unique(errors);
  if (errs.length) throw new DockyardError(errs, `cannot plan the Docker deployment, ${errs.length} problem(s):`);
  return {
    project,
    networks,
    volumes,
    containers: containers.sort((a, b) => cmp(a.name, b.name)),
    updates: updates.sort((a, b) => cmp(a.object, b.object)),
    warnings: unique(warnings),
  };
}

/**
 * Runs the policy guards with the facts of the engine's host (manifest annotations cannot excuse an
 * object here: the flags are the opt-in). Findings of the refusing guards are errors unless their flag
 * allows them; the other guards' findings are warnings.
 */
function guard(srcs: readonly Src[], options: PlanOptions, errors: Problem[], warnings: Problem[]): void {
  const host: HostFacts = {
    unresolvedReason: 'the planner was given no facts about the Docker host, so symlinks were not followed',
    ...options.hostFacts,
    engineSockets: [...(options.hostFacts?.engineSockets ?? []), ...(options.dockerHostSocket ? [options.dockerHostSocket] : [])],
  };
  const allowed: Record<string, boolean | undefined> = { 'docker-socket': options.allowDockerSocket, privileged: options.allowPrivileged, 'host-path-write': options.allowHostPaths };
  const report = checkObjects(srcs.map((s) => s.object), { rules: GUARD_RULES, host, annotationSuppressions: false });
  const refused = new Map<string, string>(); // field -> the rule that refused it
  for (const f of report.findings) {
    const where = `${srcs[f.index].where} ${f.field}`;
    const guard = DOCKER_GUARDS[f.rule];
    if (!guard) { warnings.push({ where, message: f.message, fix: f.fix }); continue; }
    // One guard per field: a writable `/` is the socket's error first; allowing the socket still leaves the other.
    if (allowed[f.rule] || (refused.get(where) ?? f.rule) !== f.rule) continue;
    refused.set(where, f.rule);
    // The rule's own fix speaks of suppressions, which the Docker target does not take: its flag is the opt-in.
    const ruleFix = GUARD_RULES.find((r) => r.id === f.rule)?.fix;
    errors.push({ where, message: f.message, fix: f.fix === ruleFix ? guard.fix : f.fix.includes(guard.flag) ? f.fix : `${f.fix}, or pass ${guard.flag}` });
  }
}

/**
 * A workload's rollout settings, as Kubernetes resolves them: Deployment strategy (maxSurge and
 * maxUnavailable default 25%; percentages of the replica count, surge rounded up, unavailability
 * down); DaemonSet updateStrategy (defaults 0 and 1); ReplicaSets and ReplicationControllers roll
 * like a default Deployment (Kubernetes would not roll them at all, leaving old pods running).
 */
export function updatePlan(w: { readonly src: { readonly id: string; readonly object: KubeObject }; readonly replicas: number }): UpdatePlan {
  const o = w.src.object as any;
  const daemon = o.kind === 'DaemonSet';
  const strategy = daemon ? o.spec?.updateStrategy : o.spec?.strategy;
  const rolling = strategy?.rollingUpdate;
  const maxSurge = resolveIntOrPercent(rolling?.maxSurge, w.replicas, daemon ? 0 : Math.ceil(w.replicas / 4), true);
  const maxUnavailable = resolveIntOrPercent(rolling?.maxUnavailable, w.replicas, daemon ? 1 : Math.floor(w.replicas / 4));
  return { object: w.src.id, recreate: strategy?.type === 'Recreate', maxSurge, maxUnavailable, parallelism: Math.max(1, maxUnavailable) };
}

function cmp(a: string, b: string): number { return a < b ? -1 : a > b ? 1 : 0; }

function quoteArgs(args: readonly string[]): string {
  return args.map((a) => (/^[-\w.:/=@{}]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Computes and stamps the spec hash (everything except the hash itself). */
function withHash(c: ContainerPlan): ContainerPlan {
  const { hash: _h, ...rest } = c;
  const labels = { ...rest.labels };
  delete labels[LABELS.hash];
  const hash = shortHash({ ...rest, labels }, 16);
  return { ...c, hash, labels: { ...c.labels, [LABELS.hash]: hash } };
}

function proxyContainer(project: string, name: string, s: Src, image: string, network: string, cmd: string[], binding: PortBinding): ContainerPlan {
  return {
    name, pod: name, role: 'proxy', object: s.id, containerName: s.object.metadata!.name!, replica: 1, image,
    entrypoint: cmd, cmd: [], env: [], files: [], mounts: [],
    labels: { [LABELS.project]: project, [LABELS.object]: s.id, [LABELS.name]: name, [LABELS.pod]: name, [LABELS.role]: 'proxy', [LABELS.container]: 'proxy', [LABELS.replica]: '1' },
    exposedPorts: [`${binding.containerPort}/tcp`], ports: [binding], resources: {},
    restart: { name: 'always', maximumRetryCount: 0 }, network, aliases: [],
    readOnly: true, capAdd: [], capDrop: [], privileged: false, hostname: undefined, tty: false, openStdin: false,
    stopTimeoutSeconds: 1, hash: '',
  };
}

interface Ctx {
  project: string;
  configMaps: Map<string, Map<string, Buffer>>;
  binaryKeys: Map<string, Set<string>>;
  secrets: Map<string, Map<string, Buffer>>;
  claims: Set<string>;
  networkOf: (ns: string) => string;
  aliases: Map<string, Set<string>>;
  bindings: Map<string, PortBinding[]>;
  publishAddress: string;
  errors: Problem[];
  warnings: Problem[];
  unsupported: (where: string, message: string, fix: string) => void;
}

/** Looks a ConfigMap or Secret up in the object's namespace; names another namespace holding it, for the message. */
function lookup(ctx: Ctx, kind: 'ConfigMap' | 'Secret', ns: string, name: string): { data?: Map<string, Buffer>; binary?: Set<string>; elsewhere?: string } {
  const store = kind === 'ConfigMap' ? ctx.configMaps : ctx.secrets;
  const data = store.get(`${ns}/${name}`);
  if (data) return { data, binary: kind === 'ConfigMap' ? ctx.binaryKeys.get(`${ns}/${name}`) : undefined };
  const other = [...store.keys()].find((k) => k.endsWith(`/${name}`));
  return { elsewhere: other?.split('/')[0] };
}

function missing(kind: string, name: string, ns: string, elsewhere: string | undefined, key?: string): string {
  const what = key === undefined ? `${kind} "${name}"` : `key "${key}" of ${kind} "${name}"`;
  const hint = elsewhere ? ` (a ${kind} "${name}" exists in namespace "${elsewhere}": pods only see their own namespace)` : '';
  return `reads ${what}, which is not in namespace "${ns}"${hint}`;
}

function planWorkload(w: Workload, ctx: Ctx): ContainerPlan[] {
  const o = w.src.object as any;
  const spec = w.podSpec;
  const at = `${w.src.where}`;
  const specPath = o.kind === 'Pod' ? 'spec' : 'spec.template.spec';
  const podAnnotations: Record<string, string> = (o.kind === 'Pod' ? o.metadata?.annotations : o.spec?.template?.metadata?.annotations) ?? {};
  if (spec.ephemeralContainers?.length) ctx.unsupported(`${at} ${specPath}.ephemeralContainers`, 'ephemeral containers are not run on a Docker host', 'remove them (they are added to running pods for debugging), or pass --skip-unsupported');
  if (spec.initContainers?.length) ctx.unsupported(`${at} ${specPath}.initContainers`, 'init containers are not run on a Docker host', 'move the setup into the main command, or pass --skip-unsupported to start without them');
  if (spec.hostNetwork === true) ctx.unsupported(`${at} ${specPath}.hostNetwork`, 'hostNetwork is not supported by the Docker target (Services and DNS aliases need the project network)', 'remove hostNetwork, or pass --skip-unsupported');
  for (const k of ['nodeSelector', 'affinity', 'tolerations', 'topologySpreadConstraints', 'imagePullSecrets']) {
    if (spec[k] !== undefined) ctx.warnings.push({ where: `${at} ${specPath}.${k}`, message: `${k} has no effect on a single Docker host; ignored` });
  }
  // Fields with no Docker equivalent: reported, never dropped in silence.
  const lossy: Array<[boolean, string, string]> = [
    [spec.hostAliases !== undefined, 'hostAliases', 'no /etc/hosts entries are added'],
    [spec.dnsConfig !== undefined, 'dnsConfig', 'containers use Docker\'s embedded DNS'],
    [spec.shareProcessNamespace === true, 'shareProcessNamespace', 'each container keeps its own process namespace'],
    [spec.readinessGates !== undefined, 'readinessGates', 'ignored'],
  ];
  for (const [hit, field, what] of lossy) if (hit) ctx.warnings.push({ where: `${at} ${specPath}.${field}`, message: `${field} is not mapped on Docker: ${what}` });
  spec.containers.forEach((c: any, ci: number) => {
    const cw = `${at} ${specPath}.containers[${ci}] ("${c.name}")`;
    if (c.lifecycle) ctx.warnings.push({ where: `${cw} lifecycle`, message: 'postStart/preStop hooks are not run on Docker' });
    if (c.livenessProbe) ctx.warnings.push({ where: `${cw} livenessProbe`, message: c.readinessProbe ? 'Docker has one healthcheck (the readiness probe is used) and never restarts an unhealthy container' : 'becomes the healthcheck, but Docker never restarts an unhealthy container' });
  });
  const volumes = new Map<string, any>((spec.volumes ?? []).map((v: any) => [v.name, v]));
  const out: ContainerPlan[] = [];
  w.podNames.forEach((podName, idx) => {
    let mainHash = '';
    spec.containers.forEach((c: any, ci: number) => {
      const where = `${at} ${specPath}.containers[${ci}] ("${c.name}")`;
      const sec = mapSecurityContext(spec.securityContext, c.securityContext, podAnnotations[`container.apparmor.security.beta.kubernetes.io/${c.name}`]);
      if (idx === 0) {
        for (const [field, why] of sec.unsupported) ctx.unsupported(`${where} securityContext.${field}`, why, 'remove the field, or pass --skip-unsupported to deploy without it');
        for (const cap of [...sec.capAdd, ...sec.capDrop]) if (!capabilityInfo(cap)) ctx.errors.push({ where: `${where} securityContext.capabilities`, message: `"${cap}" is not a Linux capability`, fix: 'use a name from capabilities(7), e.g. NET_BIND_SERVICE' });
      }
      // Env: envFrom first, then env (env wins), each value expanded against what came before.
      const env = new Map<string, string>();
      (c.envFrom ?? []).forEach((ef: any) => {
        const kind = ef.configMapRef ? 'ConfigMap' : 'Secret';
        const ref = ef.configMapRef ?? ef.secretRef;
        if (!ref) return;
        const found = lookup(ctx, kind, w.src.ns, ref.name);
        if (!found.data) { if (!ref.optional) ctx.errors.push({ where: `${where} envFrom`, message: missing(kind, ref.name, w.src.ns, found.elsewhere), fix: `create the ${kind}, fix the name, or set optional: true` }); return; }
        for (const [k, v] of [...found.data.entries()].sort(([a], [b]) => cmp(a, b))) if (!found.binary?.has(k)) env.set(`${ef.prefix ?? ''}${k}`, v.toString('utf8'));
      });
      (c.env ?? []).forEach((e: any, ei: number) => {
        if (e.value !== undefined || !e.valueFrom) { env.set(e.name, expandVars(String(e.value ?? ''), env)); return; }
        const vf = e.valueFrom;
        const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
        if (ref) {
          const kind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
          const found = lookup(ctx, kind, w.src.ns, ref.name);
          const value = found.data?.get(ref.key);
          if (value === undefined) { if (!ref.optional) ctx.errors.push({ where: `${where} env[${ei}] ${e.name}`, message: missing(kind, ref.name, w.src.ns, found.data ? undefined : found.elsewhere, found.data ? ref.key : undefined), fix: `create it, fix the name, or set optional: true` }); return; }
          if (found.binary?.has(ref.key)) { ctx.errors.push({ where: `${where} env[${ei}] ${e.name}`, message: `reads key "${ref.key}" of ConfigMap "${ref.name}", which is in binaryData; Kubernetes fills env vars from data only`, fix: 'mount the key as a file, or move it to data as text' }); return; }
          env.set(e.name, value.toString('utf8'));
          return;
        }
        if (vf.fieldRef) {
          const fp: string = vf.fieldRef.fieldPath;
          const labelM = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fp);
          const v = fp === 'metadata.name' ? podName : fp === 'metadata.namespace' ? w.src.ns : fp === 'spec.nodeName' ? 'docker-host' : fp === 'spec.serviceAccountName' ? (spec.serviceAccountName ?? 'default')
            : labelM ? (labelM[1] === 'labels' ? w.podLabels[labelM[2]] : (o.kind === 'Pod' ? o.metadata?.annotations : o.spec?.template?.metadata?.annotations)?.[labelM[2]]) : undefined;
          if (v === undefined && !labelM) { ctx.warnings.push({ where: `${where} env[${ei}] ${e.name}`, message: `fieldRef ${fp} is not known before the container starts on Docker; variable left unset` }); return; }
          env.set(e.name, v ?? '');
          return;
        }
        ctx.warnings.push({ where: `${where} env[${ei}] ${e.name}`, message: 'resourceFieldRef is not mapped on Docker; variable left unset' });
      });
      // Files and mounts.
      const files: FileCopy[] = [];
      const mounts: MountPlan[] = [];
      (c.volumeMounts ?? []).forEach((m: any, mi: number) => {
        const v = volumes.get(m.name);
        const mwhere = `${where} volumeMounts[${mi}]`;
        if (!v) { ctx.errors.push({ where: mwhere, message: `mounts volume "${m.name}", which the pod does not declare`, fix: 'add it to spec.volumes or fix the name' }); return; }
        const src = v.configMap ?? v.secret;
        if (src) {
          const kind = v.configMap ? 'ConfigMap' : 'Secret';
          const name = v.configMap ? src.name : src.secretName;
          const found = lookup(ctx, kind, w.src.ns, name);
          if (!found.data) { if (!src.optional) ctx.errors.push({ where: mwhere, message: `volume "${m.name}" ${missing(kind, name, w.src.ns, found.elsewhere)}`, fix: `create the ${kind}, fix the name, or set optional: true` }); return; }
          const dflt = typeof src.defaultMode === 'number' ? src.defaultMode : kind === 'Secret' ? 0o400 : 0o644;
          const items: Array<{ key: string; path: string; mode?: number }> = src.items ?? [...found.data.keys()].sort().map((key) => ({ key, path: key }));
          for (const it of items) {
            const content = found.data.get(it.key);
            if (content === undefined) { if (!src.optional) ctx.errors.push({ where: mwhere, message: `volume "${m.name}" ${missing(kind, name, w.src.ns, undefined, it.key)}`, fix: 'fix items[].key or add the key' }); continue; }
            if (m.subPath && m.subPath !== it.path) continue;
            const path = m.subPath ? m.mountPath : `${m.mountPath.replace(/\/$/, '')}/${it.path}`;
            files.push({ path, contentBase64: content.toString('base64'), mode: it.mode ?? dflt, uid: sec.uid, gid: sec.gid });
          }
          // The engine refuses to copy into a read-only root filesystem, but not into a volume: give
          // the mounted folder its own (anonymous, writable) volume.
          if (sec.readOnly) {
            if (m.subPath) ctx.unsupported(mwhere, `subPath "${m.subPath}" with readOnlyRootFilesystem: Docker cannot copy a single file into a read-only root filesystem`, 'mount the whole volume on a folder, or pass --skip-unsupported');
            else mounts.push({ type: 'volume', source: '', target: m.mountPath, readOnly: false });
          }
          return;
        }
        if (v.emptyDir) { mounts.push({ type: v.emptyDir.medium === 'Memory' ? 'tmpfs' : 'volume', source: '', target: m.mountPath, readOnly: m.readOnly === true }); return; }
        if (v.hostPath) { mounts.push({ type: 'bind', source: v.hostPath.path, target: m.mountPath, readOnly: m.readOnly === true }); return; }
        if (v.persistentVolumeClaim) {
          const claim = v.persistentVolumeClaim.claimName;
          if (!ctx.claims.has(`${w.src.ns}/${claim}`)) { ctx.errors.push({ where: mwhere, message: `volume "${m.name}" reads PersistentVolumeClaim "${claim}", which is not in namespace "${w.src.ns}"`, fix: 'add the PersistentVolumeClaim to what you deploy, or fix claimName' }); return; }
          mounts.push({ type: 'volume', source: `${namePrefix(ctx.project, w.src.ns)}-${claim}`, target: m.mountPath, readOnly: m.readOnly === true || v.persistentVolumeClaim.readOnly === true });
          return;
        }
        ctx.unsupported(mwhere, `volume "${m.name}" is of a type the Docker target cannot map (it maps configMap, secret, emptyDir, hostPath and persistentVolumeClaim)`, 'use one of those, or pass --skip-unsupported to start without it');
      });
      files.sort((a, b) => cmp(a.path, b.path));
      mounts.sort((a, b) => cmp(a.target, b.target));
      const expand = (list: unknown) => (Array.isArray(list) ? list.map((a) => expandVars(String(a), env)) : undefined);
      const res = mapResources(c.resources);
      for (const p of res.problems) ctx.errors.push({ where, message: p, fix: 'write it as a Kubernetes quantity' });
      const probe = c.readinessProbe ?? c.livenessProbe ?? c.startupProbe;
      const hc = mapProbe(probe, w.namedPorts);
      if (hc.problem) ctx.warnings.push({ where, message: `${hc.problem}; no healthcheck` });
      const isMain = ci === 0;
      const name = isMain ? podName : `${podName}-${c.name}`;
      const ports: PortBinding[] = isMain ? [...(ctx.bindings.get(podName) ?? [])] : [];
      const exposed = new Set<string>();
      (c.ports ?? []).forEach((p: any, pi: number) => {
        const proto = String(p.protocol ?? 'TCP').toLowerCase() as PortBinding['protocol'];
        exposed.add(`${p.containerPort}/${proto}`);
        if (p.hostIP !== undefined && !isIP(String(p.hostIP))) {
          // Same reason as --publish-address: Docker would silently bind every interface.
          ctx.errors.push({ where: `${where} ports[${pi}].hostIP`, message: `hostIP "${p.hostIP}" is not an IP address`, fix: 'use an IP address of this host (e.g. 127.0.0.1), or remove hostIP to use --publish-address' });
          return;
        }
        if (p.hostPort) {
          if (w.replicas > 1) { ctx.errors.push({ where, message: `hostPort ${p.hostPort} with ${w.replicas} replicas: only one container can hold a host port`, fix: 'use one replica, or publish through a LoadBalancer Service' }); return; }
          // A container port in a sidecar is reached through the main container's network namespace.
          const holder = isMain ? ports : undefined;
          const b: PortBinding = { containerPort: p.containerPort, protocol: proto, hostIp: p.hostIP ?? ctx.publishAddress, hostPort: p.hostPort, service: w.src.id };
          if (holder) holder.push(b); else ctx.warnings.push({ where, message: `hostPort ${p.hostPort} on a non-first container is not published; move it to the first container` });
        }
      });
      for (const b of ports) exposed.add(`${b.containerPort}/${b.protocol}`);
      if (!isMain) for (const p of c.ports ?? []) exposed.delete(`${p.containerPort}/${String(p.protocol ?? 'TCP').toLowerCase()}`);
      const labels: Record<string, string> = {
        ...w.podLabels,
        [LABELS.project]: ctx.project, [LABELS.object]: w.src.id, [LABELS.name]: name, [LABELS.pod]: podName,
        [LABELS.role]: 'workload', [LABELS.container]: c.name, [LABELS.replica]: String(idx + 1),
      };
      if (!isMain) labels[LABELS.podHash] = mainHash;
      const plan: ContainerPlan = withHash({
        name, pod: podName, role: 'workload', object: w.src.id, containerName: c.name, replica: idx + 1,
        image: String(c.image ?? ''),
        entrypoint: expand(c.command), cmd: expand(c.args),
        env: [...env.entries()].map(([k, v]) => `${k}=${v}`),
        files, mounts, labels,
        exposedPorts: [...exposed].sort(), ports: ports.sort((a, b) => a.hostPort - b.hostPort),
        resources: res.resources,
        restart: mapRestartPolicy(spec.restartPolicy, o.kind),
        healthcheck: hc.healthcheck,
        network: isMain ? ctx.networkOf(w.src.ns) : undefined,
        aliases: isMain ? [...(ctx.aliases.get(podName) ?? []), ...(spec.hostname ? [spec.hostname] : [])].sort() : [],
        networkMode: isMain ? undefined : `container:${podName}`,
        user: sec.user, readOnly: sec.readOnly, capAdd: sec.capAdd, capDrop: sec.capDrop, privileged: sec.privileged,
        ...(sec.securityOpt.length ? { securityOpt: sec.securityOpt } : {}),
        // The privileged guard refused these unless --allow-privileged; keys only when set, so other hashes do not move.
        ...(spec.hostPID === true ? { pidMode: 'host' as const } : {}),
        ...(spec.hostIPC === true ? { ipcMode: 'host' as const } : {}),
        hostname: isMain ? (spec.hostname ?? podName).slice(0, 63).replace(/-+$/, '') : undefined,
        workingDir: c.workingDir, tty: c.tty === true, openStdin: c.stdin === true,
        stopTimeoutSeconds: typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30,
        hash: '',
      });
      if (!c.image) ctx.errors.push({ where, message: 'has no image', fix: 'set image' });
      if (isMain) mainHash = plan.hash;
      out.push(plan);
    });
  });
  return out;
}

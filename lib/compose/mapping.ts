/**
 * Small pure functions, one per compose key, that turn compose values into WebApp props. Each returns
 * its result plus notes (a key path relative to the service, and why) for anything dropped or changed
 * in meaning; the caller adds file:line:col. Tests call these directly, table by table.
 */
import type { k8s } from 'cdk8s-plus-33';
import type { ServiceType, WebAppResources, WorkloadKind } from '../constructs/web-app';
import type { ComposeDeploy, ComposePortLong, ComposeUpdateConfig } from './model';
import { isValidLabel } from '../core/naming';
import { cpuQuantity, Mapped, memoryQuantity, Note, parseBytes, parseDuration } from './mapping-units';

export * from './mapping-units';
export * from './mapping-probes';
export * from './mapping-volumes';
export * from './mapping-pod';
export * from './mapping-secrets';

// ---------------------------------------------------------------------------------------------
// Ports

/** One port after parsing: what the container listens on, and what is published on the host. */
export interface PortEntry {
  readonly target: number;
  readonly published?: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly hostIp?: string;
}

function range(text: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = m[2] !== undefined ? Number(m[2]) : a;
  return b >= a ? [a, b] : undefined;
}

/** How a short-syntax port is written, for the fix of a bad one. */
export const PORT_FIX = 'write the port like "80", "8080:80", "127.0.0.1:8080:80", "53:53/udp" or a range like "3000-3005:3000-3005"';
const PROTOCOL_FIX = 'use tcp, udp or sctp (like "53:53/udp")';

/**
 * Most ports one range may expand to. Each becomes a container and a Service port: a typo like
 * "3000-30000" would write tens of thousands of them (and Kubernetes caps objects at 1.5 MB).
 */
export const MAX_PORTS_PER_RANGE = 100;

/** Why a port number is out of range, or undefined when it is a valid TCP/UDP port (1-65535). */
function outOfRange(what: string, n: number): string | undefined {
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : `${what} ${n} is not a port number between 1 and 65535`;
}

/** Parses one `ports` entry (short syntax with ranges, host IP and protocol, or the long syntax). */
export function parsePort(entry: number | string | ComposePortLong): { ports: PortEntry[]; error?: string; fix?: string } {
  if (typeof entry === 'number') return { ports: [{ target: entry, protocol: 'TCP' }] };
  if (typeof entry === 'object') {
    const published = entry.published === undefined ? undefined : Number(entry.published);
    if (published !== undefined && !Number.isInteger(published)) return { ports: [], error: `published "${entry.published}" is not a port number`, fix: 'write published as a number like 8080' };
    const bad = outOfRange('target', entry.target) ?? (published !== undefined ? outOfRange('published', published) : undefined);
    if (bad) return { ports: [], error: bad, fix: 'write ports between 1 and 65535, like target: 80 and published: 8080' };
    const protocol = protocolOf(entry.protocol);
    if (!protocol) return { ports: [], error: `protocol "${entry.protocol}" is not tcp, udp or sctp`, fix: PROTOCOL_FIX };
    return { ports: [{ target: entry.target, published, protocol, hostIp: entry.host_ip }] };
  }
  let text = entry.trim();
  let proto = 'tcp';
  const slash = text.lastIndexOf('/');
  if (slash >= 0) { proto = text.slice(slash + 1); text = text.slice(0, slash); }
  const protocol = protocolOf(proto);
  if (!protocol) return { ports: [], error: `protocol "${proto}" is not tcp, udp or sctp`, fix: PROTOCOL_FIX };
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(text);
  if (v6) { hostIp = v6[1]; text = v6[2]; }
  const parts = text.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2) return { ports: [], error: `"${entry}" is not [host_ip:][published:]target[/protocol]`, fix: PORT_FIX };
  const targetR = range(parts[parts.length - 1]);
  const publishedR = parts.length === 2 && parts[0] !== '' ? range(parts[0]) : undefined;
  if (!targetR || (parts.length === 2 && parts[0] !== '' && !publishedR)) return { ports: [], error: `"${entry}" is not [host_ip:][published:]target[/protocol] with port numbers or ranges like 3000-3005`, fix: PORT_FIX };
  const bad = outOfRange('container port', targetR[0]) ?? outOfRange('container port', targetR[1])
    ?? (publishedR ? outOfRange('published port', publishedR[0]) ?? outOfRange('published port', publishedR[1]) : undefined);
  if (bad) return { ports: [], error: `"${entry}": ${bad}`, fix: 'write ports between 1 and 65535, like "8080:80"' };
  const count = targetR[1] - targetR[0] + 1;
  if (count > MAX_PORTS_PER_RANGE) {
    return { ports: [], error: `"${entry}" is a range of ${count} ports; at most ${MAX_PORTS_PER_RANGE} are converted (each becomes a container and a Service port)`, fix: `list only the ports the service listens on, or split the range into ranges of at most ${MAX_PORTS_PER_RANGE} ports (like "3000-3099")` };
  }
  if (publishedR && publishedR[1] - publishedR[0] + 1 !== count) {
    if (publishedR[0] === publishedR[1] || count !== 1) return { ports: [], error: `"${entry}" maps ${publishedR[1] - publishedR[0] + 1} published ports onto ${count} container ports`, fix: 'give both ranges the same length (like "9000-9001:8000-8001"), or publish one port' };
  }
  const ports: PortEntry[] = [];
  for (let i = 0; i < count; i++) {
    ports.push({
      target: targetR[0] + i,
      published: publishedR ? publishedR[0] + (count === 1 ? 0 : i) : undefined,
      protocol,
      hostIp: hostIp || undefined,
    });
  }
  return { ports };
}

function protocolOf(p: string | undefined): PortEntry['protocol'] | undefined {
  const up = (p ?? 'tcp').toUpperCase();
  return up === 'TCP' || up === 'UDP' || up === 'SCTP' ? up : undefined;
}

/** What the Service of a service looks like. */
export interface ServicePorts {
  /** Container ports with the Service port each gets (published port, else the container port). */
  readonly ports: Array<{ containerPort: number; servicePort: number; protocol: PortEntry['protocol']; published?: number }>;
  /** LoadBalancer when something is published, ClusterIP otherwise; undefined for no Service. */
  readonly serviceType?: ServiceType;
}

/**
 * `ports` and `expose` -> Service ports. Published ports make a LoadBalancer whose port is the
 * published one (what clients used on the Docker host); unpublished and `expose` ports a ClusterIP.
 */
export function mapPorts(ports: ReadonlyArray<number | string | ComposePortLong> = [], expose: ReadonlyArray<number | string> = [], override?: ServiceType): Mapped<ServicePorts> {
  const notes: Note[] = [];
  const errors: Note[] = [];
  const out: Array<{ containerPort: number; servicePort: number; protocol: PortEntry['protocol']; published?: number }> = [];
  const seen = new Set<string>();
  let published = false;
  const add = (containerPort: number, servicePort: number, protocol: PortEntry['protocol'], key: (string | number)[], pub?: number) => {
    const id = `${servicePort}/${protocol}`;
    if (seen.has(id)) { if (key[0] === 'ports') notes.push({ key, message: `port ${id} is listed twice; the Service has it once` }); return; }
    seen.add(id);
    out.push(pub === undefined ? { containerPort, servicePort, protocol } : { containerPort, servicePort, protocol, published: pub });
  };
  ports.forEach((entry, i) => {
    const r = parsePort(entry);
    if (r.error) { errors.push({ key: ['ports', i], message: r.error, fix: r.fix }); return; }
    for (const p of r.ports) {
      if (p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::') notes.push({ key: ['ports', i], message: `host IP ${p.hostIp} has no Kubernetes meaning: the Service answers on every address it gets` });
      if (typeof entry === 'object' && entry.mode === 'host') notes.push({ key: ['ports', i, 'mode'], message: 'mode "host" (publish on the node running the task) becomes a Service port like "ingress"' });
      if (p.published !== undefined) published = true;
      // A port without a host part gets a random host port in compose: not a stable address, so it is not published.
      add(p.target, p.published ?? p.target, p.protocol, ['ports', i], p.published);
    }
  });
  expose.forEach((entry, i) => {
    const r = parsePort(String(entry));
    if (r.error || r.ports.some((p) => p.published !== undefined)) { errors.push({ key: ['expose', i], message: `"${entry}" is not a container port or range`, fix: 'write a container port or range like "3000" or "3000-3005" (expose publishes nothing; publish with ports)' }); return; }
    for (const p of r.ports) add(p.target, p.target, p.protocol, ['expose', i]);
  });
  const serviceType = out.length === 0 ? undefined : (override ?? (published ? 'LoadBalancer' : 'ClusterIP'));
  return { value: { ports: out, serviceType }, notes, errors };
}

/**
 * `deploy.endpoint_mode` -> whether the Service is headless. `dnsrr` (the name resolves to the task
 * IPs, no virtual IP) is a headless Service, which Kubernetes allows only for ClusterIP; a published
 * (LoadBalancer/NodePort) service keeps its virtual IP, which is noted.
 */
export function mapEndpointMode(mode: string | undefined, serviceType: ServiceType | undefined): Mapped<boolean | undefined> {
  if (mode !== 'dnsrr' || serviceType === undefined) return { value: undefined, notes: [] };
  if (serviceType === 'ClusterIP') return { value: true, notes: [] };
  return {
    value: undefined,
    notes: [{ key: ['deploy', 'endpoint_mode'], message: `dnsrr is a headless Service, which can only be ClusterIP; this one is a ${serviceType} (it publishes ports), so it keeps a virtual IP (publish no ports, or make it ClusterIP, for DNS round-robin)` }],
  };
}

// ---------------------------------------------------------------------------------------------
// Workload kind and restart

/** The workload, the pod restart policy and the replica count of a service. */
export interface WorkloadChoice {
  readonly workload: WorkloadKind;
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Replicas (undefined for DaemonSet). */
  readonly replicas?: number;
}

/**
 * Picks the workload as kompose does: a Deployment by default, a DaemonSet for `deploy.mode: global`,
 * a bare Pod when the service must not be restarted after it exits (`restart: "no"`/`on-failure`, or
 * `restart_policy.condition` none/on-failure on a single replica). `controller` forces the kind.
 */
export function mapWorkload(s: { restart?: string; scale?: number; deploy?: ComposeDeploy }, controller?: WorkloadKind): Mapped<WorkloadChoice> {
  const notes: Note[] = [];
  const d = s.deploy ?? {};
  const replicas = d.replicas ?? s.scale ?? 1;
  const condition = d.restart_policy?.condition;
  const swarmNoRestart = condition === 'none' || condition === 'on-failure';
  const plainNoRestart = s.restart === 'no' || (s.restart ?? '').startsWith('on-failure');
  const policy: 'Never' | 'OnFailure' = (condition ?? s.restart ?? '').startsWith('on-failure') ? 'OnFailure' : 'Never';
  const rp = d.restart_policy;
  if (rp?.max_attempts !== undefined) notes.push({ key: ['deploy', 'restart_policy', 'max_attempts'], message: `Kubernetes has no limit on container restarts; max_attempts ${rp.max_attempts} is dropped (the kubelet keeps restarting with back-off)` });
  if (rp?.window !== undefined) notes.push({ key: ['deploy', 'restart_policy', 'window'], message: 'Kubernetes has no restart evaluation window; window is dropped' });
  if (rp?.delay !== undefined && parseDuration(rp.delay) !== 10) notes.push({ key: ['deploy', 'restart_policy', 'delay'], message: `the kubelet restarts with its own back-off (10s, doubling up to 5m); delay ${rp.delay} is dropped` });
  // Values outside Docker's sets (restart, mode, condition) were refused by the loader (values.ts).
  if (/^on-failure:\d+$/.test(s.restart ?? '')) notes.push({ key: ['restart'], message: 'Kubernetes has no restart limit; the ":N" of on-failure is dropped' });

  if (d.mode === 'replicated-job' || d.mode === 'global-job') {
    return { value: { workload: 'Pod', restartPolicy: 'OnFailure' }, notes, errors: [{ key: ['deploy', 'mode'], message: `mode "${d.mode}" runs tasks to completion, which is a Kubernetes Job; WebApp makes long-running workloads only`, fix: 'use mode replicated or global, or write the Job as a Kubernetes manifest next to the converted ones' }] };
  }
  if (controller) {
    if (controller === 'DaemonSet') return { value: { workload: controller }, notes: [...notes, ...(d.replicas !== undefined ? [{ key: ['deploy', 'replicas'], message: `--controller daemonset runs one pod per node; replicas ${d.replicas} is dropped` }] : [])] };
    if ((swarmNoRestart || plainNoRestart) && controller !== 'Pod') notes.push({ key: condition ? ['deploy', 'restart_policy', 'condition'] : ['restart'], message: `a ${controller} always restarts its pods; "${condition ?? s.restart}" (no restart after a clean exit) is not kept` });
    if (controller === 'Pod' && replicas > 1) notes.push({ key: ['deploy', 'replicas'], message: `a bare Pod is one replica; replicas ${replicas} is dropped` });
    return { value: { workload: controller, replicas: controller === 'Pod' ? undefined : replicas, restartPolicy: controller === 'Pod' && (swarmNoRestart || plainNoRestart) ? policy : undefined }, notes };
  }
  if (d.mode === 'global') {
    if (d.replicas !== undefined) notes.push({ key: ['deploy', 'replicas'], message: 'mode global runs one pod per node (a DaemonSet); replicas is dropped' });
    if (swarmNoRestart || plainNoRestart) notes.push({ key: condition ? ['deploy', 'restart_policy', 'condition'] : ['restart'], message: 'a DaemonSet always restarts its pods; the restart condition is not kept' });
    return { value: { workload: 'DaemonSet' }, notes };
  }
  if ((plainNoRestart || swarmNoRestart) && replicas <= 1) return { value: { workload: 'Pod', restartPolicy: policy }, notes };
  // Several replicas that must not restart: Kubernetes controllers always restart, so say so.
  if (plainNoRestart || swarmNoRestart) notes.push({ key: condition ? ['deploy', 'restart_policy', 'condition'] : ['restart'], message: `a Deployment of ${replicas} replicas always restarts its pods; condition "${condition ?? s.restart}" (no restart after a clean exit) is not kept` });
  return { value: { workload: 'Deployment', replicas }, notes };
}

// ---------------------------------------------------------------------------------------------
// deploy.update_config, resources, placement

/** Rolling update settings for WebApp. */
export interface RolloutChoice {
  readonly strategy?: { maxSurge?: number | string; maxUnavailable?: number | string };
  readonly minReadySeconds?: number;
}

/**
 * `update_config` -> rolling update. Swarm replaces `parallelism` tasks at a time, stopping old ones
 * first (`order: stop-first`, maxUnavailable) or starting new ones first (`start-first`, maxSurge);
 * `delay` between batches becomes minReadySeconds (each new pod waits that long before the next
 * batch). `failure_action: pause` is what a Deployment does (it stops progressing); the rest is noted.
 */
export function mapUpdateConfig(uc: ComposeUpdateConfig | undefined, workload: WorkloadKind): Mapped<RolloutChoice> {
  const notes: Note[] = [];
  if (!uc) return { value: {}, notes };
  const k = (x: string): string[] => ['deploy', 'update_config', x];
  if (workload !== 'Deployment' && workload !== 'DaemonSet') {
    return { value: {}, notes: [{ key: ['deploy', 'update_config'], message: `a ${workload} has no rolling update; update_config is dropped` }] };
  }
  const n = uc.parallelism ?? 1;
  const startFirst = uc.order === 'start-first';
  let strategy: RolloutChoice['strategy'];
  if (n === 0) {
    // Swarm's 0 means "all at once".
    strategy = startFirst ? { maxSurge: '100%', maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: '100%' };
  } else if (workload === 'DaemonSet' && startFirst) {
    strategy = { maxSurge: n, maxUnavailable: 0 };
  } else {
    strategy = startFirst ? { maxSurge: n, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: n };
  }
  const delay = parseDuration(uc.delay);
  let minReadySeconds: number | undefined;
  if (delay !== undefined) {
    minReadySeconds = Math.ceil(delay);
    if (minReadySeconds !== delay) notes.push({ key: k('delay'), message: `minReadySeconds is whole seconds; delay ${uc.delay} is rounded up to ${minReadySeconds}s` });
  }
  if (uc.failure_action !== undefined && uc.failure_action !== 'pause') notes.push({ key: k('failure_action'), message: `a Deployment stops (pauses) a failing rollout and never rolls back or continues by itself; failure_action "${uc.failure_action}" is not kept (use "kubectl rollout undo")` });
  if (uc.monitor !== undefined) notes.push({ key: k('monitor'), message: 'Kubernetes judges a new pod by its readiness probe, not a monitor period; monitor is dropped (minReadySeconds comes from delay)' });
  if (uc.max_failure_ratio !== undefined) notes.push({ key: k('max_failure_ratio'), message: 'Kubernetes has no failure ratio for rollouts; max_failure_ratio is dropped' });
  return { value: { strategy, minReadySeconds }, notes };
}

/** `deploy.resources` (and v2 `mem_limit`/`cpus`) -> requests and limits; `false` when none are given. */
export function mapResources(d: ComposeDeploy['resources'] | undefined, v2: { mem_limit?: string | number; mem_reservation?: string | number; cpus?: string | number } = {}): Mapped<WebAppResources | false> {
  const notes: Note[] = [];
  const errors: Note[] = [];
  // Docker reads 0 as "unset" (no limit, no reservation); a Kubernetes quantity of 0 would be a real value.
  const unset = (key: (string | number)[]) => notes.push({ key, message: `0 means "${key.includes('reservations') || key[0] === 'mem_reservation' ? 'no reservation' : 'no limit'}" in Docker, so none is set` });
  const mem = (v: string | number | undefined, key: (string | number)[]): string | undefined => {
    if (v === undefined) return undefined;
    const b = parseBytes(v);
    if (b === undefined) { errors.push({ key, message: `"${v}" is not a size like 512M or 1g`, fix: 'write a number with a unit b, k, m or g, like 512M' }); return undefined; }
    if (b === 0) { unset(key); return undefined; }
    return memoryQuantity(b);
  };
  const cpu = (v: string | number | undefined, key: (string | number)[]): string | undefined => {
    if (v === undefined) return undefined;
    if (String(v).trim() !== '' && Number(v) === 0) { unset(key); return undefined; }
    const q = cpuQuantity(v);
    if (q === undefined) errors.push({ key, message: `"${v}" is not a number of CPUs like 0.5`, fix: 'write a positive number of CPUs, like 0.5 or 2' });
    return q;
  };
  const cpuLimit = cpu(d?.limits?.cpus, ['deploy', 'resources', 'limits', 'cpus']) ?? cpu(v2.cpus, ['cpus']);
  const cpuRequest = cpu(d?.reservations?.cpus, ['deploy', 'resources', 'reservations', 'cpus']);
  const memLimit = mem(d?.limits?.memory, ['deploy', 'resources', 'limits', 'memory']) ?? mem(v2.mem_limit, ['mem_limit']);
  const memRequest = mem(d?.reservations?.memory, ['deploy', 'resources', 'reservations', 'memory']) ?? mem(v2.mem_reservation, ['mem_reservation']);
  if (d?.limits?.pids !== undefined) notes.push({ key: ['deploy', 'resources', 'limits', 'pids'], message: 'a container has no pids limit in Kubernetes (it is a kubelet setting); pids is dropped' });
  if (d?.reservations?.devices !== undefined) notes.push({ key: ['deploy', 'resources', 'reservations', 'devices'], message: 'device reservations (GPUs) need a device plugin resource name; devices is dropped' });
  if (d?.reservations?.generic_resources !== undefined) notes.push({ key: ['deploy', 'resources', 'reservations', 'generic_resources'], message: 'generic resources need an extended resource name; generic_resources is dropped' });
  if (!cpuLimit && !cpuRequest && !memLimit && !memRequest) return { value: false, notes, errors };
  const res: WebAppResources = {
    cpu: cpuLimit || cpuRequest ? { request: cpuRequest, limit: cpuLimit } : undefined,
    memory: memLimit || memRequest ? { request: memRequest, limit: memLimit } : undefined,
  };
  return { value: res, notes, errors };
}

/** The label a Kubernetes control-plane node carries (Swarm managers are the closest thing). */
export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** What lets a pod run on a control-plane node: they are tainted NoSchedule. */
export const CONTROL_PLANE_TOLERATION: k8s.Toleration = { key: CONTROL_PLANE_LABEL, operator: 'Exists', effect: 'NoSchedule' };

/**
 * One placement constraint -> a node selector requirement. `node.hostname` -> kubernetes.io/hostname,
 * `node.labels.X` -> X, `node.platform.os/arch` -> kubernetes.io/os/arch, `node.role` -> the
 * control-plane label (Exists / DoesNotExist), with the toleration of the control-plane taint when
 * the pods must run there.
 */
export function mapConstraint(text: string): { requirement?: k8s.NodeSelectorRequirement; toleration?: k8s.Toleration; note?: string; error?: string; fix?: string } {
  const m = /^\s*([^=!\s]+)\s*(==|!=)\s*(.+?)\s*$/.exec(text);
  if (!m) return { error: `"${text}" is not "<attribute> == <value>" or "<attribute> != <value>"`, fix: 'compare with == or != (Swarm has no "=" or other operators), like "node.role == manager" or "node.labels.zone != eu-1"' };
  const [, attr, op, value] = m;
  const eq = op === '==';
  const inOrNot = (key: string, v: string): k8s.NodeSelectorRequirement => ({ key, operator: eq ? 'In' : 'NotIn', values: [v] });
  if (attr === 'node.hostname') return { requirement: inOrNot('kubernetes.io/hostname', value) };
  if (attr.startsWith('node.labels.') && attr.length > 'node.labels.'.length) return { requirement: inOrNot(attr.slice('node.labels.'.length), value) };
  if (attr.startsWith('engine.labels.') && attr.length > 'engine.labels.'.length) {
    const label = attr.slice('engine.labels.'.length);
    return { requirement: inOrNot(label, value), note: `engine labels are set on each Docker daemon; Kubernetes has node labels only, so the nodes need the label "${label}" (kubectl label node <node> ${label}=${value})` };
  }
  if (attr === 'node.platform.os') return { requirement: inOrNot('kubernetes.io/os', value) };
  if (attr === 'node.platform.arch') {
    const arch = ({ x86_64: 'amd64', aarch64: 'arm64' } as Record<string, string>)[value] ?? value;
    return { requirement: inOrNot('kubernetes.io/arch', arch), note: arch !== value ? `architecture ${value} is called ${arch} in Kubernetes` : undefined };
  }
  if (attr === 'node.role') {
    if (value !== 'manager' && value !== 'worker') return { error: `node.role is "manager" or "worker", not "${value}"`, fix: 'write "node.role == manager" or "node.role == worker"' };
    const onManager = (value === 'manager') === eq;
    return {
      requirement: { key: CONTROL_PLANE_LABEL, operator: onManager ? 'Exists' : 'DoesNotExist' },
      toleration: onManager ? { ...CONTROL_PLANE_TOLERATION } : undefined,
      note: onManager
        // Still a warning: a managed cluster (GKE, EKS, AKS) has no control-plane node to run on.
        ? `Kubernetes has no Swarm managers; "${text}" becomes the control-plane nodes ("${CONTROL_PLANE_LABEL} Exists" plus a toleration of their NoSchedule taint); managed clusters (GKE, EKS, AKS) have none to schedule on, so there label a node and use node.labels instead`
        : `Kubernetes has no Swarm roles; "${text}" becomes "${CONTROL_PLANE_LABEL} DoesNotExist" (any non-control-plane node)`,
    };
  }
  return { error: `"${attr}" has no Kubernetes node label (supported: node.hostname, node.role, node.labels.<name>, engine.labels.<name>, node.platform.os, node.platform.arch)`, fix: `label the nodes and constrain on node.labels.<name> instead of ${attr}` };
}

/**
 * `placement.constraints` -> one required node affinity term (all must hold, as in Swarm), and the
 * tolerations that let the pods onto the nodes it selects.
 */
export function mapConstraints(constraints: readonly string[] | undefined): Mapped<k8s.Affinity | undefined> & { readonly tolerations?: k8s.Toleration[] } {
  const notes: Note[] = [];
  const errors: Note[] = [];
  const reqs: k8s.NodeSelectorRequirement[] = [];
  const tolerations: k8s.Toleration[] = [];
  (constraints ?? []).forEach((c, i) => {
    const r = mapConstraint(c);
    const key = ['deploy', 'placement', 'constraints', i];
    if (r.error) errors.push({ key, message: r.error, fix: r.fix });
    if (r.note) notes.push({ key, message: r.note });
    if (r.requirement) reqs.push(r.requirement);
    if (r.toleration && !tolerations.some((t) => t.key === r.toleration!.key)) tolerations.push(r.toleration);
  });
  if (!reqs.length) return { value: undefined, notes, errors };
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: reqs }] } } };
  return { value: affinity, notes, errors, ...(tolerations.length ? { tolerations } : {}) };
}

/** `placement.preferences: [{spread: node.labels.zone}]` -> soft topology spread over that label. */
export function mapPreferences(
  prefs: ReadonlyArray<{ readonly spread?: string }> | undefined,
  selector: Record<string, string>,
): Mapped<k8s.TopologySpreadConstraint[] | undefined> {
  const notes: Note[] = [];
  const errors: Note[] = [];
  const out: k8s.TopologySpreadConstraint[] = [];
  (prefs ?? []).forEach((p, i) => {
    const spread = p.spread;
    const key = ['deploy', 'placement', 'preferences', i];
    if (!spread) { errors.push({ key, message: 'a preference needs "spread: node.labels.<name>"', fix: 'write the preference like "spread: node.labels.zone"' }); return; }
    const label = spread.startsWith('node.labels.') ? spread.slice('node.labels.'.length) : spread === 'node.hostname' ? 'kubernetes.io/hostname' : undefined;
    if (!label) { errors.push({ key, message: `spread "${spread}" is not node.labels.<name> or node.hostname`, fix: 'spread over a node label, like "spread: node.labels.zone"' }); return; }
    out.push({ maxSkew: 1, topologyKey: label, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...selector } } });
  });
  return { value: out.length ? out : undefined, notes, errors };
}



/**
 * `deploy.labels` -> labels; pairs Kubernetes does not accept as labels go to annotations instead.
 * A label of the selector (`app`) cannot be set: the workload's selector value wins, with a warning.
 */
export function mapDeployLabels(
  labels: Record<string, string> | undefined,
  selector: Record<string, string> = {},
): Mapped<{ labels?: Record<string, string>; annotations?: Record<string, string> }> {
  const notes: Note[] = [];
  const good: Record<string, string> = {};
  const bad: Record<string, string> = {};
  for (const k of Object.keys(labels ?? {}).sort()) {
    const v = String(labels![k] ?? '');
    if (k in selector) {
      if (v !== selector[k]) notes.push({ key: ['deploy', 'labels', k], message: `"${k}" is the label that selects this service's pods, so it stays "${selector[k]}"; the value "${v}" is dropped (rename the label, like "${k === 'app' ? 'app.kubernetes.io/part-of' : `${k}-name`}: ${v}")` });
      continue;
    }
    if (isValidLabel(k, v)) good[k] = v;
    else { bad[k] = v; notes.push({ key: ['deploy', 'labels', k], message: `"${k}: ${v}" is not a valid Kubernetes label (name/value syntax or length); it becomes a pod annotation` }); }
  }
  return { value: { labels: Object.keys(good).length ? good : undefined, annotations: Object.keys(bad).length ? bad : undefined }, notes };
}

/**
 * `dockyard status --docker`: what a project runs, per workload, and where it drifted from what
 * `deploy` made. The engine calls (`readStatus`) are thin: a label-filtered list, one inspect per
 * container and one stats sample per running container. Everything else is pure and works on
 * Engine-API-shaped data, so tests feed it recorded inspect/stats documents.
 *
 * Desired replicas come from the manifests when given (the plan), else from the labels deploy wrote:
 * the highest `dev.dockyard.replica` seen. Labels cannot be changed on an existing container and
 * scaling does not recreate the kept replicas, so a "desired count" label would go stale; without
 * manifests a removed highest replica is therefore invisible (a gap below it is not).
 */
import { Change, computeChanges, ActualContainer, ActualState, specDifferences, InspectedSpec } from './changes';
import type { ProblemDetail } from '../../core/errors';
import type { Engine } from './engine';
import { ContainerPlan, DockerPlan, LABELS } from './plan';

/** The parts of an Engine API container inspect (`GET /containers/{id}/json`) that status reads. */
export interface InspectData extends InspectedSpec {
  readonly Id: string;
  readonly Name: string;
  readonly RestartCount?: number;
  readonly State: {
    readonly Status: string;
    readonly Running?: boolean;
    readonly Paused?: boolean;
    readonly Restarting?: boolean;
    readonly ExitCode?: number;
    readonly StartedAt?: string;
    readonly Health?: { readonly Status?: string } | null;
  };
  readonly Config: InspectedSpec['Config'] & { readonly Labels?: Record<string, string> | null };
  readonly HostConfig: InspectedSpec['HostConfig'] & { readonly RestartPolicy?: { readonly Name?: string } | null };
  readonly NetworkSettings?: { readonly Ports?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null } | null;
}

interface CpuSample {
  readonly cpu_usage?: { readonly total_usage?: number; readonly percpu_usage?: number[] | null };
  readonly system_cpu_usage?: number;
  readonly online_cpus?: number;
}

/** The parts of an Engine API stats sample (`GET /containers/{id}/stats?stream=false`) that status reads. */
export interface StatsData {
  readonly cpu_stats?: CpuSample;
  readonly precpu_stats?: CpuSample;
  readonly memory_stats?: { readonly usage?: number; readonly limit?: number; readonly stats?: Record<string, number> | null };
}

/** Health of a container or workload: Docker's healthcheck status, `none` without a healthcheck (or when nothing runs). */
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

/** One owned container as status sees it (JSON-friendly). */
export interface ContainerState {
  /** Container name. */
  readonly name: string;
  /** Engine id. */
  readonly id: string;
  /** `Kind/namespace/name` (`?` when the label is missing). */
  readonly object: string;
  /** Pod instance (the pod's main container name). */
  readonly pod: string;
  /** The name deploy gave it (differs from `name` for a killed deploy's `.next` container, or one renamed by hand). */
  readonly logicalName: string;
  /** Spec hash label ('' when missing). */
  readonly hash: string;
  /** `workload` or `proxy`. */
  readonly role: string;
  /** 1-based replica index from the labels (0 when missing). */
  readonly replica: number;
  /** Image reference. */
  readonly image: string;
  /** Docker state: running, exited, created, paused, restarting, dead, removing. */
  readonly state: string;
  /** Exit code of the last run (meaningful when not running). */
  readonly exitCode: number;
  /** Healthcheck status while running; `none` otherwise. */
  readonly health: Health;
  /** Restarts by the engine's restart policy (`RestartCount`). */
  readonly restarts: number;
  /** Published ports, `ip:hostPort->containerPort/proto`, sorted. */
  readonly ports: string[];
  /** Docker restart policy name. */
  readonly restartPolicy: string;
  /** CPU use in % of one CPU, as `docker stats` shows it; undefined when not sampled. */
  readonly cpuPercent?: number;
  /** The CPU limit in % of one CPU; undefined = no limit. */
  readonly cpuLimitPercent?: number;
  /** Memory in use without the inactive page cache, bytes; undefined when not sampled. */
  readonly memoryBytes?: number;
  /** The container's memory limit, bytes; undefined = no limit. */
  readonly memoryLimitBytes?: number;
  /** The memory the engine would let it use when it has no limit (the host's), bytes. */
  readonly memoryHostBytes?: number;
}

/** One way the engine differs from what deploy made: a problem with the object and engine name it is about. */
export interface DriftItem extends ProblemDetail {
  /**
   * `missing` (removed by hand), `stopped` (stopped by hand), `changed` (differs from the manifests),
   * `extra` (not in the model), `interrupted` (a killed deploy's leftovers), `paused`.
   */
  readonly kind: 'missing' | 'stopped' | 'changed' | 'extra' | 'interrupted' | 'paused';
  /** `Kind/namespace/name`, or what the engine object stands for. */
  readonly object: string;
  /** Container, network or volume name. */
  readonly name: string;
  /** What differs, in words. */
  readonly message: string;
  /** The command that repairs it. */
  readonly fix: string;
}

/** One row of the table: a workload (or the relay of a published Service). */
export interface WorkloadRow {
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** `workload` or `proxy`. */
  readonly role: string;
  /** Pods wanted: from the manifests when given, else the highest replica index in the labels. */
  readonly desired: number;
  /** Where `desired` came from. */
  readonly desiredFrom: 'manifests' | 'labels';
  /** Pods whose containers all run. */
  readonly running: number;
  /** Worst health of its running containers. */
  readonly health: Health;
  /** Sum of RestartCount. */
  readonly restarts: number;
  /** Published ports, sorted. */
  readonly ports: string[];
  /** Sum over running containers, % of one CPU; undefined when none was sampled. */
  readonly cpuPercent?: number;
  /** Sum of CPU limits, % of one CPU; undefined when a running container has none. */
  readonly cpuLimitPercent?: number;
  /** Sum of memory in use, bytes; undefined when none was sampled. */
  readonly memoryBytes?: number;
  /** Sum of memory limits, bytes; undefined when a running container has none. */
  readonly memoryLimitBytes?: number;
  /** Drift items about this object. */
  readonly drift: number;
}

/** Everything one refresh shows. */
export interface StatusReport {
  /** Project. */
  readonly project: string;
  /** When it was read (ISO). */
  readonly time: string;
  /** True when desired counts and drift were computed against manifests. */
  readonly comparedWithManifests: boolean;
  /** Rows, workloads first then relays, each sorted by object. */
  readonly workloads: WorkloadRow[];
  /** Owned containers, sorted by name. */
  readonly containers: ContainerState[];
  /** Drift, sorted by object then name. */
  readonly drift: DriftItem[];
}

const TOTAL = (s?: CpuSample) => s?.cpu_usage?.total_usage ?? 0;

/**
 * CPU use in % of one CPU between the two samples of a stats document, the way `docker stats`
 * computes it: (container CPU time delta / host CPU time delta) x online CPUs x 100. Undefined when
 * there is no previous sample (a stopped container, or `one-shot` stats).
 */
export function cpuPercent(stats: StatsData | undefined): number | undefined {
  const cur = stats?.cpu_stats;
  const pre = stats?.precpu_stats;
  if (!cur || !pre || !pre.system_cpu_usage || !cur.system_cpu_usage) return undefined;
  const cpuDelta = TOTAL(cur) - TOTAL(pre);
  const systemDelta = cur.system_cpu_usage - pre.system_cpu_usage;
  const cpus = cur.online_cpus || cur.cpu_usage?.percpu_usage?.length || 1;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * cpus * 100;
}

/**
 * Memory in use, bytes, as `docker stats` shows it: usage minus the inactive page cache (cgroup v1
 * `total_inactive_file`, v2 `inactive_file`; older engines' `cache` otherwise). Undefined when not sampled.
 */
export function memoryUsage(stats: StatsData | undefined): number | undefined {
  const m = stats?.memory_stats;
  if (!m || typeof m.usage !== 'number') return undefined;
  const s = m.stats ?? {};
  const cache = s.total_inactive_file ?? s.inactive_file ?? s.cache ?? 0;
  return cache < m.usage ? m.usage - cache : m.usage;
}

/** Published ports from inspect (`NetworkSettings.Ports`), as `ip:hostPort->containerPort/proto`, sorted. */
export function publishedPorts(ports: NonNullable<InspectData['NetworkSettings']>['Ports']): string[] {
  const out = new Set<string>();
  for (const [key, list] of Object.entries(ports ?? {})) for (const b of list ?? []) if (b.HostPort) out.add(`${b.HostIp || '0.0.0.0'}:${b.HostPort}->${key}`);
  return [...out].sort();
}

/** One container's state from its inspect document and (for running containers) a stats sample. Pure. */
export function containerState(info: InspectData, stats?: StatsData): ContainerState {
  const labels = info.Config.Labels ?? {};
  const name = info.Name.replace(/^\//, '');
  const st = info.State;
  const running = st.Status === 'running';
  const h = st.Health?.Status;
  // A stopped container keeps its last health status ("unhealthy" after a stop); only a running one has a meaningful one.
  const health: Health = running && (h === 'healthy' || h === 'unhealthy' || h === 'starting') ? h : 'none';
  const memLimit = info.HostConfig.Memory || undefined;
  const sampled = running ? stats : undefined;
  return {
    name,
    id: info.Id,
    object: labels[LABELS.object] ?? '?',
    pod: labels[LABELS.pod] ?? labels[LABELS.name] ?? name,
    logicalName: labels[LABELS.name] ?? name,
    hash: labels[LABELS.hash] ?? '',
    role: labels[LABELS.role] ?? 'workload',
    replica: Number(labels[LABELS.replica]) || 0,
    image: info.Config.Image ?? '',
    state: st.Status,
    exitCode: st.ExitCode ?? 0,
    health,
    restarts: info.RestartCount ?? 0,
    ports: publishedPorts(info.NetworkSettings?.Ports),
    restartPolicy: info.HostConfig.RestartPolicy?.Name || 'no',
    cpuPercent: cpuPercent(sampled),
    cpuLimitPercent: info.HostConfig.NanoCpus ? info.HostConfig.NanoCpus / 1e7 : undefined,
    memoryBytes: memoryUsage(sampled),
    memoryLimitBytes: memLimit,
    memoryHostBytes: memLimit === undefined ? sampled?.memory_stats?.limit : undefined,
  };
}

/** Options of `buildReport`. */
export interface ReportOptions {
  /** The plan of the manifests given on the command line. @default none (desired counts and drift from labels) */
  readonly plan?: DockerPlan;
  /** Owned networks and volumes (for drift against the plan). @default none */
  readonly actual?: Pick<ActualState, 'networks' | 'volumes'>;
  /** Inspect documents by container name, for the details of a changed container. @default none */
  readonly inspected?: ReadonlyMap<string, InspectData>;
  /** The deploy command that repairs drift. @default `dockyard deploy --docker --project <project> <manifests>` */
  readonly repair?: string;
  /** Time of the reading. @default now */
  readonly time?: Date;
}

/** The worst of several health values: unhealthy > starting > healthy > none. */
export function worstHealth(list: readonly Health[]): Health {
  for (const h of ['unhealthy', 'starting', 'healthy'] as const) if (list.includes(h)) return h;
  return 'none';
}

const byString = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Pods grouped by object: object -> pod name -> containers. */
function podsByObject(containers: readonly ContainerState[]): Map<string, Map<string, ContainerState[]>> {
  const out = new Map<string, Map<string, ContainerState[]>>();
  for (const c of containers) {
    if (!out.has(c.object)) out.set(c.object, new Map());
    const pods = out.get(c.object)!;
    if (!pods.has(c.pod)) pods.set(c.pod, []);
    pods.get(c.pod)!.push(c);
  }
  return out;
}

const sum = (xs: Array<number | undefined>, allOrNothing: boolean): number | undefined => {
  const known = xs.filter((x): x is number => x !== undefined);
  if (known.length === 0 || (allOrNothing && known.length < xs.length)) return undefined;
  return known.reduce((a, b) => a + b, 0);
};

/** One row per workload (and relay): desired vs running pods, health, restarts, ports, CPU and memory. Pure. */
export function workloadRows(containers: readonly ContainerState[], plan?: DockerPlan, drift: readonly DriftItem[] = []): WorkloadRow[] {
  const pods = podsByObject(containers);
  const planned = new Map<string, { role: string; pods: Set<string> }>();
  for (const c of plan?.containers ?? []) {
    if (!planned.has(c.object)) planned.set(c.object, { role: c.role, pods: new Set() });
    planned.get(c.object)!.pods.add(c.pod);
  }
  const objects = new Set([...pods.keys(), ...planned.keys()]);
  const rows: WorkloadRow[] = [];
  for (const object of objects) {
    const mine = pods.get(object) ?? new Map<string, ContainerState[]>();
    const all = [...mine.values()].flat();
    const run = all.filter((c) => c.state === 'running');
    const p = planned.get(object);
    rows.push({
      object,
      role: p?.role ?? all[0]?.role ?? 'workload',
      desired: p ? p.pods.size : plan ? 0 : Math.max(0, ...all.map((c) => c.replica)),
      desiredFrom: plan ? 'manifests' : 'labels',
      running: [...mine.values()].filter((list) => list.every((c) => c.state === 'running')).length,
      health: worstHealth(run.map((c) => c.health)),
      restarts: all.reduce((a, c) => a + c.restarts, 0),
      ports: [...new Set(all.flatMap((c) => c.ports))].sort(),
      cpuPercent: sum(run.map((c) => c.cpuPercent), false),
      cpuLimitPercent: sum(run.map((c) => c.cpuLimitPercent), true),
      memoryBytes: sum(run.map((c) => c.memoryBytes), false),
      memoryLimitBytes: sum(run.map((c) => c.memoryLimitBytes), true),
      drift: drift.filter((d) => d.object === object).length,
    });
  }
  const roleOrder = (r: WorkloadRow) => (r.role === 'proxy' ? 1 : 0);
  return rows.sort((a, b) => roleOrder(a) - roleOrder(b) || byString<WorkloadRow>((r) => r.object)(a, b));
}

const RESTARTING_POLICIES = new Set(['always', 'unless-stopped']);

/** `<project>-web-2` -> `<project>-web-3` (the replica index is the last `-<n>` of a pod name). */
function siblingPod(pod: string, replica: number): string {
  return pod.replace(/-\d+$/, `-${replica}`);
}

/**
 * Drift seen from the labels alone (no manifests): stopped or paused containers the engine should
 * keep running, leftovers of a killed deploy, and gaps in a workload's replica numbers. Pure.
 */
export function driftFromLabels(containers: readonly ContainerState[], repair: string): DriftItem[] {
  const out: DriftItem[] = [];
  for (const c of containers) {
    if (c.object === '?') out.push({ kind: 'extra', object: c.object, name: c.name, message: 'carries the project label but no object label (not made by deploy)', fix: `docker rm -f ${c.name}` });
    else if (c.name !== c.logicalName) out.push({ kind: 'interrupted', object: c.object, name: c.name, message: `is named "${c.name}" but deploy named it "${c.logicalName}" (an interrupted deploy, or renamed by hand)`, fix: repair });
    else if (c.state === 'created') out.push({ kind: 'interrupted', object: c.object, name: c.name, message: 'was created but never started (an interrupted deploy)', fix: repair });
    else if (c.state === 'paused') out.push({ kind: 'paused', object: c.object, name: c.name, message: 'is paused', fix: `docker unpause ${c.name}` });
    else if ((c.state === 'exited' || c.state === 'dead') && RESTARTING_POLICIES.has(c.restartPolicy)) {
      out.push({ kind: 'stopped', object: c.object, name: c.name, message: `is stopped (${c.state}, exit code ${c.exitCode}) although its restart policy is "${c.restartPolicy}": stopped by hand`, fix: repair });
    }
  }
  for (const [object, pods] of podsByObject(containers.filter((c) => c.object !== '?' && c.role !== 'proxy'))) {
    const replicas = new Set([...pods.values()].map((list) => list[0].replica));
    const highest = Math.max(0, ...replicas);
    const example = [...pods.keys()][0];
    for (let i = 1; i < highest; i++) {
      if (!replicas.has(i)) out.push({ kind: 'missing', object, name: siblingPod(example, i), message: `replica ${i} of ${highest} is missing: removed by hand`, fix: repair });
    }
  }
  return out.sort(byString<DriftItem>((d) => `${d.object}\0${d.name}`));
}

/**
 * Drift against the manifests: the changes `deploy` would make (computeChanges), each explained. A
 * container whose spec hash differs from the plan says what differs (image, env names, ports, ...,
 * never env values). Pure.
 */
export function driftFromPlan(plan: DockerPlan, containers: readonly ContainerState[], networksAndVolumes: Pick<ActualState, 'networks' | 'volumes'>, inspected: ReadonlyMap<string, InspectData>, repair: string): DriftItem[] {
  const actual: ActualState = { containers: containers.map(toActual), networks: networksAndVolumes.networks, volumes: networksAndVolumes.volumes };
  const out: DriftItem[] = [];
  for (const ch of computeChanges(plan, actual)) out.push(...explainChange(ch, containers, inspected, repair));
  return out.sort(byString<DriftItem>((d) => `${d.object}\0${d.name}`));
}

/** Back to what computeChanges reads: the labels it uses are kept in ContainerState. */
function toActual(c: ContainerState): ActualContainer {
  const labels: Record<string, string> = { [LABELS.pod]: c.pod, [LABELS.name]: c.logicalName, [LABELS.hash]: c.hash, [LABELS.role]: c.role };
  if (c.object !== '?') labels[LABELS.object] = c.object;
  return { id: c.id, name: c.name, labels, state: c.state };
}

function explainChange(ch: Change, containers: readonly ContainerState[], inspected: ReadonlyMap<string, InspectData>, repair: string): DriftItem[] {
  const item = (kind: DriftItem['kind'], name: string, message: string, fix = repair): DriftItem => ({ kind, object: ch.object, name, message, fix });
  if (ch.kind !== 'pod') {
    return [ch.action === 'create'
      ? item('missing', ch.name, `${ch.kind} ${ch.name} is missing: removed by hand`)
      : item('extra', ch.name, `${ch.kind} ${ch.name} is not in the manifests`)];
  }
  if (ch.action === 'create') return [item('missing', ch.name, 'is missing: removed by hand, or not deployed yet')];
  if (ch.action === 'remove') return [item('extra', ch.name, `is not in the manifests (${ch.existing?.length ?? 1} container(s))`)];
  if (ch.action === 'start') {
    const stopped = containers.filter((c) => c.pod === ch.name && c.state !== 'running');
    return stopped.map((c) => (c.state === 'paused'
      ? item('paused', c.name, 'is paused', `docker unpause ${c.name}`)
      : item('stopped', c.name, `is stopped (${c.state}, exit code ${c.exitCode}) although its restart policy is "${c.restartPolicy}": stopped by hand`)));
  }
  // replace
  const reason = ch.reason ?? 'differs from the manifests';
  if (reason === 'spec changed') {
    const changed = (ch.containers ?? []).filter((p) => containers.find((c) => c.name === p.name)?.hash !== p.hash);
    return changed.map((p: ContainerPlan) => {
      const info = inspected.get(p.name);
      const what = info ? specDifferences(p, info).join('; ') : 'spec';
      return item('changed', p.name, `differs from the manifests: ${what}`);
    });
  }
  if (/is missing/.test(reason)) return [item('missing', ch.name, `${reason}: removed by hand`)];
  if (/interrupted/.test(reason)) return [item('interrupted', ch.name, reason)];
  return [item('changed', ch.name, reason)];
}

/** The whole report from container states (and the plan when manifests were given). Pure. */
export function buildReport(project: string, containers: readonly ContainerState[], opts: ReportOptions = {}): StatusReport {
  const repair = opts.repair ?? `dockyard deploy --docker --project ${project} <manifests>`;
  const sorted = [...containers].sort(byString<ContainerState>((c) => c.name));
  const drift = opts.plan
    ? driftFromPlan(
      opts.plan,
      sorted,
      opts.actual ?? { networks: opts.plan.networks.map((n) => n.name), volumes: opts.plan.volumes.map((v) => v.name) },
      opts.inspected ?? new Map(),
      repair,
    )
    : driftFromLabels(sorted, repair);
  return {
    project,
    time: (opts.time ?? new Date()).toISOString(),
    comparedWithManifests: !!opts.plan,
    workloads: workloadRows(sorted, opts.plan, drift),
    containers: sorted,
    drift,
  };
}

/**
 * A one-shot stats sample measured against the previous refresh's sample of the same container, so a
 * watch shows the CPU used over its whole interval. Pure; without a usable previous sample, unchanged.
 */
export function againstPrevious(current: StatsData, previous: StatsData | undefined): StatsData {
  const pre = previous?.cpu_stats;
  const cur = current.cpu_stats;
  if (!pre?.system_cpu_usage || !cur?.system_cpu_usage || pre.system_cpu_usage >= cur.system_cpu_usage) return current;
  return { ...current, precpu_stats: pre };
}

/** Options of `readStatus`. */
export interface ReadOptions {
  /** Sample CPU and memory (`stats`). @default true */
  readonly stats?: boolean;
  /**
   * Raw samples of the previous refresh by container id (`StatusReading.samples`). Containers found
   * there get a one-shot sample (0-1 s: the engine publishes stats once a second) measured against
   * it; the others a two-sample one (1-2 s). @default none
   */
  readonly previous?: ReadonlyMap<string, StatsData>;
  /** Engine requests in flight at once. @default 8 */
  readonly concurrency?: number;
}

/** What the engine holds for a project, read for status. */
export interface StatusReading {
  /** Owned containers, inspected (and sampled when running). */
  readonly containers: ContainerState[];
  /** Inspect documents by container name. */
  readonly inspected: Map<string, InspectData>;
  /** Owned networks and volumes. */
  readonly actual: ActualState;
  /** Raw stats samples by container id, for the next refresh's `previous`. */
  readonly samples: Map<string, StatsData>;
}

/** Reads a project's containers from the engine: list by label, inspect each, sample stats of running ones. */
export async function readStatus(engine: Engine, project: string, opts: ReadOptions = {}): Promise<StatusReading> {
  const { readActual } = await import('./engine');
  const actual = await readActual(engine, project);
  const inspected = new Map<string, InspectData>();
  const containers: ContainerState[] = [];
  const samples = new Map<string, StatsData>();
  await eachLimited(actual.containers, opts.concurrency ?? 8, async (a) => {
    const id = encodeURIComponent(a.id);
    // Removed between the list and now: it simply is not there any more.
    const info = await engine.get<InspectData>(`/containers/${id}/json`).catch((e: any) => { if (e?.statusCode === 404) return undefined; throw e; });
    if (!info) return;
    let stats: StatsData | undefined;
    if (opts.stats !== false && info.State.Status === 'running') {
      const previous = opts.previous?.get(a.id);
      stats = await engine.get<StatsData>(`/containers/${id}/stats?stream=false${previous ? '&one-shot=true' : ''}`).catch(() => undefined);
      if (stats) { samples.set(a.id, stats); stats = againstPrevious(stats, previous); }
    }
    inspected.set(info.Name.replace(/^\//, ''), info);
    containers.push(containerState(info, stats));
  });
  return { containers: containers.sort(byString<ContainerState>((c) => c.name)), inspected, actual, samples };
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => { while (next < items.length) await fn(items[next++]); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Engine API documents for the status unit tests. STATS_RUNNING and the inspect shape were recorded
 * from Debian's docker.io 20.10 (API 1.41, cgroup v1) on the test machine: a busybox busy loop with
 * `--cpus 0.25 -m 32m` (so its CPU is throttled to about 25 %), trimmed to the fields status reads
 * plus a few neighbours. The cgroup v2 and old-engine samples are written by hand in the shapes
 * those engines document.
 */
import { type ContainerPlan, LABELS } from '../../../lib/targets/docker/plan';
import type { InspectData, StatsData } from '../../../lib/targets/docker/status';

/** `GET /containers/{id}/stats?stream=false` of the throttled busy loop (recorded). CPU: 25.48 %. */
export const STATS_RUNNING: StatsData = {
  cpu_stats: {
    cpu_usage: { total_usage: 1041558040, percpu_usage: [12855211, 1028702829] },
    system_cpu_usage: 7419030000000,
    online_cpus: 2,
  },
  precpu_stats: {
    cpu_usage: { total_usage: 790586237, percpu_usage: [9712407, 780873830] },
    system_cpu_usage: 7417060000000,
    online_cpus: 2,
  },
  memory_stats: {
    usage: 380928,
    stats: { active_anon: 4096, cache: 0, inactive_file: 0, rss: 61440, total_cache: 0, total_inactive_file: 0, total_rss: 61440, hierarchical_memory_limit: 33554432 },
    limit: 33554432,
  },
};

/** Stats of a stopped container (recorded): zeros, no system usage, no previous sample. */
export const STATS_STOPPED: StatsData = {
  cpu_stats: { cpu_usage: { total_usage: 0 } },
  precpu_stats: { cpu_usage: { total_usage: 0 } },
  memory_stats: {},
};

/** cgroup v2 shape: no `total_*` keys, `inactive_file` is the cache; no online_cpus (older engines). */
export const STATS_CGROUP2: StatsData = {
  cpu_stats: { cpu_usage: { total_usage: 3_000_000_000, percpu_usage: [1, 2, 3, 4] }, system_cpu_usage: 2_040_000_000_000 },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 2_000_000_000_000 },
  memory_stats: { usage: 10 * 2 ** 20, stats: { anon: 6 * 2 ** 20, file: 4 * 2 ** 20, inactive_file: 2 * 2 ** 20 }, limit: 25_275_000_000 },
};

/** What one owned container looks like, for `inspect()`. */
export interface FakeContainer {
  name: string;
  labels: Record<string, string>;
  state?: 'running' | 'exited' | 'created' | 'paused' | 'restarting' | 'dead';
  exitCode?: number;
  health?: 'healthy' | 'unhealthy' | 'starting';
  restarts?: number;
  memory?: number;
  nanoCpus?: number;
  restartPolicy?: string;
  ports?: Record<string, Array<{ HostIp: string; HostPort: string }>>;
  image?: string;
  env?: string[];
  entrypoint?: string[];
  cmd?: string[];
}

/** An inspect document in the shape the engine returns (the recorded one, with the parts a test varies). */
export function inspect(c: FakeContainer): InspectData {
  const state = c.state ?? 'running';
  return {
    Id: `id-${c.name}`,
    Name: `/${c.name}`,
    RestartCount: c.restarts ?? 0,
    State: {
      Status: state,
      Running: state === 'running',
      Paused: state === 'paused',
      Restarting: state === 'restarting',
      ExitCode: c.exitCode ?? (state === 'exited' ? 137 : 0),
      StartedAt: '2026-11-22T01:46:22.226425062Z',
      // Recorded: a stopped container keeps its last health status.
      ...(c.health ? { Health: { Status: c.health } } : {}),
    },
    Config: { Image: c.image ?? 'dockyard-test/busybox:1', Env: c.env ?? [], Entrypoint: c.entrypoint ?? null, Cmd: c.cmd ?? null, Labels: c.labels },
    HostConfig: { Memory: c.memory ?? 0, NanoCpus: c.nanoCpus ?? 0, RestartPolicy: { Name: c.restartPolicy ?? 'always' }, PortBindings: {} },
    NetworkSettings: { Ports: state === 'running' ? c.ports ?? {} : {} },
  };
}

/** Inspect document of a planned container as deploy created it (same labels, image, env, ports, limits). */
export function inspectPlanned(p: ContainerPlan, over: Partial<FakeContainer> = {}): InspectData {
  const ports: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const b of p.ports) (ports[`${b.containerPort}/${b.protocol}`] ??= []).push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
  const doc = inspect({
    name: p.name, labels: p.labels, image: p.image, env: p.env, entrypoint: p.entrypoint, cmd: p.cmd, ports, memory: p.resources.memoryBytes, nanoCpus: p.resources.nanoCpus,
    restartPolicy: p.restart.name, health: p.healthcheck ? 'healthy' : undefined, ...over,
  });
  return { ...doc, HostConfig: { ...doc.HostConfig, PortBindings: ports } };
}

/** Labels deploy writes on a workload container. */
export function workloadLabels(project: string, object: string, name: string, replica: number, hash = 'h1'): Record<string, string> {
  return { [LABELS.project]: project, [LABELS.object]: object, [LABELS.name]: name, [LABELS.pod]: name, [LABELS.role]: 'workload', [LABELS.container]: 'web', [LABELS.replica]: String(replica), [LABELS.hash]: hash };
}

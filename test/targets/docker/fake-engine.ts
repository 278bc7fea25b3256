/**
 * An in-memory Docker engine implementing the typed Engine API, for reconciler tests: names are
 * unique (409 as the engine answers), containers run when started, stops can take time, and hooks
 * make chosen calls fail. `ops` records every change in order; `maxRunning`/`minRunning` track how
 * many containers of an object ran at once (not counting retiring ones) over the whole test.
 */
import type Docker from 'dockerode';
import type { ContainerInspect, ContainerSummary, EngineApi, Filters, NetworkSummary, VolumeSummary } from '../../../lib/targets/docker/engine-api';
import { LABELS } from '../../../lib/targets/docker/plan';

interface FakeContainer {
  id: string; name: string; labels: Record<string, string>; image: string; state: string; startedAt: string;
  opts: Docker.ContainerCreateOptions; health?: string; healthLog?: Array<{ ExitCode: number; Output: string }>;
}

const fail = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode, json: { message } });

/** Hooks: return an error to throw it from that call. */
export interface FakeHooks {
  start?: (c: FakeContainer) => Error | undefined;
  create?: (name: string, opts: Docker.ContainerCreateOptions) => Error | undefined;
  /** Health of a started container with a healthcheck. @default 'healthy' */
  health?: (c: FakeContainer) => { status: string; log?: Array<{ ExitCode: number; Output: string }> };
}

export class FakeEngine implements EngineApi {
  readonly isLocal = false;
  readonly containers = new Map<string, FakeContainer>();
  readonly networks = new Map<string, NetworkSummary>();
  readonly volumes = new Map<string, VolumeSummary>();
  readonly images = new Set<string>(['dockyard-test/busybox:1']);
  readonly ops: string[] = [];
  /** object -> the most / fewest running containers seen at once, after its first start. */
  readonly maxRunning = new Map<string, number>();
  readonly minRunning = new Map<string, number>();
  /** How long a stop of a running container takes (its grace, for a process ignoring SIGTERM). */
  stopDelayMs = 0;
  hooks: FakeHooks = {};
  private seq = 0;

  describe(): string { return 'fake://engine'; }
  async ping(): Promise<void> { /* always there */ }

  private find(idOrName: string): FakeContainer | undefined {
    return this.containers.get(idOrName) ?? [...this.containers.values()].find((c) => c.name === idOrName);
  }
  private get(idOrName: string): FakeContainer {
    const c = this.find(idOrName);
    if (!c) throw fail(404, `No such container: ${idOrName}`);
    return c;
  }
  private track(): void {
    const running = new Map<string, number>();
    for (const c of this.containers.values()) {
      const o = c.labels[LABELS.object];
      // Retiring replicas (`.old`, stopping out of the rollout's count, as terminating pods) do not count.
      if (o && c.labels[LABELS.role] === 'workload' && !c.labels[LABELS.podHash] && !c.name.endsWith('.old')) running.set(o, (running.get(o) ?? 0) + (c.state === 'running' ? 1 : 0));
    }
    for (const [o, n] of running) {
      if (!this.maxRunning.has(o) && n === 0) continue;
      this.maxRunning.set(o, Math.max(this.maxRunning.get(o) ?? 0, n));
      this.minRunning.set(o, Math.min(this.minRunning.get(o) ?? Infinity, n));
    }
  }
  /** Starts tracking running counts afresh (after the first deploy). */
  resetCounts(): void { this.maxRunning.clear(); this.minRunning.clear(); this.track(); }

  async listContainers(filters?: Filters): Promise<ContainerSummary[]> {
    const want = filters?.label ?? [];
    return [...this.containers.values()]
      .filter((c) => want.every((l) => { const [k, v] = l.split('='); return c.labels[k] === v; }))
      .map((c) => ({ id: c.id, name: c.name, labels: c.labels, state: c.state, image: c.image, ports: c.state === 'running' ? Object.values((c.opts.HostConfig?.PortBindings ?? {}) as Record<string, Array<{ HostIp: string; HostPort: string }>>).flat().map((b) => ({ IP: b.HostIp, PublicPort: Number(b.HostPort), Type: 'tcp' })) : [] }));
  }

  async inspectContainer(idOrName: string): Promise<ContainerInspect | undefined> {
    const c = this.find(idOrName);
    if (!c) return undefined;
    const running = c.state === 'running';
    const health = running && c.opts.Healthcheck ? (this.hooks.health?.(c) ?? { status: 'healthy' }) : undefined;
    return {
      Id: c.id, Name: `/${c.name}`, Config: { Labels: c.labels, Image: c.image },
      State: { Status: c.state, Running: running, Restarting: false, ExitCode: running ? 0 : 137, StartedAt: c.startedAt, ...(health ? { Health: { Status: health.status, Log: health.log ?? [] } } : {}) },
    };
  }

  async createContainer(name: string, opts: Docker.ContainerCreateOptions): Promise<string> {
    const err = this.hooks.create?.(name, opts);
    if (err) throw err;
    if (this.find(name)) throw fail(409, `Conflict. The container name "/${name}" is already in use by container "${this.find(name)!.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    if (!this.images.has(String(opts.Image)) && !String(opts.Image).startsWith('sha256:')) throw fail(404, `No such image: ${opts.Image}`);
    const id = `c${++this.seq}`;
    this.containers.set(id, { id, name, labels: (opts.Labels ?? {}) as Record<string, string>, image: String(opts.Image), state: 'created', startedAt: '', opts });
    this.ops.push(`create ${name}`);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.get(id);
    if (c.state === 'running') throw fail(304, 'container already started');
    const err = this.hooks.start?.(c);
    if (err) throw err;
    c.state = 'running';
    c.startedAt = new Date(++this.seq * 1000).toISOString();
    this.ops.push(`start ${c.name}`);
    this.track();
  }

  async stopContainer(id: string): Promise<void> {
    const c = this.get(id);
    if (c.state !== 'running') throw fail(304, 'container already stopped');
    this.ops.push(`stop ${c.name}`);
    if (this.stopDelayMs) await new Promise((r) => setTimeout(r, this.stopDelayMs));
    c.state = 'exited';
    this.ops.push(`stopped ${c.name}`);
    this.track();
  }

  async removeContainer(id: string, o: { force?: boolean } = {}): Promise<void> {
    const c = this.get(id);
    if (c.state === 'running' && !o.force) throw fail(409, 'You cannot remove a running container');
    this.containers.delete(c.id);
    this.ops.push(`remove ${c.name}`);
    this.track();
  }

  async renameContainer(id: string, name: string): Promise<void> {
    const c = this.get(id);
    if (this.find(name)) throw fail(409, `Conflict. The container name "/${name}" is already in use`);
    this.ops.push(`rename ${c.name} -> ${name}`);
    c.name = name;
  }

  async unpauseContainer(id: string): Promise<void> { const c = this.get(id); c.state = 'running'; }
  async putArchive(id: string): Promise<void> { this.get(id); }
  async containerLogs(id: string): Promise<string> { return `logs of ${this.get(id).name}`; }

  async listNetworks(filters?: Filters): Promise<NetworkSummary[]> {
    const want = filters?.label ?? [];
    return [...this.networks.values()].filter((n) => want.every((l) => { const [k, v] = l.split('='); return n.labels[k] === v; }));
  }
  async networkContainers(id: string): Promise<Array<{ id: string; name: string }>> {
    const n = [...this.networks.values()].find((x) => x.id === id)!;
    return [...this.containers.values()].filter((c) => c.opts.HostConfig?.NetworkMode === n.id || c.opts.HostConfig?.NetworkMode === n.name).map((c) => ({ id: c.id, name: c.name }));
  }
  async createNetwork(name: string, labels: Record<string, string>): Promise<void> {
    if (this.networks.has(name)) throw fail(409, `network with name ${name} already exists`);
    this.networks.set(name, { id: `n-${name}`, name, labels, created: new Date().toISOString() });
    this.ops.push(`create network ${name}`);
  }
  async removeNetwork(id: string): Promise<void> {
    const n = [...this.networks.values()].find((x) => x.id === id);
    if (!n) throw fail(404, `network ${id} not found`);
    if ((await this.networkContainers(id)).length) throw fail(403, `error while removing network: network ${n.name} id ${id} has active endpoints`);
    this.networks.delete(n.name);
    this.ops.push(`remove network ${n.name}`);
  }

  async listVolumes(filters?: Filters): Promise<VolumeSummary[]> {
    const labels = filters?.label ?? [];
    const names = filters?.name;
    return [...this.volumes.values()].filter((v) => labels.every((l) => { const [k, val] = l.split('='); return v.labels[k] === val; }) && (!names || names.includes(v.name)));
  }
  async createVolume(name: string, labels: Record<string, string>): Promise<void> {
    // As the engine: an existing volume of that name is returned as it is.
    if (!this.volumes.has(name)) { this.volumes.set(name, { name, labels }); this.ops.push(`create volume ${name}`); }
  }
  async removeVolume(name: string): Promise<void> {
    if (!this.volumes.delete(name)) throw fail(404, `no such volume: ${name}`);
    this.ops.push(`remove volume ${name}`);
  }

  async imageExists(ref: string): Promise<boolean> { return this.images.has(ref); }
  async anyImage(): Promise<string | undefined> { return [...this.images][0]; }
  async pullImage(ref: string): Promise<void> { throw fail(404, `pull access denied for ${ref}`); }

  /** Containers by name -> state. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.containers.values()].map((c) => [c.name, c.state]).sort());
  }
}

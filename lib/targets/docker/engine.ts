/**
 * The executor: applies a DockerPlan to a real engine over the Engine API (dockerode). Reconciles by
 * labels (see changes.ts): creates what is missing, replaces what changed one pod at a time, removes
 * what the project owns and the plan no longer has, never touches anything without the project label.
 *
 * Crash safety: a replacement is prepared under a temporary name (`<name>.next`), the old container
 * is removed, the new one renamed and only then started; a fresh pod is started after creation. Any
 * kill leaves either a temporary container or a never-started one, both of which the next run
 * detects by label and state and replaces, so it converges with no duplicates and no orphans.
 * A killed deploy's last request may still be carried out by the engine after the next deploy has
 * read the state (a create, rename or start lands late); such answers (a name taken by our own
 * container, a container gone) raise `EngineMoved`, and the deploy reads the engine again.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type Docker from 'dockerode';
import { DockyardError, Problem } from '../../core/errors';
import { ActualContainer, ActualState, Change, computeChanges, keepsRunning, tempName } from './changes';
import { ContainerPlan, DockerPlan, LABELS } from './plan';
import { tarFiles } from './tar';

/** Something worth telling the user while deploying. */
export interface ProgressEvent {
  /** `change` when a change starts, `done` when it finished, `pull` for image pulls, `info` otherwise. */
  readonly type: 'change' | 'done' | 'pull' | 'info';
  /** The change, for change/done. */
  readonly change?: Change;
  /** Human text. */
  readonly message: string;
}

/** Options of `deployPlan`, `destroyProject`. */
export interface ApplyOptions {
  /** Progress callback. @default none */
  readonly onProgress?: (e: ProgressEvent) => void;
  /** Pull missing images (tests never need to). @default true */
  readonly pull?: boolean;
  /** Wait until every container runs (and is healthy when it has a healthcheck). @default false */
  readonly wait?: boolean;
  /** How long `wait` waits. @default 60000 */
  readonly waitTimeoutMs?: number;
  /** Seconds to wait after SIGTERM when removing, overriding each container's own. @default the container's stopTimeoutSeconds */
  readonly stopTimeoutSeconds?: number;
  /** Engine operations in flight at once. @default 6 */
  readonly concurrency?: number;
}

/** What `deployPlan` did. */
export interface DeployResult {
  /** Changes made (empty on a no-op). */
  readonly changes: Change[];
  /** Wall time. */
  readonly durationMs: number;
}

/** A dockerode client for `host` (a DOCKER_HOST-style URL: unix://, tcp://, ssh://), else DOCKER_HOST, else the default socket. */
export function connect(host?: string): Docker {
  // Loaded on first use: dockerode (ssh2, grpc) takes ~0.5 s to require, which a no-op deploy never needs.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const DockerClass: typeof Docker = require('dockerode');
  if (!host) return new DockerClass();
  // docker-modem parses DOCKER_HOST (TLS, ssh, certs) at construction; reuse that logic rather than copy it.
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = host;
  try { return new DockerClass(); } finally { if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved; }
}

/**
 * A connection to one engine. For unix sockets and plain tcp every call goes over node:http (`get`,
 * `client`), so a deploy never loads dockerode; TLS and ssh hosts, and image pulls, use dockerode.
 */
export class Engine {
  private dockerode?: Docker;
  private lightClient?: EngineClient;
  private readonly light?: { socketPath?: string; hostname?: string; port?: number };

  /** `host` as in DOCKER_HOST; undefined = DOCKER_HOST, else the default socket. */
  constructor(public readonly host: string | undefined = process.env.DOCKER_HOST) {
    const h = host ?? '';
    if (!h) this.light = { socketPath: '/var/run/docker.sock' };
    else if (h.startsWith('unix://')) this.light = { socketPath: h.slice(7) || '/var/run/docker.sock' };
    else if (/^tcp:\/\//.test(h) && process.env.DOCKER_TLS_VERIFY !== '1') {
      const u = new URL(h);
      if (u.port !== '2376') this.light = { hostname: u.hostname, port: Number(u.port || 2375) };
    }
  }

  /** The dockerode client (created on first use). */
  get docker(): Docker {
    return (this.dockerode ??= connect(this.host));
  }

  /** Where it points, for messages. */
  describe(): string {
    return this.host || 'unix:///var/run/docker.sock';
  }

  /** True when the engine runs on this machine (published ports are this machine's ports). */
  get isLocal(): boolean {
    return !!this.light?.socketPath;
  }

  /**
   * What the executor drives the engine with: for a local socket or plain tcp a small client over
   * node:http (dockerode takes 0.2-0.5 s to load, a third of a first deploy), else dockerode itself.
   */
  get client(): EngineClient {
    if (!this.light) return this.docker as unknown as EngineClient;
    return (this.lightClient ??= lightClient((method, apiPath, body, contentType) => this.request(method, apiPath, body, contentType)));
  }

  /**
   * One Engine API call over node:http (local socket or plain tcp only). Resolves with the parsed body
   * (JSON, else the raw bytes) for 2xx; rejects like dockerode for anything else (`statusCode`, `json`),
   * so callers test 304/404/409 the same way on both clients.
   */
  request(method: string, apiPath: string, body?: Buffer | object, contentType = 'application/json', timeoutMs?: number): Promise<any> {
    const light = this.light;
    if (!light) return Promise.reject(new Error('Engine.request needs a unix socket or plain tcp host'));
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const headers = payload ? { 'content-type': contentType, 'content-length': payload.length } : undefined;
      const req = http.request({ ...light, path: apiPath, method, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          let parsed: any = raw;
          if (/json/.test(String(res.headers['content-type']))) {
            try { parsed = JSON.parse(raw.toString('utf8')); } catch { /* not JSON after all */ }
          }
          const status = res.statusCode ?? 500;
          if (status >= 300) {
            const message = parsed?.message ?? (raw.toString('utf8').trim() || `HTTP ${status}`);
            reject(Object.assign(new Error(message), { statusCode: status, json: typeof parsed?.message === 'string' ? parsed : { message } }));
          } else resolve(parsed);
        });
      });
      if (timeoutMs) req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** GET an Engine API path, returning parsed JSON. */
  async get<T>(apiPath: string): Promise<T> {
    if (!this.light) {
      const modem = (this.docker as any).modem;
      return new Promise((resolve, reject) => modem.dial({ path: apiPath, method: 'GET', statusCodes: { 200: true, 500: 'server error' } }, (err: any, data: any) => (err ? reject(err) : resolve(data))));
    }
    // Reads time out (15 s without an answer); the engine answers JSON, except /_ping ("OK").
    return this.request('GET', apiPath, undefined, undefined, 15000);
  }
}

/** One container, as the executor drives it (a subset of dockerode's Container). */
export interface ContainerHandle {
  start(): Promise<unknown>;
  stop(opts?: { t?: number }): Promise<unknown>;
  remove(opts?: { force?: boolean; v?: boolean }): Promise<unknown>;
  rename(opts: { name: string }): Promise<unknown>;
  unpause(): Promise<unknown>;
  putArchive(tar: Buffer, opts: { path: string }): Promise<unknown>;
  logs(opts: { stdout: boolean; stderr: boolean; tail: number; follow: false }): Promise<unknown>;
  inspect(): Promise<unknown>;
}

/** The Engine API calls the executor makes: the subset of dockerode it uses, so dockerode itself is one. */
export interface EngineClient {
  createContainer(opts: Docker.ContainerCreateOptions): Promise<{ id: string }>;
  getContainer(id: string): ContainerHandle;
  getNetwork(id: string): { remove(): Promise<unknown> };
  getVolume(name: string): { remove(): Promise<unknown> };
  getImage(name: string): { inspect(): Promise<unknown> };
  createNetwork(opts: { Name: string; Driver: string; CheckDuplicate: boolean; Labels: Record<string, string> }): Promise<unknown>;
  createVolume(opts: { Name: string; Labels: Record<string, string> }): Promise<unknown>;
}

type Request = (method: string, apiPath: string, body?: Buffer | object, contentType?: string) => Promise<any>;

/** EngineClient over plain Engine API requests (paths and query strings as dockerode sends them). */
export function lightClient(request: Request): EngineClient {
  const e = encodeURIComponent;
  const query = (o: Record<string, string | number | boolean | undefined>) => {
    const q = Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${e(k)}=${e(String(v))}`).join('&');
    return q ? `?${q}` : '';
  };
  return {
    async createContainer(opts) {
      const { name, ...body } = opts as Docker.ContainerCreateOptions & { name?: string };
      const r = await request('POST', `/containers/create${query({ name })}`, body);
      return { id: r.Id };
    },
    getContainer: (id) => ({
      start: () => request('POST', `/containers/${e(id)}/start`),
      stop: (o = {}) => request('POST', `/containers/${e(id)}/stop${query({ t: o.t })}`),
      remove: (o = {}) => request('DELETE', `/containers/${e(id)}${query({ force: o.force, v: o.v })}`),
      rename: (o) => request('POST', `/containers/${e(id)}/rename${query({ name: o.name })}`),
      unpause: () => request('POST', `/containers/${e(id)}/unpause`),
      putArchive: (tar, o) => request('PUT', `/containers/${e(id)}/archive${query({ path: o.path })}`, tar, 'application/x-tar'),
      logs: (o) => request('GET', `/containers/${e(id)}/logs${query({ stdout: o.stdout, stderr: o.stderr, tail: o.tail, follow: o.follow })}`),
      inspect: () => request('GET', `/containers/${e(id)}/json`),
    }),
    getNetwork: (id) => ({ remove: () => request('DELETE', `/networks/${e(id)}`) }),
    getVolume: (name) => ({ remove: () => request('DELETE', `/volumes/${e(name)}`) }),
    // Image references keep their '/' and ':' (the engine routes /images/{name}/json on the raw path, as dockerode sends it).
    getImage: (name) => ({ inspect: () => request('GET', `/images/${name}/json`) }),
    createNetwork: (opts) => request('POST', '/networks/create', opts),
    createVolume: (opts) => request('POST', '/volumes/create', opts),
  };
}

/** Turns an engine error into a user error when it is about reachability; rethrows anything else. */
function engineError(engine: Engine, e: any, where: string): never {
  const code = e?.code ?? e?.errno;
  if (['ECONNREFUSED', 'ENOENT', 'EACCES', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'ENOTFOUND'].includes(code)) {
    throw new DockyardError({ where, message: `cannot reach the Docker engine at ${engine.describe()} (${code})`, fix: 'start it (bash scripts/docker-engine.sh prints the DOCKER_HOST to use), or pass --host / set DOCKER_HOST' });
  }
  throw e;
}

/** Checks the engine answers, with a clear error when it does not. */
export async function ping(engine: Engine): Promise<void> {
  try { await engine.get('/_ping'); } catch (e) { engineError(engine, e, 'engine'); }
}

const q = (filters: Record<string, string[]>) => encodeURIComponent(JSON.stringify(filters));

interface Listed { id: string; name: string; labels: Record<string, string>; state: string; ports: Array<{ IP?: string; PublicPort?: number; Type: string }> }

async function listAll(engine: Engine): Promise<Listed[]> {
  const list = await engine.get<Docker.ContainerInfo[]>('/containers/json?all=1');
  return list.map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? '').replace(/^\//, ''), labels: c.Labels ?? {}, state: c.State, ports: (c.Ports ?? []) as any }));
}

/** What the engine holds for `project` (by label only). */
export async function readActual(engine: Engine, project: string): Promise<ActualState> {
  const filter = q({ label: [`${LABELS.project}=${project}`] });
  try {
    const [containers, networks, volumes] = await Promise.all([
      engine.get<Docker.ContainerInfo[]>(`/containers/json?all=1&filters=${filter}`),
      engine.get<Docker.NetworkInspectInfo[]>(`/networks?filters=${filter}`),
      engine.get<{ Volumes: Docker.VolumeInspectInfo[] | null }>(`/volumes?filters=${filter}`),
    ]);
    return {
      // A container the engine is removing (nameless, state "removing") is already going: not part of the state.
      containers: containers.filter((c) => c.State !== 'removing').map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? '').replace(/^\//, ''), labels: c.Labels ?? {}, state: c.State })),
      networks: [...new Set(networks.map((n) => n.Name))],
      volumes: (volumes.Volumes ?? []).map((v) => v.Name),
    };
  } catch (e) { return engineError(engine, e, 'engine'); }
}

/** Docker create options for a planned container (pure). `mainName` is the actual name of the pod's first container. */
export function toCreateOptions(c: ContainerPlan, name: string = c.name, mainName: string = c.pod, networkId?: string): Docker.ContainerCreateOptions {
  const net = networkId ?? c.network;
  const portBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const b of c.ports) (portBindings[`${b.containerPort}/${b.protocol}`] ??= []).push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
  const shared = c.networkMode !== undefined;
  const hc = c.healthcheck;
  return {
    name,
    Image: c.image,
    ...(c.entrypoint ? { Entrypoint: c.entrypoint } : {}),
    ...(c.cmd ? { Cmd: c.cmd } : {}),
    Env: c.env,
    Labels: c.labels,
    ...(shared ? {} : { Hostname: c.hostname, ExposedPorts: Object.fromEntries(c.exposedPorts.map((p) => [p, {}])) }),
    User: c.user,
    WorkingDir: c.workingDir,
    Tty: c.tty,
    OpenStdin: c.openStdin,
    StopTimeout: c.stopTimeoutSeconds,
    ...(hc ? { Healthcheck: { Test: hc.test, Interval: hc.intervalNs, Timeout: hc.timeoutNs, StartPeriod: hc.startPeriodNs, Retries: hc.retries } } : {}),
    HostConfig: {
      NetworkMode: shared ? `container:${mainName}` : net,
      PortBindings: portBindings,
      Mounts: c.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
      RestartPolicy: { Name: c.restart.name, MaximumRetryCount: c.restart.maximumRetryCount },
      Memory: c.resources.memoryBytes,
      MemoryReservation: c.resources.memoryReservationBytes,
      NanoCpus: c.resources.nanoCpus,
      CpuShares: c.resources.cpuShares,
      ReadonlyRootfs: c.readOnly,
      CapAdd: c.capAdd,
      CapDrop: c.capDrop,
      Privileged: c.privileged,
      ...(c.pidMode ? { PidMode: c.pidMode } : {}),
      ...(c.ipcMode ? { IpcMode: c.ipcMode } : {}),
      ...(c.securityOpt?.length ? { SecurityOpt: c.securityOpt } : {}),
    },
    ...(shared || !net ? {} : { NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: c.aliases } } } }),
  };
}

async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try { await fn(item); } catch (e) { errors.push(e); }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length) {
    const user = errors.filter((e): e is DockyardError => e instanceof DockyardError);
    if (user.length === errors.length) throw new DockyardError(user.flatMap((e) => e.problems));
    throw errors.find((e) => !(e instanceof DockyardError));
  }
}

const isNotFound = (e: any) => e?.statusCode === 404;
const engineMessage = (e: any) => String(e?.json?.message ?? e?.message ?? e);

/**
 * The engine changed under this deploy (a name we were to take is taken, a container we read is
 * gone): not a user error but a stale read, so the deploy reads the engine again and recomputes.
 */
export class EngineMoved extends Error {
  constructor(readonly why: string, readonly original: unknown) {
    super(`the engine changed during the deploy: ${why}`);
  }
}

/** Turns the answers that mean "the state we read is stale" into EngineMoved; others pass. */
function staleRead(e: any, what: string): unknown {
  const msg = engineMessage(e);
  if (isNotFound(e) && /no such container/i.test(msg)) return new EngineMoved(`${what}: ${msg}`, e);
  if (e?.statusCode === 409 && /already in progress|marked for removal/i.test(msg)) return new EngineMoved(`${what}: ${msg}`, e);
  // Two deploys racing made two networks of one name (the later one removes its own duplicate again).
  if (/network .* is ambiguous/i.test(msg)) return new EngineMoved(`${what}: ${msg}`, e);
  return undefined;
}

/**
 * Removes a container; gone already is fine. `graceful` stops it first (SIGTERM, then SIGKILL after
 * `seconds`, or after the StopTimeout it was created with when undefined).
 */
async function removeContainer(docker: EngineClient, id: string, graceful: boolean, seconds?: number): Promise<void> {
  const c = docker.getContainer(id);
  try {
    if (graceful) await c.stop(seconds !== undefined ? { t: seconds } : {}).catch((e: any) => { if (e?.statusCode !== 304 && !isNotFound(e)) throw e; });
    await c.remove({ force: true, v: true });
  } catch (e: any) {
    if (isNotFound(e)) return;
    // Someone else (another deploy or destroy of the project) is removing it: done once it is gone.
    if (e?.statusCode === 409 && /already in progress/.test(String(e.message))) return waitGone(c, id);
    throw e;
  }
}

async function waitGone(c: ContainerHandle, id: string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try { await c.inspect(); } catch (e) { if (isNotFound(e)) return; throw e; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DockyardError({ where: `container ${id.slice(0, 12)}`, message: `the engine has been removing it for ${timeoutMs / 1000}s and it is still there`, fix: 'see the engine log (docker ps -a shows it as "Removal In Progress"); restart the engine or remove it by hand (docker rm -f), then run the command again' });
}

/** Explains a failed create/start in terms of the object, for the common causes. */
function explain(e: any, c: ContainerPlan): unknown {
  const msg = String(e?.json?.message ?? e?.message ?? e);
  const where = `${c.object} (container ${c.name})`;
  if (/port is already allocated|address already in use|bind: /.test(msg)) {
    const ports = c.ports.map((b) => `${b.hostIp}:${b.hostPort}`).join(', ');
    return new DockyardError({ where, message: `host port ${ports} is already in use: ${msg.split('\n')[0]}`, fix: 'free the port, or change the Service port/nodePort (or --publish-address)' });
  }
  if (/No such image|pull access denied|manifest unknown/.test(msg)) return new DockyardError({ where, message: `image "${c.image}" is missing: ${msg}`, fix: 'build or load the image on this engine, or fix the image name' });
  if (e?.statusCode === 409 && /Conflict/.test(msg)) return new DockyardError({ where, message: `a container name it needs is taken: ${msg}`, fix: 'remove or rename that container' });
  if (e?.statusCode >= 400 && e?.statusCode < 500) return new DockyardError({ where, message: `the engine refused the container: ${msg}`, fix: 'fix the field named in the message' });
  return e;
}

/** Makes sure every image is on the engine, pulling the missing ones unless `pull` is false. */
async function ensureImages(engine: Engine, containers: readonly ContainerPlan[], opts: ApplyOptions): Promise<void> {
  const byImage = new Map<string, Set<string>>();
  for (const c of containers) { if (!byImage.has(c.image)) byImage.set(c.image, new Set()); byImage.get(c.image)!.add(c.object); }
  const problems: Problem[] = [];
  for (const [image, objects] of [...byImage].sort()) {
    try { await engine.client.getImage(image).inspect(); continue; } catch (e) { if (!isNotFound(e)) throw e; }
    const where = [...objects].sort().join(', ');
    if (opts.pull === false) { problems.push({ where, message: `image "${image}" is not on the engine`, fix: 'build or load it first (tests: bash scripts/test-images.sh)' }); continue; }
    opts.onProgress?.({ type: 'pull', message: `pull    image     ${image}` });
    try {
      // Pulls (with progress) go through dockerode, loaded only now.
      const docker = engine.docker;
      const stream = await docker.pull(image);
      await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: any) => (err ? reject(err) : resolve()), (ev: any) => {
        if (ev?.status && /Pulling from|Download complete|Pull complete|Status:/.test(ev.status)) opts.onProgress?.({ type: 'pull', message: `        ${image}: ${ev.status}${ev.id ? ` ${ev.id}` : ''}` });
      }));
    } catch (e: any) {
      problems.push({ where, message: `image "${image}" is not on the engine and could not be pulled: ${String(e?.json?.message ?? e?.message ?? e).split('\n')[0]}`, fix: 'build or load the image on this engine (docker load/import), or fix the image name' });
    }
  }
  if (problems.length) throw new DockyardError(problems);
}

/** Checks names and host ports before anything changes, so a conflict touches nothing. */
async function preflight(engine: Engine, plan: DockerPlan, changes: readonly Change[], all: readonly Listed[]): Promise<void> {
  const problems: Problem[] = [];
  // A network of the planned name that another project (or a person) made would be joined in silence,
  // and its other containers could reach ours by name: refuse it like a foreign container name.
  const networks = await engine.get<Array<{ Name: string; Labels?: Record<string, string> | null }>>('/networks');
  for (const n of plan.networks) {
    const other = networks.find((x) => x.Name === n.name && x.Labels?.[LABELS.project] !== plan.project);
    if (!other) continue;
    const owner = other.Labels?.[LABELS.project];
    problems.push({ where: `network ${n.name}`, message: `a network named "${n.name}" exists and is not owned by project "${plan.project}"${owner ? ` (it belongs to project "${owner}")` : ''}; joining it would mix the two`, fix: owner ? 'choose another --project (names are <project>-<namespace>, so project "a" with namespace "b" and project "a-b" collide)' : `choose another --project, or remove the network (docker network rm ${n.name}) if nothing needs it` });
  }
  const foreign = all.filter((c) => c.labels[LABELS.project] !== plan.project);
  const foreignNames = new Map(foreign.map((c) => [c.name, c]));
  const touched = changes.filter((ch) => ch.kind === 'pod' && (ch.action === 'create' || ch.action === 'replace'));
  for (const ch of touched) for (const c of ch.containers ?? []) {
    for (const n of [c.name, tempName(c.name)]) {
      const f = foreignNames.get(n);
      if (f) problems.push({ where: `${c.object} (container ${c.name})`, message: `a container named "${n}" exists and is not owned by project "${plan.project}"${f.labels[LABELS.project] ? ` (it belongs to project "${f.labels[LABELS.project]}")` : ''}`, fix: 'remove or rename it, or deploy under another --project' });
    }
  }
  const ours = new Set(all.filter((c) => c.labels[LABELS.project] === plan.project).flatMap((c) => c.ports.filter((p) => p.PublicPort).map((p) => `${p.PublicPort}/${p.Type}`)));
  const local = engine.isLocal;
  const busy: string[] = [];
  // Stopped containers about to be started claim their host ports again: check those too.
  const starting = changes.filter((ch) => ch.kind === 'pod' && ch.action === 'start').flatMap((ch) => (ch.containers ?? []).filter((c) => {
    const a = ch.existing?.find((x) => x.name === c.name);
    return a !== undefined && keepsRunning(c) && !['running', 'restarting', 'paused'].includes(a.state);
  }));
  for (const c of [...touched.flatMap((ch) => ch.containers ?? []), ...starting]) for (const b of c.ports) {
    const key = `${b.hostPort}/${b.protocol}`;
    const holder = foreign.find((f) => f.state === 'running' && f.ports.some((p) => p.PublicPort === b.hostPort && p.Type === b.protocol && (!p.IP || p.IP === '0.0.0.0' || p.IP === '::' || b.hostIp === '0.0.0.0' || p.IP === b.hostIp)));
    const where = `${b.service} (container ${c.name})`;
    if (holder) { problems.push({ where, message: `host port ${b.hostIp}:${b.hostPort} is already published by container "${holder.name}"`, fix: 'stop that container, or change the Service port/nodePort' }); continue; }
    // A local engine publishes on this machine's addresses: try the port ourselves (skipping ports our own containers hold).
    if (local && b.protocol === 'tcp' && !ours.has(key) && !(await portFree(b.hostIp, b.hostPort))) {
      busy.push(key);
      problems.push({ where, message: `host port ${b.hostIp}:${b.hostPort} is already in use by another program`, fix: 'stop that program, or change the Service port/nodePort (or --publish-address)' });
    }
  }
  if (busy.length) {
    // A port taken since we listed may be our own container's, started meanwhile by another deploy of
    // the project (or a killed one's late request): if the project's containers changed, read again.
    const ownState = (list: readonly Listed[]) => list.filter((c) => c.labels[LABELS.project] === plan.project).map((c) => `${c.id} ${c.name} ${c.state}`).sort().join('\n');
    if (ownState(await listAll(engine)) !== ownState(all)) throw new EngineMoved(`the project's containers changed while host port(s) ${busy.join(', ')} were checked`, undefined);
  }
  if (problems.length) throw new DockyardError(problems, `nothing was changed; ${problems.length} conflict(s):`);
}

/**
 * Whether a host port can be bound. A port held for an instant (another deploy's own probe) is tried
 * again, so two deploys checking at once do not see each other as "another program".
 */
async function portFree(host: string, port: number): Promise<boolean> {
  // ~1 s in all: also outlasts the proxy of a container another deploy has just removed.
  for (let i = 0; i < 10; i++) {
    if (await probePort(host, port)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function probePort(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (e: any) => resolve(e?.code !== 'EADDRINUSE'));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Asks the engine whether a container name belongs to the project (true), to someone else (false), or to nobody any more (undefined). */
type OwnedCheck = (name: string) => Promise<boolean | undefined>;

/**
 * A create refused because the name is taken: when our own project holds that name now, it was made
 * after we read the state (by a killed deploy's late request), so read again; a foreign holder stays
 * the "name is taken" user error.
 */
async function ownNameTaken(e: any, name: string, owned: OwnedCheck): Promise<unknown> {
  if (!(e?.statusCode === 409 && /already in use/i.test(engineMessage(e)))) return undefined;
  const holder = await owned(name).catch(() => false);
  // Ours, or already gone again (another deploy renamed or removed it): the state we read is stale.
  return holder !== false ? new EngineMoved(`container ${name} appeared meanwhile`, e) : undefined;
}

/** Creates a pod's containers (first one first; the others share its network namespace) and copies files in. Not started. */
async function createPod(docker: EngineClient, containers: readonly ContainerPlan[], temp: boolean, netIds: ReadonlyMap<string, string>, owned: OwnedCheck): Promise<Array<{ plan: ContainerPlan; id: string }>> {
  const made: Array<{ plan: ContainerPlan; id: string }> = [];
  const mainName = temp ? tempName(containers[0].name) : containers[0].name;
  for (const c of containers) {
    const name = temp ? tempName(c.name) : c.name;
    let created: { id: string };
    try { created = await docker.createContainer(toCreateOptions(c, name, mainName, c.network ? netIds.get(c.network) : undefined)); } catch (e) { throw (await ownNameTaken(e, name, owned)) ?? staleRead(e, `creating ${name}`) ?? explain(e, c); }
    if (c.files.length) { try { await docker.getContainer(created.id).putArchive(tarFiles(c.files), { path: '/' }); } catch (e) { throw staleRead(e, `copying files into ${name}`) ?? explain(e, c); } }
    made.push({ plan: c, id: created.id });
  }
  return made;
}

async function startPod(docker: EngineClient, made: ReadonlyArray<{ plan: ContainerPlan; id: string }>): Promise<void> {
  for (const m of made) {
    try { await docker.getContainer(m.id).start(); } catch (e: any) { if (e?.statusCode !== 304) throw staleRead(e, `starting ${m.plan.name}`) ?? explain(e, m.plan); }
  }
}

/**
 * The `start` change: unpauses paused containers and starts stopped ones that should keep running,
 * the pod's main container first (the others share its network namespace).
 */
async function wakePod(docker: EngineClient, ch: Change): Promise<void> {
  const existing = [...(ch.existing ?? [])].sort((x, y) => (x.name === ch.name ? -1 : y.name === ch.name ? 1 : 0));
  for (const a of existing) {
    const plan = ch.containers?.find((c) => c.name === a.name) ?? ch.containers![0];
    const ctr = docker.getContainer(a.id);
    const unpause = () => ctr.unpause().catch((e: any) => { if (!(e?.statusCode === 409 && /not paused/.test(engineMessage(e)))) throw staleRead(e, `unpausing ${a.name}`) ?? explain(e, plan); });
    if (a.state === 'paused') { await unpause(); continue; }
    if (a.state === 'running' || a.state === 'restarting' || !keepsRunning(plan)) continue;
    try { await ctr.start(); } catch (e: any) {
      if (e?.statusCode === 304) continue;
      // Paused after we listed it: unpause instead.
      if (e?.statusCode === 409 && /paused/.test(engineMessage(e))) { await unpause(); continue; }
      throw staleRead(e, `starting ${a.name}`) ?? explain(e, plan);
    }
  }
}

async function applyPodChange(docker: EngineClient, ch: Change, opts: ApplyOptions, owned: OwnedCheck, netIds: ReadonlyMap<string, string> = new Map()): Promise<void> {
  const remove = (a: ActualContainer) => removeContainer(docker, a.id, a.state === 'running' || a.state === 'restarting', opts.stopTimeoutSeconds);
  opts.onProgress?.({ type: 'change', change: ch, message: '' });
  if (ch.action === 'remove') {
    // Extra containers first, the pod's main container (the namespace owner) last.
    for (const a of [...(ch.existing ?? [])].sort((x, y) => (x.name === ch.name ? 1 : y.name === ch.name ? -1 : 0))) await remove(a);
  } else if (ch.action === 'create') {
    await startPod(docker, await createPod(docker, ch.containers!, false, netIds, owned));
  } else if (ch.action === 'start') {
    await wakePod(docker, ch);
  } else if (ch.action === 'replace') {
    const existing = [...(ch.existing ?? [])];
    for (const a of existing.filter((x) => x.name !== x.labels[LABELS.name])) await removeContainer(docker, a.id, false);
    const made = await createPod(docker, ch.containers!, true, netIds, owned);
    const old = existing.filter((x) => x.name === x.labels[LABELS.name]).sort((x, y) => (x.name === ch.name ? 1 : y.name === ch.name ? -1 : 0));
    for (const a of old) await remove(a);
    for (const m of made) {
      try { await docker.getContainer(m.id).rename({ name: m.plan.name }); } catch (e) { throw staleRead(e, `renaming ${tempName(m.plan.name)}`) ?? (await ownNameTaken(e, m.plan.name, owned)) ?? explain(e, m.plan); }
    }
    await startPod(docker, made);
  }
  opts.onProgress?.({ type: 'done', change: ch, message: '' });
}

/**
 * Network name -> id for the project. Docker allows two networks with one name (CheckDuplicate is
 * best effort: two deploys racing can both create it), and then refuses the name as ambiguous; so
 * containers are attached by id, and empty duplicates are removed to converge.
 */
async function resolveNetworks(engine: Engine, docker: EngineClient, project: string): Promise<Map<string, string>> {
  const list = await engine.get<Array<{ Id: string; Name: string; Created: string }>>(`/networks?filters=${q({ label: [`${LABELS.project}=${project}`] })}`);
  const byName = new Map<string, Array<{ Id: string; Created: string; used: boolean }>>();
  for (const n of list) {
    const info = await engine.get<{ Containers?: Record<string, unknown> }>(`/networks/${n.Id}`).catch(() => ({ Containers: {} }));
    if (!byName.has(n.Name)) byName.set(n.Name, []);
    byName.get(n.Name)!.push({ Id: n.Id, Created: n.Created, used: Object.keys(info.Containers ?? {}).length > 0 });
  }
  const ids = new Map<string, string>();
  for (const [name, nets] of byName) {
    nets.sort((a, b) => Number(b.used) - Number(a.used) || (a.Created < b.Created ? -1 : 1));
    ids.set(name, nets[0].Id);
    for (const extra of nets.slice(1)) if (!extra.used) await docker.getNetwork(extra.Id).remove().catch(() => undefined);
  }
  return ids;
}

/**
 * Removes every project network with that name (by id: the name may be ambiguous). A network that
 * containers the project does not own still use cannot go: the engine answers 403/409 "has active
 * endpoints", which becomes an error naming those containers.
 */
async function removeNetworks(engine: Engine, docker: EngineClient, project: string, name: string): Promise<void> {
  const list = await engine.get<Array<{ Id: string; Name: string }>>(`/networks?filters=${q({ label: [`${LABELS.project}=${project}`] })}`);
  for (const n of list.filter((x) => x.Name === name)) {
    try { await docker.getNetwork(n.Id).remove(); } catch (e: any) {
      if (isNotFound(e)) continue;
      if ((e?.statusCode === 403 || e?.statusCode === 409) && /active endpoints/.test(String(e?.json?.message ?? e?.message))) {
        type NetInfo = { Containers?: Record<string, { Name?: string }> | null };
        const info = await engine.get<NetInfo>(`/networks/${n.Id}`).catch((): NetInfo => ({ Containers: {} }));
        const attached = Object.keys(info.Containers ?? {});
        const ours = new Set((await readActual(engine, project)).containers.map((c) => c.id));
        // Our own container attached after we read the state (a killed deploy's late create): read again.
        if (attached.some((id) => ours.has(id))) throw new EngineMoved(`a container of the project joined network ${name} meanwhile`, e);
        const names = Object.entries(info.Containers ?? {}).map(([id, c]) => c?.Name || id.slice(0, 12)).sort();
        const who = names.length ? names.join(', ') : 'some';
        throw new DockyardError({ where: `network ${name}`, message: `cannot remove the network: container(s) ${who} not owned by project "${project}" are still attached`, fix: `disconnect or remove them (docker network disconnect ${name} ${names[0] ?? '<container>'}), then run the command again` });
      }
      throw e;
    }
  }
}

/** Computes and applies the changes that make the engine run `plan`. */
export async function deployPlan(engine: Engine, plan: DockerPlan, opts: ApplyOptions = {}): Promise<DeployResult> {
  const t0 = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const changes = await deployOnce(engine, plan, opts);
      return { changes, durationMs: Date.now() - t0 };
    } catch (e) {
      if (!(e instanceof EngineMoved)) throw e;
      if (attempt >= MAX_ATTEMPTS) throw explainMoved(e, plan.project);
      opts.onProgress?.({ type: 'info', message: `info    ${e.message}; reading the engine again (attempt ${attempt + 1} of ${MAX_ATTEMPTS})` });
      // Growing, jittered pauses: two deploys changing the project at once fall out of step.
      await new Promise((r) => setTimeout(r, 150 * attempt + Math.floor(Math.random() * 150)));
    }
  }
}

/** Reads of the engine a deploy makes before it gives up on an engine that keeps changing under it. */
const MAX_ATTEMPTS = 8;

/** The last EngineMoved as a user error: something else is changing this project right now. */
function explainMoved(e: EngineMoved, project: string): DockyardError {
  return new DockyardError({ where: `project ${project}`, message: `${e.message}, on ${MAX_ATTEMPTS} reads in a row`, fix: 'another deploy or destroy of this project is running: wait for it (or stop it) and deploy again' });
}

/** Reads, plans and applies once; throws EngineMoved when the engine changed under it. */
async function deployOnce(engine: Engine, plan: DockerPlan, opts: ApplyOptions): Promise<Change[]> {
  let all: Listed[];
  let actual: ActualState;
  try { [all, actual] = await Promise.all([listAll(engine), readActual(engine, plan.project)]); } catch (e) { return engineError(engine, e, 'engine'); }
  const changes = computeChanges(plan, actual);
  if (changes.length === 0) {
    if (opts.wait) await waitReady(engine, plan, opts.waitTimeoutMs ?? 60000);
    return changes;
  }
  const owned: OwnedCheck = async (name) => {
    const info = await engine.get<Docker.ContainerInspectInfo>(`/containers/${encodeURIComponent(name)}/json`).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
    return info ? info.Config?.Labels?.[LABELS.project] === plan.project : undefined;
  };
  const docker = engine.client;
  const podChanges = changes.filter((c) => c.kind === 'pod');
  await preflight(engine, plan, changes, all);
  await ensureImages(engine, podChanges.filter((c) => c.action === 'create' || c.action === 'replace').flatMap((c) => c.containers ?? []), opts);
  const limit = opts.concurrency ?? 6;
  const infra = changes.filter((c) => c.kind !== 'pod' && c.action === 'create');
  await pool(infra, limit, async (ch) => {
    opts.onProgress?.({ type: 'change', change: ch, message: '' });
    if (ch.kind === 'network') {
      const n = plan.networks.find((x) => x.name === ch.name)!;
      await docker.createNetwork({ Name: n.name, Driver: 'bridge', CheckDuplicate: true, Labels: n.labels }).catch((e: any) => { if (e?.statusCode !== 409) throw e; });
    } else {
      const v = plan.volumes.find((x) => x.name === ch.name)!;
      await docker.createVolume({ Name: v.name, Labels: v.labels });
    }
    opts.onProgress?.({ type: 'done', change: ch, message: '' });
  });
  const netIds = await resolveNetworks(engine, docker, plan.project);
  // A same-named foreign network made between preflight and create makes ours fail with 409; never
  // fall back to attaching by name (that would join the foreign one).
  const lost = plan.networks.filter((n) => !netIds.has(n.name));
  if (lost.length) throw new DockyardError(lost.map((n) => ({ where: `network ${n.name}`, message: `could not create the network: one of that name, not owned by project "${plan.project}", appeared meanwhile`, fix: 'choose another --project, or remove that network' })));
  await pool(podChanges.filter((c) => c.action === 'remove'), limit, (ch) => applyPodChange(docker, ch, opts, owned));
  // Workloads roll object by object in parallel; inside one object, `parallelism` pods at a time.
  for (const role of ['workload', 'proxy']) {
    const byObject = new Map<string, Change[]>();
    for (const ch of podChanges) if ((ch.action === 'create' || ch.action === 'replace') && ch.containers![0].role === role) {
      if (!byObject.has(ch.object)) byObject.set(ch.object, []);
      byObject.get(ch.object)!.push(ch);
    }
    await pool([...byObject.values()], limit, async (list) => {
      const update = plan.updates.find((u) => u.object === list[0].object);
      const creates = list.filter((c) => c.action === 'create');
      const replaces = list.filter((c) => c.action === 'replace');
      await pool(creates, limit, (ch) => applyPodChange(docker, ch, opts, owned, netIds));
      const step = update?.recreate ? replaces.length : update?.parallelism ?? 1;
      for (let i = 0; i < replaces.length; i += step) {
        const batch = replaces.slice(i, i + step);
        await pool(batch, limit, (ch) => applyPodChange(docker, ch, opts, owned, netIds));
        // A rolling update: the next batch goes down only once this one serves (running, and healthy if it has a check).
        if (i + step < replaces.length) await waitContainers(engine, batch.flatMap((ch) => ch.containers ?? []), opts.waitTimeoutMs ?? 60000);
      }
    });
  }
  await pool(podChanges.filter((c) => c.action === 'start'), limit, (ch) => applyPodChange(docker, ch, opts, owned));
  for (const ch of changes.filter((c) => c.kind !== 'pod' && c.action === 'remove')) {
    opts.onProgress?.({ type: 'change', change: ch, message: '' });
    if (ch.kind === 'network') await removeNetworks(engine, docker, plan.project, ch.name);
    else await docker.getVolume(ch.name).remove().catch((e: any) => { if (!isNotFound(e)) throw e; });
    opts.onProgress?.({ type: 'done', change: ch, message: '' });
  }
  if (opts.wait) await waitReady(engine, plan, opts.waitTimeoutMs ?? 60000);
  return changes;
}

/**
 * Removes everything the project owns: containers, then networks and volumes. Reads the engine again
 * afterwards: a container a killed deploy's late request made meanwhile is removed too.
 */
export async function destroyProject(engine: Engine, project: string, opts: ApplyOptions = {}): Promise<DeployResult> {
  const t0 = Date.now();
  const done: Change[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const changes = await destroyOnce(engine, project, opts);
      if (changes.length === 0) break;
      done.push(...changes);
    } catch (e) {
      if (!(e instanceof EngineMoved)) throw e;
      if (attempt >= MAX_ATTEMPTS) throw explainMoved(e, project);
    }
  }
  return { changes: done, durationMs: Date.now() - t0 };
}

async function destroyOnce(engine: Engine, project: string, opts: ApplyOptions): Promise<Change[]> {
  const empty: DockerPlan = { project, networks: [], volumes: [], containers: [], updates: [], warnings: [] };
  const changes = computeChanges(empty, await readActual(engine, project));
  if (changes.length === 0) return changes;
  const docker = engine.client;
  const limit = opts.concurrency ?? 6;
  await pool(changes.filter((c) => c.kind === 'pod'), limit, (ch) => applyPodChange(docker, ch, opts, async () => true));
  // One network that cannot go (foreign containers attached) must not keep the others and the volumes.
  const problems: Problem[] = [];
  for (const ch of changes.filter((c) => c.kind !== 'pod')) {
    opts.onProgress?.({ type: 'change', change: ch, message: '' });
    try {
      if (ch.kind === 'network') await removeNetworks(engine, docker, project, ch.name);
      else await docker.getVolume(ch.name).remove().catch((e: any) => { if (!isNotFound(e)) throw e; });
    } catch (e) {
      if (!(e instanceof DockyardError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    opts.onProgress?.({ type: 'done', change: ch, message: '' });
  }
  if (problems.length) throw new DockyardError(problems, problems.length > 1 ? `the project's containers were removed, but ${problems.length} object(s) could not be:` : undefined);
  return changes;
}

/** The state of one owned container, for `status`. */
export interface ContainerStatus {
  /** Container name. */
  readonly name: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** Docker state. */
  readonly state: string;
  /** Docker's status text (`Up 3 minutes (healthy)`). */
  readonly status: string;
  /** Published ports, `ip:port->port/proto`. */
  readonly ports: string[];
  /** Image. */
  readonly image: string;
}

/** Lists what the project runs. */
export async function projectStatus(engine: Engine, project: string): Promise<ContainerStatus[]> {
  let list: Docker.ContainerInfo[];
  try { list = await engine.get(`/containers/json?all=1&filters=${q({ label: [`${LABELS.project}=${project}`] })}`); } catch (e) { return engineError(engine, e, 'engine'); }
  return list.map((c) => ({
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    object: c.Labels?.[LABELS.object] ?? '?',
    state: c.State,
    status: c.Status,
    image: c.Image,
    ports: (c.Ports ?? []).filter((p) => p.PublicPort).map((p) => `${p.IP}:${p.PublicPort}->${p.PrivatePort}/${p.Type}`).sort(),
  })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Last lines of a container's logs, as text. */
export async function containerLogs(docker: EngineClient, id: string, tail = 20): Promise<string> {
  const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
  // Non-tty logs are multiplexed: 8-byte frame headers before each chunk.
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return (out.length ? Buffer.concat(out) : buf).toString('utf8').trimEnd();
}

/** Waits until every planned container runs (and is healthy when it has a healthcheck); fails naming the first that cannot, with its logs. */
export async function waitReady(engine: Engine, plan: DockerPlan, timeoutMs: number): Promise<void> {
  await waitContainers(engine, plan.containers, timeoutMs);
}

/**
 * How long a container without a healthcheck must stay up (same start, seen by two polls) to count as
 * running: one that crashes right after start is still "running" at the first look.
 */
const MIN_UP_MS = 1000;

async function waitContainers(engine: Engine, containers: readonly ContainerPlan[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(containers.map((c) => c.name));
  // name -> StartedAt and when we first saw it running with that start (our clock: no engine skew).
  const seenUp = new Map<string, { startedAt: string; since: number }>();
  let last = new Map<string, string>();
  while (pending.size) {
    last = new Map();
    for (const name of [...pending]) {
      const c = containers.find((x) => x.name === name)!;
      const info = await engine.get<Docker.ContainerInspectInfo>(`/containers/${encodeURIComponent(name)}/json`).catch((e) => { if (isNotFound(e)) return undefined; throw e; });
      const st = info?.State;
      const health = (st as any)?.Health?.Status as string | undefined;
      if (st?.Running && !st.Restarting && health === 'healthy') { pending.delete(name); continue; }
      if (st?.Running && !st.Restarting && !health) {
        const seen = seenUp.get(name);
        if (seen && seen.startedAt === st.StartedAt && Date.now() - seen.since >= MIN_UP_MS) { pending.delete(name); continue; }
        if (!seen || seen.startedAt !== st.StartedAt) seenUp.set(name, { startedAt: st.StartedAt, since: Date.now() });
        last.set(name, 'is starting');
        continue;
      }
      // A run-to-completion pod (restartPolicy Never/OnFailure) that exited 0 is done, not failed.
      if (st?.Status === 'exited' && st.ExitCode === 0 && (c.restart.name === 'no' || c.restart.name === 'on-failure')) { pending.delete(name); continue; }
      // Gone after we made it: another deploy (or a person) removed it meanwhile; read the engine again.
      if (!info) throw new EngineMoved(`container ${name} was removed meanwhile`, undefined);
      const failed = !st || st.Status === 'exited' || st.Status === 'dead' || st.Restarting || health === 'unhealthy';
      const why = !st ? 'is missing' : health === 'unhealthy' ? 'is unhealthy' : st.Restarting || st.Status === 'exited' ? `exited with code ${st.ExitCode}` : `is ${st.Status}${health ? ` (${health})` : ''}`;
      if (failed) {
        const logs = await containerLogs(engine.client, info.Id).catch(() => '(no logs)');
        // Stopped or replaced by another deploy of the project while we looked: not this spec's failure.
        const again = await engine.get<Docker.ContainerInspectInfo>(`/containers/${encodeURIComponent(name)}/json`).catch(() => undefined);
        if (again?.Id !== info.Id || again.State?.Status === 'removing') throw new EngineMoved(`container ${name} was removed or replaced meanwhile`, undefined);
        throw new DockyardError({ where: `${c.object} (container ${name})`, message: `${why}; last log lines:\n${indent(logs)}`, fix: 'fix the command, image or probe shown above, then deploy again' });
      }
      last.set(name, why);
    }
    if (!pending.size) return;
    if (Date.now() > deadline) {
      const [name, why] = [...last][0];
      const c = containers.find((x) => x.name === name)!;
      throw new DockyardError({ where: `${c.object} (container ${name})`, message: `not ready after ${Math.round(timeoutMs / 1000)}s: it ${why}; last log lines:\n${indent(await containerLogs(engine.client, name).catch(() => '(no logs)'))}`, fix: 'check its probe and logs, or raise --wait-timeout' });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function indent(text: string): string {
  return (text || '(no output)').split('\n').map((l) => `      ${l}`).join('\n');
}

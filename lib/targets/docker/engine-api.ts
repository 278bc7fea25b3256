/**
 * One typed Engine API over one transport. For a unix socket or plain tcp the transport is a small
 * node:http client (dockerode takes 0.2-0.5 s to load, a third of a first deploy); TLS and ssh hosts
 * go through dockerode's modem, loaded on first use. Image pulls (progress streams) use dockerode.
 *
 * Answers of 300 and more reject with `statusCode` and `json` as dockerode does, so one error table
 * (engine-errors.ts) reads both. The reconciler only sees `EngineApi`: tests give it an in-memory fake.
 */
import * as http from 'node:http';
import type Docker from 'dockerode';

/** A container as the list call gives it (only what the reconciler reads). */
export interface ContainerSummary {
  readonly id: string;
  /** Name without the leading `/`; '' while the engine removes it. */
  readonly name: string;
  readonly labels: Record<string, string>;
  /** created, running, exited, restarting, paused, dead, removing. */
  readonly state: string;
  readonly image: string;
  readonly ports: ReadonlyArray<{ readonly IP?: string; readonly PublicPort?: number; readonly Type: string }>;
}

/** One entry of `State.Health.Log`. */
export interface HealthLogEntry { readonly ExitCode: number; readonly Output: string; readonly End?: string }

/** The parts of `GET /containers/{id}/json` the reconciler reads. */
export interface ContainerInspect {
  readonly Id: string;
  readonly Name: string;
  readonly Config: { readonly Labels?: Record<string, string> | null; readonly Image?: string };
  readonly State: {
    readonly Status: string; readonly Running: boolean; readonly Restarting: boolean; readonly ExitCode: number; readonly StartedAt: string;
    readonly Health?: { readonly Status: string; readonly Log?: HealthLogEntry[] | null };
  };
  /** Host port bindings, as created (`"80/tcp": [{ HostIp, HostPort }]`). */
  readonly HostConfig?: { readonly PortBindings?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null };
}

/** A network as listed. */
export interface NetworkSummary { readonly id: string; readonly name: string; readonly labels: Record<string, string>; readonly created: string }
/** A volume as listed. */
export interface VolumeSummary { readonly name: string; readonly labels: Record<string, string> }

/** Label filters, as the engine's `filters` query parameter. */
export type Filters = Record<string, string[]>;

/** The Engine API calls Dockyard makes. `Engine` implements it over HTTP; tests implement it in memory. */
export interface EngineApi {
  /** Where it points, for messages. */
  describe(): string;
  /** True when published ports are this machine's ports (a local socket). */
  readonly isLocal: boolean;
  ping(): Promise<void>;
  listContainers(filters?: Filters): Promise<ContainerSummary[]>;
  /** undefined when there is no such container. */
  inspectContainer(idOrName: string): Promise<ContainerInspect | undefined>;
  /** Returns the new id. */
  createContainer(name: string, opts: Docker.ContainerCreateOptions): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `seconds` (the container's StopTimeout when undefined). */
  stopContainer(id: string, seconds?: number): Promise<void>;
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  putArchive(id: string, path: string, tar: Buffer): Promise<void>;
  /** Last `tail` lines of stdout and stderr, as text. */
  containerLogs(id: string, tail: number): Promise<string>;
  listNetworks(filters?: Filters): Promise<NetworkSummary[]>;
  /** Ids of the containers attached, with their names. */
  networkContainers(id: string): Promise<Array<{ id: string; name: string }>>;
  createNetwork(name: string, labels: Record<string, string>): Promise<void>;
  removeNetwork(id: string): Promise<void>;
  listVolumes(filters?: Filters): Promise<VolumeSummary[]>;
  createVolume(name: string, labels: Record<string, string>): Promise<void>;
  removeVolume(name: string): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  /** The id of some image on the engine (for the never-started lock container), undefined when there is none. */
  anyImage(): Promise<string | undefined>;
  /** Pulls an image, reporting milestones (`Pull complete`, ...). */
  pullImage(ref: string, onStatus?: (status: string) => void): Promise<void>;
}

/** One Engine API request: resolves with parsed JSON (else raw bytes) for 2xx, rejects with `statusCode`/`json` otherwise. */
export type Transport = (method: string, apiPath: string, body?: Buffer | object, contentType?: string, timeoutMs?: number) => Promise<any>;

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

/** node:http transport to a unix socket or a plain tcp address. */
export function httpTransport(target: { socketPath?: string; hostname?: string; port?: number }): Transport {
  return (method, apiPath, body, contentType = 'application/json', timeoutMs) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const headers = payload ? { 'content-type': contentType, 'content-length': payload.length } : undefined;
      const req = http.request({ ...target, path: apiPath, method, headers, timeout: timeoutMs }, (res) => {
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
  };
}

/** Transport over dockerode's modem (TLS, ssh): same paths, same error shape. */
function modemTransport(docker: () => Docker): Transport {
  return (method, apiPath, body, contentType = 'application/json') => new Promise((resolve, reject) => {
    const modem = (docker() as any).modem;
    const file = Buffer.isBuffer(body) ? body : undefined;
    modem.dial({
      path: apiPath, method, file, headers: file ? { 'Content-Type': contentType } : undefined,
      options: body && !file ? { _query: {}, _body: body } : { _query: {} },
      statusCodes: { 200: true, 201: true, 204: true }, allowEmpty: true,
    }, (err: any, data: any) => (err ? reject(err) : resolve(data)));
  });
}

const enc = encodeURIComponent;
const filterQuery = (f?: Filters) => (f && Object.keys(f).length ? `filters=${enc(JSON.stringify(f))}` : '');
const stripSlash = (n: string | undefined) => (n ?? '').replace(/^\//, '');

/** Non-tty logs are multiplexed: 8-byte frame headers before each chunk. */
export function demuxLogs(buf: Buffer): string {
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return (out.length ? Buffer.concat(out) : buf).toString('utf8').trimEnd();
}

/** A connection to one engine (`host` as in DOCKER_HOST; undefined = DOCKER_HOST, else the default socket). */
export class Engine implements EngineApi {
  private dockerode?: Docker;
  private readonly light?: { socketPath?: string; hostname?: string; port?: number };
  private readonly transport: Transport;

  constructor(public readonly host: string | undefined = process.env.DOCKER_HOST, transport?: Transport) {
    const h = host ?? '';
    if (!h) this.light = { socketPath: '/var/run/docker.sock' };
    else if (h.startsWith('unix://')) this.light = { socketPath: h.slice(7) || '/var/run/docker.sock' };
    else if (/^tcp:\/\//.test(h) && process.env.DOCKER_TLS_VERIFY !== '1') {
      const u = new URL(h);
      if (u.port !== '2376') this.light = { hostname: u.hostname, port: Number(u.port || 2375) };
    }
    this.transport = transport ?? (this.light ? httpTransport(this.light) : modemTransport(() => this.docker));
  }

  /** The dockerode client (created on first use). */
  get docker(): Docker {
    return (this.dockerode ??= connect(this.host));
  }

  describe(): string {
    return this.host || 'unix:///var/run/docker.sock';
  }

  get isLocal(): boolean {
    return !!this.light?.socketPath;
  }

  /** One raw Engine API call (see Transport). */
  request(method: string, apiPath: string, body?: Buffer | object, contentType?: string, timeoutMs?: number): Promise<any> {
    return this.transport(method, apiPath, body, contentType, timeoutMs);
  }

  /** GET an Engine API path, returning parsed JSON; reads time out after 15 s without an answer. */
  get<T>(apiPath: string): Promise<T> {
    return this.request('GET', apiPath, undefined, undefined, 15000);
  }

  async ping(): Promise<void> { await this.get('/_ping'); }

  async listContainers(filters?: Filters): Promise<ContainerSummary[]> {
    const q = filterQuery(filters);
    const list = await this.get<Docker.ContainerInfo[]>(`/containers/json?all=1${q ? `&${q}` : ''}`);
    return list.map((c) => ({ id: c.Id, name: stripSlash(c.Names?.[0]), labels: c.Labels ?? {}, state: c.State, image: c.Image, ports: (c.Ports ?? []) as ContainerSummary['ports'] }));
  }

  async inspectContainer(idOrName: string): Promise<ContainerInspect | undefined> {
    try { return await this.get<ContainerInspect>(`/containers/${enc(idOrName)}/json`); } catch (e: any) { if (e?.statusCode === 404) return undefined; throw e; }
  }

  async createContainer(name: string, opts: Docker.ContainerCreateOptions): Promise<string> {
    const { name: _n, ...body } = opts as Docker.ContainerCreateOptions & { name?: string };
    return (await this.request('POST', `/containers/create?name=${enc(name)}`, body)).Id;
  }

  async startContainer(id: string): Promise<void> { await this.request('POST', `/containers/${enc(id)}/start`); }
  async stopContainer(id: string, seconds?: number): Promise<void> { await this.request('POST', `/containers/${enc(id)}/stop${seconds === undefined ? '' : `?t=${seconds}`}`); }
  async removeContainer(id: string, o: { force?: boolean; volumes?: boolean } = {}): Promise<void> { await this.request('DELETE', `/containers/${enc(id)}?force=${!!o.force}&v=${!!o.volumes}`); }
  async renameContainer(id: string, name: string): Promise<void> { await this.request('POST', `/containers/${enc(id)}/rename?name=${enc(name)}`); }
  async unpauseContainer(id: string): Promise<void> { await this.request('POST', `/containers/${enc(id)}/unpause`); }
  async putArchive(id: string, p: string, tar: Buffer): Promise<void> { await this.request('PUT', `/containers/${enc(id)}/archive?path=${enc(p)}`, tar, 'application/x-tar'); }

  async containerLogs(id: string, tail: number): Promise<string> {
    const raw = await this.request('GET', `/containers/${enc(id)}/logs?stdout=true&stderr=true&tail=${tail}&follow=false`);
    return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(typeof raw === 'string' ? raw : JSON.stringify(raw)));
  }

  async listNetworks(filters?: Filters): Promise<NetworkSummary[]> {
    const q = filterQuery(filters);
    const list = await this.get<Array<{ Id: string; Name: string; Labels?: Record<string, string> | null; Created: string }>>(`/networks${q ? `?${q}` : ''}`);
    return list.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {}, created: n.Created }));
  }

  async networkContainers(id: string): Promise<Array<{ id: string; name: string }>> {
    const info = await this.get<{ Containers?: Record<string, { Name?: string }> | null }>(`/networks/${enc(id)}`);
    return Object.entries(info.Containers ?? {}).map(([cid, c]) => ({ id: cid, name: c?.Name || cid.slice(0, 12) }));
  }

  async createNetwork(name: string, labels: Record<string, string>): Promise<void> {
    await this.request('POST', '/networks/create', { Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  }

  async removeNetwork(id: string): Promise<void> { await this.request('DELETE', `/networks/${enc(id)}`); }

  async listVolumes(filters?: Filters): Promise<VolumeSummary[]> {
    const q = filterQuery(filters);
    const r = await this.get<{ Volumes: Array<{ Name: string; Labels?: Record<string, string> | null }> | null }>(`/volumes${q ? `?${q}` : ''}`);
    return (r.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<void> { await this.request('POST', '/volumes/create', { Name: name, Labels: labels }); }
  async removeVolume(name: string): Promise<void> { await this.request('DELETE', `/volumes/${enc(name)}`); }

  async imageExists(ref: string): Promise<boolean> {
    // Image references keep their '/' and ':' (the engine routes /images/{name}/json on the raw path).
    try { await this.get(`/images/${ref}/json`); return true; } catch (e: any) { if (e?.statusCode === 404) return false; throw e; }
  }

  async anyImage(): Promise<string | undefined> {
    return (await this.get<Array<{ Id: string }>>('/images/json'))[0]?.Id;
  }

  async pullImage(ref: string, onStatus?: (status: string) => void): Promise<void> {
    const docker = this.docker;
    const stream = await docker.pull(ref);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: any) => (err ? reject(err) : resolve()), (ev: any) => {
      if (ev?.status && /Pulling from|Download complete|Pull complete|Status:/.test(ev.status)) onStatus?.(`${ev.status}${ev.id ? ` ${ev.id}` : ''}`);
    }));
  }
}

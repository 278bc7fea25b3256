/**
 * What differs between a running container (`docker inspect`) and its plan, aspect by aspect (image,
 * command, args, env, ports, mounts, files, healthcheck, resources, labels, restart policy, network,
 * aliases, user, ...), for `diff` and `status`. Pure: the caller reads the engine.
 *
 * Secrets: env values are never shown unless the caller passes `secretValues` (saying it knows every
 * Secret value of the input); even then a value that is a Secret's, or that looks like a credential,
 * is named only. Command, args and healthcheck texts are shown only then too, with Secret values and
 * credential-looking env values masked (`$(VAR)` expansion puts them in the args).
 */
import { secretLiteralReason } from '../../ir/secrets';
import { ContainerPlan, LABELS } from './plan';

type Ports = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>;

/** The parts of `docker inspect` that are compared; a partial document compares only what it holds. */
export interface InspectedSpec {
  readonly Id?: string;
  readonly Name?: string;
  readonly Config: {
    readonly Image?: string; readonly Env?: string[] | null;
    readonly Entrypoint?: string[] | string | null; readonly Cmd?: string[] | string | null;
    readonly Labels?: Record<string, string> | null;
    readonly Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | null;
    readonly User?: string; readonly WorkingDir?: string; readonly Hostname?: string;
    readonly Tty?: boolean; readonly OpenStdin?: boolean; readonly StopTimeout?: number;
    readonly ExposedPorts?: Record<string, unknown> | null;
  };
  readonly HostConfig: {
    readonly PortBindings?: Ports | null;
    readonly Memory?: number; readonly MemoryReservation?: number; readonly NanoCpus?: number; readonly CpuShares?: number;
    readonly NetworkMode?: string; readonly Mounts?: Array<{ Type?: string; Source?: string; Target?: string; ReadOnly?: boolean }> | null;
    readonly RestartPolicy?: { Name?: string; MaximumRetryCount?: number } | null;
    readonly ReadonlyRootfs?: boolean; readonly CapAdd?: string[] | null; readonly CapDrop?: string[] | null;
    readonly Privileged?: boolean; readonly PidMode?: string; readonly IpcMode?: string;
  };
  readonly NetworkSettings?: { readonly Networks?: Record<string, { Aliases?: string[] | null } | null> | null; readonly [other: string]: unknown } | null;
}

/** The config of the image the old container was made from (what it inherited). */
export interface ImageConfig {
  readonly Env?: string[] | null; readonly Labels?: Record<string, string> | null; readonly Entrypoint?: string[] | null; readonly Cmd?: string[] | null;
  readonly ExposedPorts?: Record<string, unknown> | null; readonly User?: string; readonly WorkingDir?: string;
}

/** A file as found in the running container (undefined: not there). */
export interface ActualFile { readonly content: Buffer; readonly mode: number; readonly uid: number; readonly gid: number }

/** Options of `containerChanges`. */
export interface SpecCompareOptions {
  /** Every Secret value of the input: showing values is allowed, except these. @default values are never shown */
  readonly secretValues?: ReadonlySet<string>;
  /** The old container's image config, so inherited env, labels and ports are not reported as removed. @default not known */
  readonly image?: ImageConfig;
  /** The planned files as found in the container, by path. @default files are not compared */
  readonly files?: ReadonlyMap<string, ActualFile | undefined>;
}

/** One changed aspect: a short safe summary (`env GREETING`) and detail lines. */
export interface SpecChange {
  /** `image`, `env`, `command`, `args`, `ports`, `mounts`, `files`, `healthcheck`, `resources`, `labels`, ... */
  readonly aspect: string;
  /** One line, never a value that may be secret. */
  readonly summary: string;
  /** What exactly changed, one line each (values only where allowed). */
  readonly details: readonly string[];
}

const arr = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const list = (xs: readonly string[]) => `[${xs.join(', ')}]`;
const envMap = (env: readonly string[] | null | undefined) => new Map((env ?? []).map((e) => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as [string, string]));
const secs = (ns: number | undefined) => `${(ns ?? 0) / 1e9}s`;

/** Binary sizes for resources (`64MiB`), `none` for no limit. */
function bytes(n: number | undefined): string {
  if (!n) return 'none';
  for (const [u, f] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) if (n >= f && n % f === 0) return `${n / f}${u}`;
  return `${n}B`;
}

/** Masks Secret values and credential-looking env values inside a text. */
function masker(secretValues: ReadonlySet<string>, envs: ReadonlyArray<Map<string, string>>): (s: string) => string {
  const hidden = new Set([...secretValues].filter((v) => v.length >= 4));
  for (const env of envs) for (const [k, v] of env) if (v.length >= 4 && secretLiteralReason(k, v)) hidden.add(v);
  const sorted = [...hidden].sort((a, b) => b.length - a.length);
  return (s) => sorted.reduce((t, v) => t.split(v).join('***'), s);
}

/** Each aspect in which the container differs from its plan, in a fixed order. Pure. */
export function containerChanges(c: ContainerPlan, old: InspectedSpec, opts: SpecCompareOptions = {}): SpecChange[] {
  const out: SpecChange[] = [];
  const add = (aspect: string, summary: string, details: string[] = []) => out.push({ aspect, summary, details });
  const cfg = old.Config;
  const host = old.HostConfig;
  // A whole document from the engine always has NetworkMode; a partial one (recorded, older code) compares only what it holds.
  const complete = host.NetworkMode !== undefined;
  const known = (v: unknown) => v !== undefined || complete;
  const showValues = opts.secretValues !== undefined;
  const oldEnv = envMap(cfg.Env);
  const newEnv = envMap(c.env);
  const mask = masker(opts.secretValues ?? new Set(), [oldEnv, newEnv]);

  if (cfg.Image !== undefined && cfg.Image !== c.image) add('image', `image ${cfg.Image} -> ${c.image}`);

  // env: changed and added names; removed ones only when the image's own env is known (it adds PATH, ...).
  const imageEnv = opts.image ? envMap(opts.image.Env) : undefined;
  const envNames: string[] = [];
  const envDetails: string[] = [];
  const secretish = (k: string, v: string | undefined) => v !== undefined && (opts.secretValues?.has(v) || secretLiteralReason(k, v) !== undefined);
  const show = (k: string, v: string | undefined) => (v === undefined ? '(unset)' : !showValues || secretish(k, v) ? '(hidden)' : JSON.stringify(v));
  for (const [k, v] of newEnv) {
    if (oldEnv.get(k) === v) continue;
    envNames.push(k);
    const before = oldEnv.has(k) ? oldEnv.get(k) : imageEnv?.get(k);
    envDetails.push(showValues && !secretish(k, v) && !secretish(k, before) ? `${k}: ${show(k, before)} -> ${show(k, v)}` : `${k}: ${oldEnv.has(k) ? 'changed' : 'added'} (value not shown${secretish(k, v) || secretish(k, before) ? ': a Secret or credential' : ''})`);
  }
  if (imageEnv) for (const [k, v] of oldEnv) if (!newEnv.has(k) && imageEnv.get(k) !== v) { envNames.push(k); envDetails.push(`${k}: removed`); }
  if (envNames.length) add('env', `env ${envNames.join(', ')}`, showValues ? envDetails : envDetails.map((d) => d.replace(/:.*$/, ': changed (values are never shown here)')));

  // command/args: undefined in the plan = the image's; Docker drops the image's Cmd when Entrypoint is set.
  const words = (xs: string[]) => mask(JSON.stringify(xs));
  const wantEntry = c.entrypoint ?? (opts.image ? arr(opts.image.Entrypoint) : undefined);
  if (wantEntry && known(cfg.Entrypoint) && !same(arr(cfg.Entrypoint), wantEntry)) add('command', 'command', showValues ? [`${words(arr(cfg.Entrypoint))} -> ${words(wantEntry)}`] : []);
  const wantCmd = c.cmd ?? (c.entrypoint ? [] : opts.image ? arr(opts.image.Cmd) : undefined);
  if (wantCmd && known(cfg.Cmd) && !same(arr(cfg.Cmd), wantCmd)) add('args', 'args', showValues ? [`${words(arr(cfg.Cmd))} -> ${words(wantCmd)}`] : []);

  const portText = (b: Ports) => Object.entries(b).flatMap(([k, l]) => (l ?? []).map((x) => `${x.HostIp || '0.0.0.0'}:${x.HostPort}->${k}`)).sort().join(', ');
  const want: Ports = {};
  for (const b of c.ports) (want[`${b.containerPort}/${b.protocol}`] ??= []).push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
  const before = portText(host.PortBindings ?? {});
  if (known(host.PortBindings) && before !== portText(want)) add('ports', `ports [${before}] -> [${portText(want)}]`);

  if (cfg.ExposedPorts !== undefined) {
    const inherited = new Set(Object.keys(opts.image?.ExposedPorts ?? {}));
    const have = Object.keys(cfg.ExposedPorts ?? {}).filter((p) => !inherited.has(p) || c.exposedPorts.includes(p)).sort();
    const wantExposed = c.networkMode ? have : [...c.exposedPorts].filter((p) => !inherited.has(p) || have.includes(p)).sort();
    if (!same(have, wantExposed)) add('exposed ports', 'exposed ports', [`${list(have)} -> ${list(wantExposed)}`]);
  }

  const r = c.resources;
  const res: string[] = [];
  if ((host.Memory || undefined) !== r.memoryBytes) res.push(`memory limit ${bytes(host.Memory)} -> ${bytes(r.memoryBytes)}`);
  if (known(host.MemoryReservation) && (host.MemoryReservation || undefined) !== r.memoryReservationBytes) res.push(`memory request ${bytes(host.MemoryReservation)} -> ${bytes(r.memoryReservationBytes)}`);
  if ((host.NanoCpus || undefined) !== r.nanoCpus) res.push(`cpu limit ${host.NanoCpus ? host.NanoCpus / 1e9 : 'none'} -> ${r.nanoCpus ? r.nanoCpus / 1e9 : 'none'}`);
  if (known(host.CpuShares) && (host.CpuShares || undefined) !== r.cpuShares) res.push(`cpu shares ${host.CpuShares || 'none'} -> ${r.cpuShares ?? 'none'}`);
  if (res.length) add('resources', 'resources', res);

  if (known(host.Mounts)) {
    const m = (x: { Type?: string; Source?: string; Target?: string; ReadOnly?: boolean }) => `${x.Type} ${x.Source || '(anonymous)'} -> ${x.Target}${x.ReadOnly ? ' (read-only)' : ''}`;
    const have = (host.Mounts ?? []).map(m).sort();
    const wantM = c.mounts.map((x) => m({ Type: x.type, Source: x.source, Target: x.target, ReadOnly: x.readOnly })).sort();
    if (!same(have, wantM)) add('mounts', 'mounts', [...wantM.filter((x) => !have.includes(x)).map((x) => `+ ${x}`), ...have.filter((x) => !wantM.includes(x)).map((x) => `- ${x}`)]);
  }

  if (opts.files) {
    const changed: string[] = [];
    const details: string[] = [];
    for (const f of c.files) {
      const a = opts.files.get(f.path);
      const what = !a ? 'missing' : !a.content.equals(Buffer.from(f.contentBase64, 'base64')) ? 'content' : a.mode !== f.mode ? `mode ${a.mode.toString(8)} -> ${f.mode.toString(8)}` : a.uid !== f.uid || a.gid !== f.gid ? `owner ${a.uid}:${a.gid} -> ${f.uid}:${f.gid}` : undefined;
      if (what) { changed.push(f.path); details.push(`${f.path}: ${what}`); }
    }
    if (changed.length) add('files', `files ${changed.join(', ')}`, details);
  }

  const hc = cfg.Healthcheck ?? undefined;
  if (known(cfg.Healthcheck) && !(hc === undefined && !c.healthcheck)) {
    const w = c.healthcheck;
    const d: string[] = [];
    if (!w) d.push('removed');
    else if (!hc) d.push('added');
    else {
      if (!same(hc.Test ?? [], w.test)) d.push(showValues ? `test ${words(hc.Test ?? [])} -> ${words(w.test)}` : 'test');
      if ((hc.Interval ?? 0) !== w.intervalNs) d.push(`interval ${secs(hc.Interval)} -> ${secs(w.intervalNs)}`);
      if ((hc.Timeout ?? 0) !== w.timeoutNs) d.push(`timeout ${secs(hc.Timeout)} -> ${secs(w.timeoutNs)}`);
      if ((hc.StartPeriod ?? 0) !== w.startPeriodNs) d.push(`start period ${secs(hc.StartPeriod)} -> ${secs(w.startPeriodNs)}`);
      if ((hc.Retries ?? 0) !== w.retries) d.push(`retries ${hc.Retries ?? 0} -> ${w.retries}`);
    }
    if (d.length) add('healthcheck', 'healthcheck', d);
  }

  if (cfg.Labels !== undefined) {
    const own = new Set<string>(Object.values(LABELS));
    const inherited = opts.image?.Labels ?? {};
    const have = cfg.Labels ?? {};
    const keys = [...new Set([...Object.keys(have), ...Object.keys(c.labels)])].filter((k) => k !== LABELS.hash).sort();
    const d: string[] = [];
    for (const k of keys) {
      const a = have[k];
      const b = c.labels[k];
      if (a === b || (b === undefined && (inherited[k] === a || !opts.image))) continue;
      d.push(own.has(k) ? `${k}: ${a ?? '(none)'} -> ${b ?? '(none)'}` : `${k}: ${a === undefined ? 'added' : b === undefined ? 'removed' : `${JSON.stringify(a)} -> ${JSON.stringify(b)}`}`);
    }
    if (d.length) add('labels', `labels ${d.map((x) => x.slice(0, x.indexOf(':'))).join(', ')}`, d);
  }

  const rp = host.RestartPolicy;
  if (rp && (rp.Name !== c.restart.name || (rp.MaximumRetryCount ?? 0) !== c.restart.maximumRetryCount)) {
    const fmt = (n?: string, m?: number) => `${n}${n === 'on-failure' && m ? `:${m}` : ''}`;
    add('restart policy', `restart policy ${fmt(rp.Name, rp.MaximumRetryCount)} -> ${fmt(c.restart.name, c.restart.maximumRetryCount)}`);
  }

  const nets = old.NetworkSettings?.Networks;
  if (nets !== undefined && host.NetworkMode !== undefined) {
    const shared = host.NetworkMode.startsWith('container:');
    if (Boolean(c.networkMode) !== shared) add('network', c.networkMode ? 'network: now shares the pod\'s first container\'s network' : 'network: now on its own network');
    else if (!shared && c.network && !Object.keys(nets ?? {}).includes(c.network)) add('network', `network ${Object.keys(nets ?? {}).join(', ') || '(none)'} -> ${c.network}`);
    else if (!shared && c.network) {
      // The engine adds the short id and the container name as aliases by itself.
      const name = (old.Name ?? '').replace(/^\//, '');
      const own = new Set([old.Id?.slice(0, 12), name, c.name, `${c.name}.next`]);
      const have = (nets?.[c.network]?.Aliases ?? []).filter((a) => !own.has(a) || c.aliases.includes(a)).sort();
      const wantA = [...c.aliases].sort();
      if (!same(have, wantA)) add('network aliases', `network aliases ${list(have)} -> ${list(wantA)}`);
    }
  }

  const scalar = (aspect: string, have: unknown, wantV: unknown, fmt: (v: unknown) => string = (v) => JSON.stringify(v ?? '')) => {
    if (have !== undefined && wantV !== undefined && have !== wantV) add(aspect, `${aspect} ${fmt(have)} -> ${fmt(wantV)}`);
  };
  scalar('user', cfg.User, c.user ?? opts.image?.User ?? (complete ? '' : undefined));
  scalar('working dir', cfg.WorkingDir, c.workingDir ?? opts.image?.WorkingDir);
  scalar('hostname', cfg.Hostname, c.networkMode ? undefined : c.hostname);
  scalar('tty', cfg.Tty, c.tty, String);
  scalar('stdin', cfg.OpenStdin, c.openStdin, String);
  scalar('stop grace period', cfg.StopTimeout, c.stopTimeoutSeconds, (v) => `${v}s`);
  scalar('read-only root filesystem', host.ReadonlyRootfs, c.readOnly, String);
  scalar('privileged', host.Privileged, c.privileged, String);
  scalar('pid mode', host.PidMode, host.PidMode === undefined ? undefined : c.pidMode ?? '');
  if (host.IpcMode !== undefined && (host.IpcMode === 'host') !== (c.ipcMode === 'host')) add('ipc mode', `ipc mode ${JSON.stringify(host.IpcMode)} -> ${JSON.stringify(c.ipcMode ?? 'private')}`);
  for (const [aspect, have, wantC] of [['capabilities added', host.CapAdd, c.capAdd], ['capabilities dropped', host.CapDrop, c.capDrop]] as const) {
    if (known(have) && !same([...(have ?? [])].sort(), [...wantC].sort())) add(aspect, `${aspect} ${list([...(have ?? [])].sort())} -> ${list([...wantC].sort())}`);
  }
  return out;
}

/**
 * The changed aspects as short lines (`image a -> b`, `env GREETING`, `healthcheck`), for `status`
 * and `diff`. When nothing visible differs: `files or other settings` if files were not read, else
 * what that means (the spec hash was computed by another Dockyard version). Pure.
 */
export function specDifferences(c: ContainerPlan, old: InspectedSpec, opts: SpecCompareOptions = {}): string[] {
  const list = containerChanges(c, old, opts).map((x) => x.summary);
  if (list.length) return list;
  return [opts.files ? 'no setting differs, only the spec hash (it was planned by another Dockyard version)' : 'files or other settings'];
}

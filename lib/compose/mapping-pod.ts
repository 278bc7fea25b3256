/**
 * Pod-level compose keys that have a Kubernetes field WebApp has no prop for: each a small pure
 * function returning plain Kubernetes JSON (what the pod spec holds) plus notes. `PodExtras` gathers
 * them; `pod-extras.ts` writes them into the workload.
 */
import { dropUndefined, Mapped, Note, parseBytes, parseDuration, memoryQuantity } from './mapping-units';

/** Compose's stop timeout when `stop_grace_period` is unset (Docker's default for `docker stop`). */
export const COMPOSE_STOP_GRACE_SECONDS = 10;

/** `stop_grace_period` -> terminationGracePeriodSeconds (compose's 10 s when unset, not Kubernetes' 30 s). */
export function mapStopGracePeriod(v: string | number | undefined): Mapped<number> {
  if (v === undefined) return { value: COMPOSE_STOP_GRACE_SECONDS, notes: [] };
  const d = parseDuration(v);
  if (d === undefined) return { value: COMPOSE_STOP_GRACE_SECONDS, notes: [], errors: [{ key: ['stop_grace_period'], message: `"${v}" is not a duration like 30s`, fix: 'write a duration with units, like 10s or 1m30s' }] };
  const whole = Math.ceil(d);
  return { value: whole, notes: whole !== d ? [{ key: ['stop_grace_period'], message: `the grace period is whole seconds; ${v} becomes ${whole}s` }] : [] };
}

/** One pod host alias, as the Kubernetes type. */
export interface HostAlias { readonly ip: string; readonly hostnames: string[] }

/**
 * `extra_hosts` (list `host:ip` / `host=ip`, or a dict) -> hostAliases, one entry per IP with its
 * names in order. `host-gateway` (Docker's host address) has no pod equivalent and is dropped.
 */
export function mapExtraHosts(v: readonly string[] | Record<string, string | string[]> | undefined): Mapped<HostAlias[] | undefined> {
  const notes: Note[] = [];
  const errors: Note[] = [];
  const pairs: Array<[string, string, (string | number)[]]> = [];
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      const text = String(e);
      const eq = text.indexOf('=');
      const colon = text.indexOf(':');
      const cut = eq >= 0 ? eq : colon;
      if (cut <= 0) { errors.push({ key: ['extra_hosts', i], message: `"${text}" is not host:ip or host=ip`, fix: 'write the entry like "somehost:162.242.195.82" or "somehost=::1"' }); return; }
      pairs.push([text.slice(0, cut), text.slice(cut + 1), ['extra_hosts', i]]);
    });
  } else if (v) {
    for (const [host, ip] of Object.entries(v)) for (const one of Array.isArray(ip) ? ip : [ip]) pairs.push([host, String(one), ['extra_hosts', host]]);
  }
  const byIp = new Map<string, string[]>();
  for (const [host, rawIp, key] of pairs) {
    const ip = rawIp.replace(/^\[(.*)\]$/, '$1');
    if (ip === 'host-gateway') { notes.push({ key, message: `"${host}" points at host-gateway (the Docker host's address), which a pod has no name for; it is dropped (use the node's address, or a Service)` }); continue; }
    if (!/^[0-9.]+$/.test(ip) && !ip.includes(':')) { errors.push({ key, message: `"${rawIp}" of ${host} is not an IP address`, fix: 'give an IPv4 or IPv6 address, like 10.0.0.5' }); continue; }
    byIp.set(ip, [...(byIp.get(ip) ?? []), host]);
  }
  const value = [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
  return { value: value.length ? value : undefined, notes, errors };
}

/** The pod DNS settings, as the Kubernetes type. */
export interface DnsConfig { readonly nameservers?: string[]; readonly searches?: string[]; readonly options?: Array<{ name: string; value?: string }> }

const asList = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * `dns`, `dns_search`, `dns_opt` -> dnsConfig. The pod keeps the cluster DNS first (dnsPolicy
 * ClusterFirst) so Service names still resolve; compose's servers are added after it.
 */
export function mapDns(dns: string | string[] | undefined, search: string | string[] | undefined, opts: string[] | undefined): Mapped<DnsConfig | undefined> {
  const notes: Note[] = [];
  const nameservers = asList(dns);
  const searches = asList(search);
  const options = asList(opts).map((o) => { const [name, ...rest] = o.split(':'); return dropUndefined({ name, value: rest.length ? rest.join(':') : undefined }); });
  if (nameservers.length) notes.push({ key: ['dns'], message: 'the cluster DNS stays the pod\'s first name server (so Service names resolve); these servers are added after it' });
  if (nameservers.length > 3) notes.push({ key: ['dns'], message: `a pod has at most 3 name servers; ${nameservers.slice(3).join(', ')} ${nameservers.length > 4 ? 'are' : 'is'} dropped` });
  if (!nameservers.length && !searches.length && !options.length) return { value: undefined, notes };
  const value = {
    nameservers: nameservers.length ? nameservers.slice(0, 3) : undefined,
    searches: searches.length ? searches : undefined,
    options: options.length ? options : undefined,
  };
  return { value: dropUndefined(value), notes };
}

/** `group_add` -> supplementalGroups (numeric); group names only the image knows are noted and dropped. */
export function mapGroupAdd(v: ReadonlyArray<string | number> | undefined): Mapped<number[] | undefined> {
  const notes: Note[] = [];
  const out: number[] = [];
  (v ?? []).forEach((g, i) => {
    if (/^\d+$/.test(String(g))) out.push(Number(g));
    else notes.push({ key: ['group_add', i], message: `Kubernetes needs numeric group IDs; "${g}" is a name only the image knows, so it is dropped (write its GID, like 999)` });
  });
  return { value: out.length ? out : undefined, notes };
}

/** `sysctls` (list `a.b=c` or dict) -> securityContext.sysctls. */
export function mapSysctls(v: readonly string[] | Record<string, string | number> | undefined): Mapped<Array<{ name: string; value: string }> | undefined> {
  const notes: Note[] = [];
  const errors: Note[] = [];
  const out: Array<{ name: string; value: string }> = [];
  if (Array.isArray(v)) {
    v.forEach((e, i) => {
      const [name, ...rest] = String(e).split('=');
      if (!name || !rest.length) errors.push({ key: ['sysctls', i], message: `"${e}" is not name=value`, fix: 'write the sysctl like "net.core.somaxconn=1024"' });
      else out.push({ name: name.trim(), value: rest.join('=').trim() });
    });
  } else if (v) {
    for (const [name, value] of Object.entries(v)) out.push({ name, value: String(value) });
  }
  if (out.length) notes.push({ key: ['sysctls'], message: 'Kubernetes allows only "safe" sysctls by default (net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, ...); others need the kubelet\'s --allowed-unsafe-sysctls on the node' });
  return { value: out.length ? out : undefined, notes, errors };
}

/** `shm_size` -> the size of an in-memory emptyDir mounted at /dev/shm. */
export function mapShmSize(v: string | number | undefined): Mapped<string | undefined> {
  if (v === undefined) return { value: undefined, notes: [] };
  const b = parseBytes(v);
  if (b === undefined || b <= 0) return { value: undefined, notes: [], errors: [{ key: ['shm_size'], message: `"${v}" is not a size like 64m or 1g`, fix: 'write a number with a unit b, k, m or g, like 256m' }] };
  return { value: memoryQuantity(b), notes: [] };
}

/** `pull_policy` -> imagePullPolicy. */
export function mapPullPolicy(v: string | undefined): Mapped<'Always' | 'IfNotPresent' | 'Never' | undefined> {
  if (v === undefined) return { value: undefined, notes: [] };
  const table: Record<string, 'Always' | 'IfNotPresent' | 'Never'> = { always: 'Always', never: 'Never', missing: 'IfNotPresent', if_not_present: 'IfNotPresent' };
  if (table[v]) return { value: table[v], notes: [] };
  if (v === 'build') return { value: 'IfNotPresent', notes: [{ key: ['pull_policy'], message: 'Kubernetes does not build images; "build" becomes IfNotPresent (push the built image where the cluster can pull it)' }] };
  if (/^(daily|weekly|every_\w+)$/.test(v)) return { value: 'Always', notes: [{ key: ['pull_policy'], message: `Kubernetes has no pull schedule; "${v}" becomes Always (a pull on every start)` }] };
  return { value: undefined, notes: [], errors: [{ key: ['pull_policy'], message: `"${v}" is not a pull policy`, fix: 'write always, never, missing, build, daily, weekly or every_<duration>' }] };
}

/** `platform: linux/arm64/v8` -> a node selector on kubernetes.io/os and kubernetes.io/arch. */
export function mapPlatform(v: string | undefined): Mapped<Record<string, string> | undefined> {
  if (!v) return { value: undefined, notes: [] };
  const [os, arch, variant] = v.split('/');
  const notes: Note[] = variant ? [{ key: ['platform'], message: `node labels have no CPU variant; "${variant}" is dropped` }] : [];
  const archName = arch ? ({ x86_64: 'amd64', aarch64: 'arm64' } as Record<string, string>)[arch] ?? arch : undefined;
  return { value: dropUndefined({ 'kubernetes.io/os': os || undefined, 'kubernetes.io/arch': archName }) as Record<string, string>, notes };
}

/** The host namespaces a pod shares, as pod spec fields. */
export interface HostNamespaces { readonly hostNetwork?: boolean; readonly hostIPC?: boolean; readonly hostPID?: boolean }

/**
 * `network_mode`, `ipc`, `pid` -> hostNetwork/hostIPC/hostPID for `host` (the policy still judges
 * them). `service:X` network modes are handled by the plan (one pod); the rest is noted.
 */
export function mapHostNamespaces(s: { network_mode?: string; ipc?: string; pid?: string }): Mapped<HostNamespaces> {
  const notes: Note[] = [];
  const out: { hostNetwork?: boolean; hostIPC?: boolean; hostPID?: boolean } = {};
  const nm = s.network_mode;
  if (nm === 'host') out.hostNetwork = true;
  else if (nm === 'none') notes.push({ key: ['network_mode'], message: 'a pod always has a network interface; network_mode "none" is dropped (a NetworkPolicy denying all traffic comes close)' });
  else if (nm?.startsWith('container:')) notes.push({ key: ['network_mode'], message: `Kubernetes cannot join a container outside the pod; "${nm}" is dropped (make it a service of this project and use service:<name>)` });
  else if (nm !== undefined && nm !== 'bridge' && nm !== 'default' && !nm.startsWith('service:')) notes.push({ key: ['network_mode'], message: `pods share one cluster network; network_mode "${nm}" is dropped` });
  if (s.ipc === 'host') out.hostIPC = true;
  else if (s.ipc !== undefined && s.ipc !== 'private' && s.ipc !== 'shareable') notes.push({ key: ['ipc'], message: `containers of one pod share IPC already; ipc "${s.ipc}" is dropped` });
  if (s.pid === 'host') out.hostPID = true;
  else if (s.pid !== undefined) notes.push({ key: ['pid'], message: `pid "${s.pid}" has no Kubernetes equivalent beyond one pod (shareProcessNamespace); it is dropped` });
  return { value: out, notes };
}

/** What `security_opt` sets on the container's securityContext. */
export interface SecurityOpts {
  readonly allowPrivilegeEscalation?: boolean;
  readonly seccompProfile?: { type: 'Unconfined' | 'RuntimeDefault' | 'Localhost'; localhostProfile?: string };
  readonly appArmorProfile?: { type: 'Unconfined' | 'RuntimeDefault' | 'Localhost'; localhostProfile?: string };
  readonly seLinuxOptions?: { user?: string; role?: string; type?: string; level?: string };
}

/** `security_opt` -> no-new-privileges, seccomp, AppArmor and SELinux fields of the container. */
export function mapSecurityOpt(v: readonly string[] | undefined): Mapped<SecurityOpts | undefined> {
  const notes: Note[] = [];
  const out: { -readonly [K in keyof SecurityOpts]: SecurityOpts[K] } = {};
  const se: Record<string, string> = {};
  (v ?? []).forEach((raw, i) => {
    const key = ['security_opt', i];
    const text = String(raw);
    const cut = text.search(/[=:]/);
    const name = cut < 0 ? text : text.slice(0, cut);
    const value = cut < 0 ? '' : text.slice(cut + 1);
    if (name === 'no-new-privileges') { out.allowPrivilegeEscalation = value === 'false' ? undefined : false; return; }
    if (name === 'seccomp' || name === 'apparmor') {
      const profile = value === 'unconfined' ? { type: 'Unconfined' as const } : value === 'runtime/default' || value === 'docker-default' ? { type: 'RuntimeDefault' as const } : { type: 'Localhost' as const, localhostProfile: value.split('/').pop() };
      if (profile.type === 'Localhost') notes.push({ key, message: `${name} profile "${value}" becomes a Localhost profile "${profile.localhostProfile}" that must be installed on each node` });
      if (name === 'seccomp') out.seccompProfile = profile; else out.appArmorProfile = profile;
      return;
    }
    if (name === 'label') {
      const [k, ...rest] = value.split(':');
      if (['user', 'role', 'type', 'level'].includes(k) && rest.length) se[k] = rest.join(':');
      else notes.push({ key, message: `SELinux option "${value}" has no seLinuxOptions field; it is dropped` });
      return;
    }
    notes.push({ key, message: `security option "${text}" has no Kubernetes field; it is dropped` });
  });
  if (Object.keys(se).length) out.seLinuxOptions = se;
  return { value: Object.keys(out).length ? dropUndefined(out) : undefined, notes };
}

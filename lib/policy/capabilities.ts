/**
 * The Linux capability table the guards decide by. Sources: Docker's default capability set (moby
 * `oci/caps/defaults.go`), the Pod Security Standards (baseline may add only the Docker defaults minus
 * NET_RAW; restricted must drop ALL and may add only NET_BIND_SERVICE), kube-linter (SYS_ADMIN is
 * privilege escalation, NET_RAW should be dropped) and capabilities(7) for what each one reaches.
 * docs/security.md shows this table; a test keeps the two in step.
 */

/** What adding a capability means. */
export type CapabilityVerdict =
  /** In Docker's default set and the Pod Security baseline: nothing beyond a plain container. */
  | 'default'
  /** Outside the baseline but confined to the container (NET_RAW, IPC_LOCK, ...): a warning. */
  | 'extra'
  /** Reaches the host kernel, devices or other processes: an error, `--allow-privileged` on Docker. */
  | 'host-root';

/** One row of the table. */
export interface CapabilityInfo {
  /** Canonical name, without `CAP_`, upper case. */
  readonly name: string;
  /** In Docker's default set (what a container gets without `capabilities.add`). */
  readonly dockerDefault: boolean;
  /** Allowed by Pod Security baseline in `capabilities.add`. */
  readonly baseline: boolean;
  /** The guards' verdict when it is added. */
  readonly verdict: CapabilityVerdict;
  /** Why, in a few words. */
  readonly why: string;
}

const row = (name: string, dockerDefault: boolean, baseline: boolean, verdict: CapabilityVerdict, why: string): CapabilityInfo => ({ name, dockerDefault, baseline, verdict, why });

/** Every Linux capability (capabilities(7), kernel 6.x), plus `ALL`, in alphabetical order. */
export const CAPABILITIES: readonly CapabilityInfo[] = [
  row('ALL', false, false, 'host-root', 'every capability: as good as privileged'),
  row('AUDIT_CONTROL', false, false, 'host-root', 'changes the host\'s kernel audit rules'),
  row('AUDIT_READ', false, false, 'extra', 'reads the host audit log over netlink'),
  row('AUDIT_WRITE', true, true, 'default', 'writes audit log records'),
  row('BLOCK_SUSPEND', false, false, 'extra', 'can keep the host from suspending'),
  row('BPF', false, false, 'host-root', 'loads BPF programs into the host kernel'),
  row('CHECKPOINT_RESTORE', false, false, 'extra', 'checkpoint/restore of processes'),
  row('CHOWN', true, true, 'default', 'changes file owners inside the container'),
  row('DAC_OVERRIDE', true, true, 'default', 'bypasses file permissions inside the container'),
  row('DAC_READ_SEARCH', false, false, 'host-root', 'open_by_handle_at reads any host file (the "shocker" escape)'),
  row('FOWNER', true, true, 'default', 'bypasses owner checks inside the container'),
  row('FSETID', true, true, 'default', 'keeps setuid bits when files change'),
  row('IPC_LOCK', false, false, 'extra', 'locks memory (can starve the host)'),
  row('IPC_OWNER', false, false, 'extra', 'bypasses System V IPC permissions'),
  row('KILL', true, true, 'default', 'signals processes in the container'),
  row('LEASE', false, false, 'extra', 'takes file leases'),
  row('LINUX_IMMUTABLE', false, false, 'extra', 'sets immutable and append-only file flags'),
  row('MAC_ADMIN', false, false, 'host-root', 'changes the host\'s AppArmor/SELinux policy'),
  row('MAC_OVERRIDE', false, false, 'host-root', 'bypasses AppArmor/SELinux'),
  row('MKNOD', true, true, 'default', 'creates device files; with a host device mounted it reaches the device (an error then)'),
  row('NET_ADMIN', false, false, 'host-root', 'reconfigures networking (the host\'s with host networking), sniffs and redirects traffic'),
  row('NET_BIND_SERVICE', true, true, 'default', 'binds ports below 1024'),
  row('NET_BROADCAST', false, false, 'extra', 'broadcasts and multicasts'),
  row('NET_RAW', true, false, 'extra', 'raw sockets: spoofing and ARP tricks on the network (Docker grants it; baseline and kube-linter say drop it)'),
  row('PERFMON', false, false, 'host-root', 'perf events read host kernel memory'),
  row('SETFCAP', true, true, 'default', 'sets file capabilities'),
  row('SETGID', true, true, 'default', 'changes group IDs'),
  row('SETPCAP', true, true, 'default', 'changes its own capability sets'),
  row('SETUID', true, true, 'default', 'changes user IDs'),
  row('SYSLOG', false, false, 'host-root', 'reads and clears the host kernel log (kernel addresses)'),
  row('SYS_ADMIN', false, false, 'host-root', 'mount, namespaces, cgroups: as good as privileged'),
  row('SYS_BOOT', false, false, 'host-root', 'reboots the host, loads a new kernel'),
  row('SYS_CHROOT', true, true, 'default', 'chroot'),
  row('SYS_MODULE', false, false, 'host-root', 'loads kernel modules into the host'),
  row('SYS_NICE', false, false, 'extra', 'raises priorities (can starve the host)'),
  row('SYS_PACCT', false, false, 'host-root', 'switches the host\'s process accounting'),
  row('SYS_PTRACE', false, false, 'host-root', 'traces and injects into other processes (the host\'s with hostPID)'),
  row('SYS_RAWIO', false, false, 'host-root', 'raw I/O ports and /dev/mem on the host'),
  row('SYS_RESOURCE', false, false, 'extra', 'overrides resource limits and quotas'),
  row('SYS_TIME', false, false, 'host-root', 'sets the host clock (not namespaced)'),
  row('SYS_TTY_CONFIG', false, false, 'extra', 'configures terminals'),
  row('WAKE_ALARM', false, false, 'extra', 'sets wake-up alarms'),
];

const BY_NAME = new Map(CAPABILITIES.map((c) => [c.name, c]));

/** The canonical name of a capability as written: `cap_sys_admin`, `CAP_SYS_ADMIN`, ` Sys_Admin ` -> `SYS_ADMIN`. */
export function canonicalCapability(written: unknown): string {
  return String(written).trim().toUpperCase().replace(/^CAP_/, '');
}

/** The table row of a capability as written (any case, with or without `CAP_`), or undefined for a name Linux does not have. */
export function capabilityInfo(written: unknown): CapabilityInfo | undefined {
  return BY_NAME.get(canonicalCapability(written));
}

/** The closest capability name to an unknown one, for a did-you-mean. */
export function nearestCapability(written: unknown): string | undefined {
  const name = canonicalCapability(written);
  const parts = name.split(/[_\s-]+/).filter(Boolean);
  return CAPABILITIES.find((c) => c.name.replace(/_/g, '') === name.replace(/[_\s-]/g, ''))?.name
    ?? CAPABILITIES.find((c) => parts.length > 0 && parts.every((p) => c.name.includes(p)))?.name;
}

/** A capabilities list as written: a list, or one name (a common mistake the schema check reports). */
export function capabilityList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

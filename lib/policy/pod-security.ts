import { asList, asMap, getIn } from '../core/json';
import { containerLabel, ContainerAt, PodSpecAt } from '../ir/pod-spec';
import { canonicalCapability, capabilityList, CAPABILITIES } from './capabilities';
import { workloadOf } from './run-cache';
import { FieldPath, PolicyRule, RuleHit } from './types';

/**
 * The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards, v1.33) as a
 * policy rule, for `dockyard lint --pod-security baseline|restricted`. Every control of both levels is
 * checked, on every container list (init and ephemeral included); `POD_SECURITY_CONTROLS` names them.
 */

/** A Pod Security Standards level. */
export type PodSecurityLevel = 'baseline' | 'restricted';

/** The levels, for flag checking. */
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['baseline', 'restricted'];

/** The controls checked, per level (restricted includes baseline's). */
export const POD_SECURITY_CONTROLS: Readonly<Record<PodSecurityLevel, readonly string[]>> = {
  baseline: ['HostProcess', 'Host Namespaces', 'Privileged Containers', 'Capabilities', 'HostPath Volumes', 'Host Ports', 'AppArmor', 'SELinux', '/proc Mount Type', 'Seccomp', 'Sysctls'],
  restricted: ['Volume Types', 'Privilege Escalation', 'Running as Non-root', 'Running as Non-root user', 'Seccomp', 'Capabilities'],
};

/** Capabilities baseline allows in `capabilities.add`: Docker's defaults without NET_RAW. */
const BASELINE_CAPS = new Set(CAPABILITIES.filter((c) => c.baseline).map((c) => c.name));
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

type Hit = (control: string, message: string, path: FieldPath) => void;

/** The security contexts of a pod: the pod's, then each container's, with who they belong to. */
function contexts(pod: PodSpecAt, containers: readonly ContainerAt[]): { who: string; sc: Record<string, unknown>; path: FieldPath }[] {
  return [
    { who: 'the pod', sc: asMap(pod.spec.securityContext) ?? {}, path: [...pod.path, 'securityContext'] },
    ...containers.map((c) => ({ who: containerLabel(c), sc: asMap(c.container.securityContext) ?? {}, path: [...c.path, 'securityContext'] })),
  ];
}

function baseline(pod: PodSpecAt, containers: readonly ContainerAt[], hit: Hit): void {
  const all = contexts(pod, containers);
  for (const { who, sc, path } of all) {
    if (getIn(sc, ['windowsOptions', 'hostProcess']) === true) hit('HostProcess', `${who} sets windowsOptions.hostProcess`, [...path, 'windowsOptions', 'hostProcess']);
    const apparmor = getIn(sc, ['appArmorProfile', 'type']);
    if (apparmor !== undefined && apparmor !== 'RuntimeDefault' && apparmor !== 'Localhost') hit('AppArmor', `${who} sets appArmorProfile type ${String(apparmor)}`, [...path, 'appArmorProfile', 'type']);
    const se = asMap(sc.seLinuxOptions);
    if (se) {
      if (se.type !== undefined && !SELINUX_TYPES.has(String(se.type))) hit('SELinux', `${who} sets seLinuxOptions.type ${String(se.type)}`, [...path, 'seLinuxOptions', 'type']);
      for (const k of ['user', 'role']) if (se[k] !== undefined && se[k] !== '') hit('SELinux', `${who} sets seLinuxOptions.${k}`, [...path, 'seLinuxOptions', k]);
    }
    if (getIn(sc, ['seccompProfile', 'type']) === 'Unconfined') hit('Seccomp', `${who} sets seccompProfile type Unconfined`, [...path, 'seccompProfile', 'type']);
  }
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod.spec[flag] === true) hit('Host Namespaces', `the pod sets ${flag}: true`, [...pod.path, flag]);
  asList(pod.spec.volumes).forEach((v, i) => { if (asMap(v)?.hostPath !== undefined) hit('HostPath Volumes', `volume "${String(getIn(v, ['name']))}" is a hostPath (${String(getIn(v, ['hostPath', 'path']))}; a node path cannot be resolved at lint time)`, [...pod.path, 'volumes', i, 'hostPath']); });
  asList(getIn(pod.spec, ['securityContext', 'sysctls'])).forEach((s, i) => {
    const name = getIn(s, ['name']);
    if (!SAFE_SYSCTLS.has(String(name))) hit('Sysctls', `the pod sets sysctl ${String(name)}, which is not in the safe set`, [...pod.path, 'securityContext', 'sysctls', i, 'name']);
  });
  for (const [key, value] of Object.entries(pod.annotations)) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value !== 'runtime/default' && !value.startsWith('localhost/')) hit('AppArmor', `annotation ${key} is "${value}"`, [...pod.metadataPath, 'annotations', key]);
  }
  for (const c of containers) {
    const sc = asMap(c.container.securityContext) ?? {};
    const at = [...c.path, 'securityContext'];
    if (sc.privileged === true) hit('Privileged Containers', `${containerLabel(c)} is privileged`, [...at, 'privileged']);
    for (const cap of capabilityList(getIn(sc, ['capabilities', 'add']))) {
      if (!BASELINE_CAPS.has(canonicalCapability(cap))) hit('Capabilities', `${containerLabel(c)} adds ${canonicalCapability(cap)}`, [...at, 'capabilities', 'add']);
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default') hit('/proc Mount Type', `${containerLabel(c)} sets procMount ${String(sc.procMount)}`, [...at, 'procMount']);
    asList(c.container.ports).forEach((p, i) => {
      const hostPort = getIn(p, ['hostPort']);
      if (hostPort !== undefined && hostPort !== 0) hit('Host Ports', `${containerLabel(c)} uses hostPort ${String(hostPort)}`, [...c.path, 'ports', i, 'hostPort']);
    });
  }
}

function restricted(pod: PodSpecAt, containers: readonly ContainerAt[], hit: Hit): void {
  asList(pod.spec.volumes).forEach((v, i) => {
    const type = Object.keys(asMap(v) ?? {}).find((k) => k !== 'name');
    if (type !== undefined && type !== 'hostPath' && !RESTRICTED_VOLUMES.has(type)) hit('Volume Types', `volume "${String(getIn(v, ['name']))}" is of type ${type}`, [...pod.path, 'volumes', i, type]);
  });
  const podSc = asMap(pod.spec.securityContext) ?? {};
  const podSeccomp = getIn(podSc, ['seccompProfile', 'type']);
  if (podSc.runAsUser === 0) hit('Running as Non-root user', 'the pod sets runAsUser: 0', [...pod.path, 'securityContext', 'runAsUser']);
  for (const c of containers) {
    const sc = asMap(c.container.securityContext) ?? {};
    const at = [...c.path, 'securityContext'];
    if (sc.allowPrivilegeEscalation !== false) hit('Privilege Escalation', `${containerLabel(c)} does not set allowPrivilegeEscalation: false`, at);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) hit('Running as Non-root', `${containerLabel(c)} does not run with runAsNonRoot: true (on it or the pod)`, at);
    if (sc.runAsUser === 0) hit('Running as Non-root user', `${containerLabel(c)} sets runAsUser: 0`, [...at, 'runAsUser']);
    const seccomp = getIn(sc, ['seccompProfile', 'type']) ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && seccomp !== 'Unconfined') hit('Seccomp', `${containerLabel(c)} has no seccompProfile RuntimeDefault or Localhost (on it or the pod)`, at);
    const caps = asMap(sc.capabilities) ?? {};
    if (!capabilityList(caps.drop).some((d) => canonicalCapability(d) === 'ALL')) hit('Capabilities', `${containerLabel(c)} does not drop ALL capabilities`, at);
    for (const cap of capabilityList(caps.add)) {
      const name = canonicalCapability(cap);
      if (name !== 'NET_BIND_SERVICE' && BASELINE_CAPS.has(name)) hit('Capabilities', `${containerLabel(c)} adds ${name}; restricted allows only NET_BIND_SERVICE`, [...at, 'capabilities', 'add']);
    }
  }
}

const FIXES: Record<string, string> = {
  'Capabilities': 'set securityContext.capabilities.drop: [ALL] and add only NET_BIND_SERVICE',
  'Seccomp': 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
  'Privilege Escalation': 'set securityContext.allowPrivilegeEscalation: false',
  'Running as Non-root': 'set securityContext.runAsNonRoot: true on the pod (and an image with a non-root USER or a runAsUser)',
  'Running as Non-root user': 'set runAsUser to a non-zero UID',
  'HostPath Volumes': 'use a ConfigMap, Secret, emptyDir or PersistentVolumeClaim instead of the host path',
  'Volume Types': 'use configMap, secret, emptyDir, projected, downwardAPI, persistentVolumeClaim, csi or ephemeral volumes',
};

/** The rule holding every pod to `level` (severity error: the user asked for the level). */
export function podSecurityRule(level: PodSecurityLevel): PolicyRule {
  return {
    id: `pod-security-${level}`,
    appliesTo: 'pod-spec',
    severity: 'error',
    summary: `pod breaks a Pod Security Standards "${level}" control (${(level === 'baseline' ? POD_SECURITY_CONTROLS.baseline : [...POD_SECURITY_CONTROLS.baseline, ...POD_SECURITY_CONTROLS.restricted]).join(', ')})`,
    fix: `remove the field or set it to a value the "${level}" level allows (kubernetes.io/docs/concepts/security/pod-security-standards)`,
    check: (obj) => {
      const w = workloadOf(obj);
      if (!w) return [];
      const out: RuleHit[] = [];
      const hit: Hit = (control, message, path) => out.push({ message: `[${control}] ${message}`, path, fix: `${FIXES[control] ?? 'remove the field or use a value the level allows'} (Pod Security "${level}")` });
      baseline(w.pod, w.all, hit);
      if (level === 'restricted') restricted(w.pod, w.all, hit);
      return out;
    },
  };
}

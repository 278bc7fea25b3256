import { KubeObject } from '../core/manifests';
import { asMap, getIn } from '../core/json';
import { ContainerAt, containerLabel, PodSpecAt } from '../ir/pod-spec';
import { capabilityInfo, capabilityList, canonicalCapability, nearestCapability } from './capabilities';
import { HostFacts, HostPathView, isDevicePath, owningFolderOf, resolution, socketOf, unresolvedNote, viewHostPath, sensitiveHostPathOf } from '../ir/host-paths';
import { hostPathsOf, workloadOf } from './run-cache';
import { PolicyRule, RuleHit } from './types';

/**
 * The guards: rules about what hands over the host (the engine socket, privileged containers,
 * host-root capabilities, writable host folders). Ordinary policy rules, so `lint` and synth report
 * them; the Docker planner runs the same rules with the facts of the host it deploys to and refuses
 * their findings unless the matching `--allow-*` flag is given (see `DOCKER_GUARDS`).
 */

/** The host paths of an object with what the host makes of them (`set.host`; lint has no host). */
function hostPathViews(obj: KubeObject, facts: HostFacts | undefined): HostPathView[] {
  const paths = hostPathsOf(obj);
  return paths.length ? paths.map((p) => viewHostPath(p, facts)) : paths as HostPathView[];
}

/** `volume "data"`, or `PersistentVolume "pv"` for a PV's own path. */
function volumeLabel(obj: KubeObject, v: HostPathView): string {
  return obj.kind === 'PersistentVolume' ? `PersistentVolume "${v.volume}"` : `volume "${v.volume}"`;
}

export const dockerSocket: PolicyRule = {
  id: 'docker-socket',
  severity: 'error',
  summary: 'host path exposes a container engine socket (docker.sock, containerd, podman, CRI-O) or a folder holding one (/run, /var, /proc, /), as written or once symlinks are followed: the container owns the host',
  fix: 'remove the hostPath volume; if the container really must drive Docker, suppress with a reason and deploy with --allow-docker-socket',
  check: (obj, set) => hostPathViews(obj, set.host).flatMap((v): RuleHit[] => {
    const hit = socketOf(v, set.host);
    if (!hit) return [];
    const engine = set.host?.engineSockets ?? [];
    const docker = /docker\.sock$/.test(hit.socket) || engine.includes(hit.socket);
    const what = !docker ? `a container engine socket (${hit.socket})` : hit.socket === hit.via ? 'the Docker socket' : `the Docker socket (it holds ${hit.socket})`;
    return [{ message: `${volumeLabel(obj, v)} mounts ${v.path} from the host${resolution(v)}, which exposes ${what}: the container would control the whole host${unresolvedNote(v)}`, path: v.fieldPath }];
  }),
};

export const hostPathWrite: PolicyRule = {
  id: 'host-path-write',
  severity: 'error',
  summary: 'read-write host path of a folder that owns the host (/, /etc, /root, /sys, /dev, /proc, /boot, /usr, the engine\'s data root, ...), as written or once symlinks are followed',
  fix: 'mount it read-only (volumeMounts[].readOnly: true) or use a ConfigMap, emptyDir or PersistentVolumeClaim; on the Docker target, --allow-host-paths deploys it anyway',
  check: (obj, set) => hostPathViews(obj, set.host).flatMap((v): RuleHit[] => {
    // A path this machine could not resolve (a folder it cannot read) may lead anywhere: fail closed.
    if (set.host?.resolvePath && v.unresolved !== undefined) return [{ message: `${volumeLabel(obj, v)} mounts ${v.path} from the host, which could not be resolved (${v.unresolved}), so what it reaches is unknown`, path: v.fieldPath, fix: 'use a path the user running dockyard can read, or pass --allow-host-paths' }];
    if (v.readOnly) return [];
    const hit = owningFolderOf(v, set.host);
    if (!hit) return [];
    const how = hit.relation === 'is' ? `the host folder ${hit.folder}` : hit.relation === 'inside' ? `inside the host folder ${hit.folder}` : `a folder holding ${hit.folder}`;
    return [{ message: `${volumeLabel(obj, v)} mounts ${v.path} from the host read-write${resolution(v)}, which is ${how}: the container can rewrite the host${unresolvedNote(v)}`, path: v.fieldPath }];
  }),
};

export const sensitiveHostPath: PolicyRule = {
  id: 'sensitive-host-path',
  severity: 'warning',
  summary: 'host path of a sensitive host folder (/etc, /proc, /sys, /var/lib/kubelet, /home, runtime folders, ...) or of a folder containing one (/var, /var/lib), read-only or not owning the host',
  fix: 'use a ConfigMap, Secret, emptyDir or PersistentVolumeClaim instead of the host folder',
  check: (obj, set) => hostPathViews(obj, set.host).flatMap((v): RuleHit[] => {
    // The socket and writable host-owning folders are the error rules'; report each mount once.
    if (socketOf(v, set.host) || (!v.readOnly && owningFolderOf(v, set.host))) return [];
    const at = v.checked.map((p) => ({ p, hit: sensitiveHostPathOf(p) })).find((x) => x.hit);
    if (!at?.hit) return [];
    const why = at.hit.relation === 'contains' ? `, which contains ${at.hit.sensitive}` : '';
    return [{ message: `${volumeLabel(obj, v)} mounts ${v.path} from the host${resolution(v)}${why}`, path: v.fieldPath }];
  }),
};

/** Pod-level and container-level `securityContext` fields the privileged rule reads, with the container's path. */
function securityHits(pod: PodSpecAt, containers: readonly ContainerAt[], devices: boolean): RuleHit[] {
  const out: RuleHit[] = [];
  const podSc = asMap(pod.spec.securityContext) ?? {};
  for (const [flag, what] of [['hostPID', "the host's process namespace"], ['hostIPC', "the host's IPC namespace (shared memory, semaphores)"]] as const) {
    if (pod.spec[flag] === true) out.push({ message: `${flag}: true shares ${what}`, path: [...pod.path, flag], fix: `remove ${flag}: true (the pod then sees only its own ${flag === 'hostPID' ? 'processes' : 'IPC objects'}), or pass --allow-privileged` });
  }
  const profiles = (sc: Record<string, unknown>, where: readonly (string | number)[], who: string) => {
    if (getIn(sc, ['seccompProfile', 'type']) === 'Unconfined') out.push({ message: `${who} runs with seccompProfile Unconfined: every system call of the host kernel is open to it`, path: [...where, 'seccompProfile', 'type'], fix: 'use seccompProfile type RuntimeDefault, or pass --allow-privileged' });
    if (getIn(sc, ['appArmorProfile', 'type']) === 'Unconfined') out.push({ message: `${who} runs with appArmorProfile Unconfined: no AppArmor confinement`, path: [...where, 'appArmorProfile', 'type'], fix: 'use appArmorProfile type RuntimeDefault, or pass --allow-privileged' });
  };
  profiles(podSc, [...pod.path, 'securityContext'], 'the pod');
  for (const [key, value] of Object.entries(pod.annotations)) {
    const m = /^container\.apparmor\.security\.beta\.kubernetes\.io\/(.+)$/.exec(key);
    if (m && value.trim().toLowerCase() === 'unconfined') out.push({ message: `annotation ${key}: unconfined runs container "${m[1]}" without AppArmor confinement`, path: [...pod.metadataPath, 'annotations', key], fix: 'remove the annotation (runtime/default applies), or pass --allow-privileged' });
  }
  for (const c of containers) {
    const sc = asMap(c.container.securityContext);
    if (!sc) continue;
    const at = [...c.path, 'securityContext'];
    if (sc.privileged === true) out.push({ message: `${containerLabel(c)} is privileged: it gets every device and capability of the host`, path: [...at, 'privileged'], fix: 'remove privileged: true, or pass --allow-privileged' });
    for (const cap of capabilityList(getIn(sc, ['capabilities', 'add']))) {
      const info = capabilityInfo(cap);
      const name = canonicalCapability(cap);
      const written = name === String(cap) ? '' : ` (written "${String(cap)}")`;
      if (info?.verdict === 'host-root') out.push({ message: `${containerLabel(c)} adds capability ${name}${written}: ${info.why}${name === 'ALL' || name === 'SYS_ADMIN' ? ', which is as good as privileged' : ''}`, path: [...at, 'capabilities', 'add'] });
      else if (info?.name === 'MKNOD' && devices) out.push({ message: `${containerLabel(c)} adds capability MKNOD${written} and the pod mounts a host device: it can reach the device`, path: [...at, 'capabilities', 'add'] });
    }
    if (sc.procMount === 'Unmasked') out.push({ message: `${containerLabel(c)} sets procMount: Unmasked: /proc is not masked, so host kernel settings are exposed`, path: [...at, 'procMount'], fix: 'remove procMount (Default masks /proc), or pass --allow-privileged' });
    if (getIn(sc, ['windowsOptions', 'hostProcess']) === true) out.push({ message: `${containerLabel(c)} sets windowsOptions.hostProcess: it runs as a process of the host`, path: [...at, 'windowsOptions', 'hostProcess'], fix: 'remove hostProcess, or pass --allow-privileged' });
    profiles(sc, at, containerLabel(c));
  }
  return out;
}

export const privileged: PolicyRule = {
  id: 'privileged',
  appliesTo: 'pod-spec',
  severity: 'error',
  summary: 'privileged container, `hostPID`/`hostIPC`, a capability that reaches the host (ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, BPF, ...; MKNOD with a host device), seccomp or AppArmor Unconfined, or procMount Unmasked: the pod can take over the host',
  fix: 'add only the capabilities the container needs (Docker\'s defaults need no add); on the Docker target, --allow-privileged deploys it anyway',
  check: (obj, set) => {
    const w = workloadOf(obj);
    if (!w) return [];
    return securityHits(w.pod, w.all, hostPathViews(obj, set.host).some(isDevicePath));
  },
};

export const capabilitiesAdded: PolicyRule = {
  id: 'capabilities-added',
  appliesTo: 'pod-spec',
  severity: 'warning',
  summary: 'capability added beyond Docker\'s default set and the Pod Security baseline that does not reach the host (NET_RAW, IPC_LOCK, SYS_NICE, ...), or a name Linux does not have',
  fix: 'add only the capabilities the container needs; drop NET_RAW unless it sends raw packets',
  check: (obj) => (workloadOf(obj)?.all ?? []).flatMap((c) => capabilityList(getIn(c.container, ['securityContext', 'capabilities', 'add'])).flatMap((cap): RuleHit[] => {
    const info = capabilityInfo(cap);
    const path = [...c.path, 'securityContext', 'capabilities', 'add'];
    if (!info) {
      const near = nearestCapability(cap);
      return [{ message: `${containerLabel(c)} adds "${String(cap)}", which is not a Linux capability${near ? ` (did you mean ${near}?)` : ''}`, path, fix: 'use a name from capabilities(7), e.g. NET_BIND_SERVICE' }];
    }
    return info.verdict === 'extra' ? [{ message: `${containerLabel(c)} adds capability ${info.name}, outside the Pod Security baseline: ${info.why}`, path }] : [];
  })),
};

/** The guard rules, in table order. */
export const GUARD_RULES: readonly PolicyRule[] = [dockerSocket, privileged, hostPathWrite, sensitiveHostPath, capabilitiesAdded];

/**
 * What the Docker target does with each guard's findings: the error rules are refused unless their
 * opt-in flag is given; the others are printed as warnings.
 */
export const DOCKER_GUARDS: Readonly<Record<string, { readonly flag: string; readonly fix: string } | undefined>> = {
  'docker-socket': { flag: '--allow-docker-socket', fix: 'remove the hostPath volume, or pass --allow-docker-socket if this container really must drive Docker' },
  privileged: { flag: '--allow-privileged', fix: 'remove it and add only the capabilities the container needs (Docker\'s defaults need no add), or pass --allow-privileged' },
  'host-path-write': { flag: '--allow-host-paths', fix: 'mount it read-only (volumeMounts[].readOnly: true) or use a PersistentVolumeClaim (a Docker volume), or pass --allow-host-paths' },
};

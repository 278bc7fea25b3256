import type { ServiceType, WebAppVolume } from '../constructs/web-app';
import { Problem } from '../core/errors';
import { sortedCopy } from '../core/json';
import { checkDnsLabel, isValidLabel, toDnsLabel } from '../core/naming';
import {
  commandList, dropUndefined, mapConstraints, mapDeployLabels, mapEndpointMode, mapHealthcheck, mapPorts, mapPreferences, mapResources,
  mapUpdateConfig, mapUser, mapWorkload, MountEntry, Note, parseVolume,
} from './mapping';
import { mapDns, mapExtraHosts, mapGroupAdd, mapHostNamespaces, mapPlatform, mapPullPolicy, mapSecurityOpt, mapShmSize, mapStopGracePeriod, mapSysctls } from './mapping-pod';
import { listOrDict } from './loader';
import { ComposeProject, ComposeService, locate, sortProblems } from './model';
import { isObj } from './yaml-file';
import { Add, planEnvironment, planFiles, planVolumes } from './plan-files';
import { aliasService, headlessService, layoutServices, ServiceLayout, serviceNameProblem } from './plan-services';
import type { AppPropsSpec, AppSpec, ClaimSpec, ComposePlan, IngressSpec, MountSpec, PlanOptions, ServiceSpec, SidecarSpec, SourceSpec } from './plan-types';

export type { AppPropsSpec, AppSpec, BindMountMode, ClaimSpec, ComposePlan, IngressSpec, MountSpec, PlanOptions, PodExtrasSpec, ServiceSpec, SidecarSpec, SourceSpec } from './plan-types';
export { planEnvSecret } from './plan-files';

/** Service keys the mapping converts (others are reported). */
const CONVERTED = new Set([
  'image', 'command', 'entrypoint', 'working_dir', 'user', 'hostname', 'environment', 'env_file', 'ports', 'expose', 'labels', 'deploy',
  'healthcheck', 'restart', 'scale', 'volumes', 'tmpfs', 'configs', 'secrets', 'privileged', 'read_only', 'cap_add', 'cap_drop',
  'mem_limit', 'mem_reservation', 'cpus', 'stop_grace_period', 'extra_hosts', 'dns', 'dns_search', 'dns_opt', 'tty', 'stdin_open', 'group_add',
  'sysctls', 'shm_size', 'pull_policy', 'platform', 'network_mode', 'ipc', 'pid', 'security_opt', 'volumes_from', 'links', 'networks',
  'container_name', 'depends_on',
]);

/** Why the keys without a Kubernetes meaning are dropped. */
const DROPPED: Record<string, string> = {
  external_links: 'containers outside the project are not reachable by alias in Kubernetes; external_links is dropped',
  build: 'Kubernetes runs images, it does not build them; build is dropped (build and push the image, and set image)',
  logging: 'container logs go to the node\'s runtime and are collected by the cluster\'s agent; logging is dropped',
};

/** `kompose.*` labels that convert (the rest are reported and dropped). */
const KOMPOSE_TYPES: Record<string, ServiceType | 'headless'> = { nodeport: 'NodePort', loadbalancer: 'LoadBalancer', clusterip: 'ClusterIP', headless: 'headless' };

/** What the second pass needs to know about a planned service. */
interface Planned {
  readonly svc: string;
  readonly name: string;
  readonly app: AppSpec;
  readonly ports: Array<{ containerPort: number; published?: number; protocol: 'TCP' | 'UDP' | 'SCTP' }>;
  readonly serviceType: ServiceType | 'headless';
  readonly hostNetwork: boolean;
  /** `network_mode: service:X`: the service whose pod this one joins. */
  readonly joins?: string;
  /** `kompose.service.expose` and its options. */
  readonly expose?: { readonly value: string; readonly tlsSecret?: string; readonly className?: string };
}

/** The mapping of a whole project: pure apart from reading the config/secret/bind files it names. */
export function planCompose(project: ComposeProject, options: PlanOptions = {}): ComposePlan {
  const warnings: Problem[] = [...(project.warnings ?? [])];
  const errors: Problem[] = [];
  const claims: ClaimSpec[] = [];
  const sources: SourceSpec[] = [];
  const services: ServiceSpec[] = [];
  const ingresses: IngressSpec[] = [];
  const sidecarServices: Record<string, string> = {};
  const ns = options.namespace;
  const keyName = (p: readonly (string | number)[]) => p.join('.');
  const report = (list: Problem[], base: (string | number)[], notes: readonly Note[] | undefined) => {
    for (const n of notes ?? []) {
      const fieldPath = [...base, ...n.key];
      list.push({ where: locate(project, fieldPath), message: `${keyName(fieldPath)}: ${n.message}`, ...(n.fix ? { fix: n.fix } : {}), fieldPath });
    }
  };
  const volumeSize = options.volumeSize ?? '1Gi';

  for (const top of Object.keys(project.networks).sort()) {
    if (top !== 'default') warnings.push({ where: locate(project, ['networks', top]), message: `networks.${top}: all pods share one flat network in Kubernetes; the network is dropped` });
  }

  // Named volumes used by a service become claims, sorted by name; kompose.volume.size sets the size.
  const usedVolumes = new Map<string, string | undefined>();
  for (const s of Object.values(project.services)) {
    for (const v of s.volumes ?? []) { const m = parseVolume(v).mount; if (m?.type === 'volume' && m.source) usedVolumes.set(m.source, usedVolumes.get(m.source) ?? s.labels?.['kompose.volume.size']); }
  }
  for (const name of [...usedVolumes.keys()].sort()) {
    const v = project.volumes[name];
    if (!v) continue; // reported per service below
    if (v.external) { warnings.push({ where: locate(project, ['volumes', name, 'external']), message: `volumes.${name}: external volume: the PersistentVolumeClaim "${claimName(name, v)}" must already exist in the namespace` }); continue; }
    if (v.driver || v.driver_opts) warnings.push({ where: locate(project, ['volumes', name, v.driver ? 'driver' : 'driver_opts']), message: `volumes.${name}: volume drivers have no Kubernetes meaning (the cluster's storage class decides); driver and driver_opts are dropped` });
    const size = usedVolumes.get(name) ?? volumeSize;
    if (!usedVolumes.get(name)) warnings.push({ where: locate(project, ['volumes', name]), message: `volumes.${name}: a compose volume has no size; the PersistentVolumeClaim asks for ${size} (ReadWriteOnce), change it if that is wrong` });
    const labels = listOrDict(v.labels as never);
    for (const k of Object.keys(labels).filter((x) => !isValidLabel(x, String(labels[x] ?? '')))) {
      warnings.push({ where: locate(project, ['volumes', name, 'labels']), message: `volumes.${name}.labels: "${k}" is not a valid Kubernetes label; it is dropped` });
      delete labels[k];
    }
    claims.push({ id: `volume-${name}`, name: claimName(name, v), storage: size, labels: Object.keys(labels).length ? sortedCopy(labels as Record<string, string>) : undefined });
  }
  const claimOf = (vol: string) => (project.volumes[vol] ? claimName(vol, project.volumes[vol]) : undefined);

  const names = new Map<string, string>();
  const byK8sName = new Map<string, string>();
  for (const svc of Object.keys(project.services).sort()) names.set(svc, toDnsLabel(svc));
  const planned: Planned[] = [];
  for (const svc of Object.keys(project.services).sort()) {
    const s = project.services[svc];
    const base = ['services', svc];
    const add: Add = (notes, errs) => { report(warnings, base, notes); report(errors, base, errs); };
    const name = names.get(svc)!;
    const clash = byK8sName.get(name);
    // A service that cannot become objects is still planned, so all its problems come out at once.
    let fatal = false;
    if (clash !== undefined) { add([], [{ key: [], message: `services "${clash}" and "${svc}" both become the Kubernetes name "${name}"`, fix: 'rename one of them (Kubernetes names are lower case, with "-" for "_")' }]); fatal = true; }
    byK8sName.set(name, byK8sName.get(name) ?? svc);
    // A Service name is a DNS-1035 label: a leading digit is refused by the API server. Renaming it
    // silently would change the host name other services use, so it is an error the user resolves.
    if (/^[0-9]/.test(name)) {
      add([], [{ key: [], message: `service "${svc}" starts with a digit, but it gets a Kubernetes Service, whose name must start with a letter (DNS-1035 label)`, fix: `rename the service so it starts with a letter, like "svc-${name}", and update the services that reach it by name` }]);
      fatal = true;
    }
    if (name !== svc && !fatal) add([{ key: [], message: `"${svc}" is not a DNS-1123 label; the Kubernetes objects are named "${name}"` }]);
    const p = planService(project, s, svc, name, options, { sources: fatal ? [] : sources, claims, claimOf, volumeSize, add });
    if (p && !fatal) planned.push(p);
  }

  // Second pass: sidecars join their pod, then Services and aliases.
  const bySvc = new Map(planned.map((p) => [p.svc, p]));
  for (const p of planned.filter((x) => x.joins)) {
    const add: Add = (notes, errs) => { report(warnings, ['services', p.svc], notes); report(errors, ['services', p.svc], errs); };
    const host = bySvc.get(p.joins!);
    if (!host || host.joins) { add([], [{ key: ['network_mode'], message: `network_mode "service:${p.joins}" names no service that runs its own pod`, fix: 'name a service of this project that has no network_mode service:' }]); continue; }
    const { props } = p.app;
    const sidecar: SidecarSpec = dropUndefined({
      name: p.name, image: props.image, command: props.command, args: props.args, workingDir: props.workingDir, envFrom: props.envFrom, mounts: props.mounts,
      volumes: props.volumes, security: props.security, resources: props.resources || undefined, tty: props.extras?.container?.tty, stdin: props.extras?.container?.stdin,
      readiness: props.probe ? { command: props.probe.command, options: props.probe.options as Record<string, number | undefined> } : undefined,
    });
    const hp = host.app.props as { extras?: AppPropsSpec['extras'] };
    // A sidecar's ReadWriteOnce claim binds the whole pod: then the pod's Deployment recreates too.
    const recreate = p.app.props.extras?.strategy === 'Recreate' && host.app.props.workload === 'Deployment' ? 'Recreate' as const : hp.extras?.strategy;
    sidecarServices[`${host.svc}/${(hp.extras?.sidecars?.length ?? 0) + 1}`] = p.svc;
    hp.extras = dropUndefined({
      ...hp.extras,
      sidecars: [...(hp.extras?.sidecars ?? []), sidecar],
      podHasVolumes: !!(host.app.props.mounts?.length || host.app.props.volumes?.length),
      strategy: recreate,
    });
    if (recreate) delete (host.app.props as { strategy?: unknown }).strategy;
    host.ports.push(...p.ports.filter((x) => !host.ports.some((y) => y.containerPort === x.containerPort && y.protocol === x.protocol)));
    add([{ key: ['network_mode'], message: `"${p.svc}" shares the network of "${p.joins}", so it becomes a second container in the pod of "${host.name}" (they start, stop and scale together)` }]);
    // Its own replica count, restart and rollout settings cannot be kept: the pod's are the host service's.
    const podsOf = (x: Planned) => (x.app.props.workload === 'Pod' ? 1 : x.app.props.replicas ?? 1);
    type Settings = { scale?: unknown; restart?: unknown; deploy?: { replicas?: unknown; restart_policy?: unknown; update_config?: unknown } };
    const own = project.services[p.svc] as Settings;
    const hosts = project.services[host.svc] as Settings;
    if (podsOf(p) !== podsOf(host)) {
      add([{ key: own.deploy?.replicas !== undefined ? ['deploy', 'replicas'] : own.scale !== undefined ? ['scale'] : ['network_mode'], message: `"${p.svc}" asks for ${podsOf(p)} replica(s), but it runs in the pod of "${host.name}", which runs ${podsOf(host)}; set the count on "${p.joins}"` }]);
    }
    for (const key of [['restart'], ['deploy', 'restart_policy'], ['deploy', 'update_config']]) {
      const of = (x: Settings) => JSON.stringify(key.length === 1 ? x.restart : x.deploy?.[key[1] as 'restart_policy' | 'update_config']);
      // The same setting as the host's (a shared x- anchor, say) changes nothing.
      if (of(own) !== undefined && of(own) !== of(hosts)) add([{ key, message: `${key.join('.')} of "${p.svc}" is dropped: its container restarts and rolls out with the pod of "${host.name}" (set it on "${p.joins}")` }]);
    }
  }
  const apps: AppSpec[] = [];
  const layouts = new Map<string, ServiceLayout>();
  for (const p of planned.filter((x) => !x.joins)) {
    const add: Add = (notes, errs) => { report(warnings, ['services', p.svc], notes); report(errors, ['services', p.svc], errs); };
    const requested = p.serviceType === 'headless' ? 'ClusterIP' : p.serviceType;
    const layout = layoutServices(p.name, p.ports, requested).value;
    layouts.set(p.svc, layout);
    // WebApp's main port is TCP: the first TCP port is it, every other port is an additional one.
    const mainIdx = layout.internal.findIndex((x) => x.protocol === 'TCP');
    const first = mainIdx >= 0 ? layout.internal[mainIdx] : layout.internal[0];
    const rest = layout.internal.filter((_, i) => i !== mainIdx);
    const props = p.app.props as { -readonly [K in keyof AppPropsSpec]: AppPropsSpec[K] };
    if (first) {
      Object.assign(props, dropUndefined({
        port: first.containerPort,
        additionalPorts: rest.length ? rest.map((x) => dropUndefined({ containerPort: x.containerPort, protocol: x.protocol !== 'TCP' ? x.protocol : undefined })) : undefined,
        serviceType: layout.type,
        headless: p.serviceType === 'headless' || props.headless ? true : undefined,
      }));
      if (mainIdx < 0) add([{ key: ['ports'], message: `no port is TCP; WebApp's main port is TCP, so ${first.containerPort}/TCP is declared too` }]);
      if (props.headless && layout.type !== 'ClusterIP') delete props.headless;
      if (layout.published) services.push(layout.published);
      if (p.expose) ingresses.push(ingressOf(p.name, first.containerPort, p.expose));
    } else {
      if (p.expose) add([{ key: ['labels', 'kompose.service.expose'], message: 'the service has no ports, so no Ingress can route to it; kompose.service.expose is dropped' }]);
      props.service = false;
      if (p.hostNetwork) add([{ key: ['network_mode'], message: `the service has no ports and uses the host network; it gets no Service (reach it at the node's address)` }]);
      else services.push(headlessService(`${p.name}-headless`, p.name, p.name, `"${p.svc}" has no ports: a headless Service so the name "${p.name}" resolves to its pods`));
    }
    apps.push(p.app);
  }

  // Names other containers used in compose: link aliases, network aliases, container_name.
  const taken = new Set([...planned.map((p) => p.name), ...services.map((s) => s.name)]);
  for (const p of planned) {
    const s = project.services[p.svc] as ComposeService & { links?: string[]; networks?: unknown; container_name?: string };
    const target = p.joins ? bySvc.get(p.joins) ?? p : p;
    const aliasFor = (alias: string, of: Planned, key: (string | number)[], what: string) => {
      if (alias === of.name || alias === of.svc) return;
      const bad = serviceNameProblem(alias);
      const at = { where: locate(project, ['services', p.svc, ...key]), message: '' };
      if (bad) { warnings.push({ ...at, message: `services.${p.svc}.${key.join('.')}: ${what} "${alias}" ${bad}, so no Service answers to it: other containers that use "${alias}" must use "${of.name}"` }); return; }
      if (taken.has(alias)) { if (!services.some((x) => x.name === alias && x.app === of.name)) warnings.push({ ...at, message: `services.${p.svc}.${key.join('.')}: ${what} "${alias}" is already the name of another Service; containers that use it reach that one` }); return; }
      taken.add(alias);
      services.push(aliasService(alias, (of.joins ? bySvc.get(of.joins) ?? of : of).name, layouts.get((of.joins ? bySvc.get(of.joins) ?? of : of).svc)?.internal ?? [], `${what} "${alias}" of "${of.svc}"`));
    };
    if (typeof s.container_name === 'string') aliasFor(s.container_name, target, ['container_name'], 'container_name');
    if (isObj(s.networks)) {
      for (const [net, cfg] of Object.entries(s.networks as Record<string, { aliases?: string[] } | null>)) (cfg?.aliases ?? []).forEach((a, i) => aliasFor(String(a), target, ['networks', net, 'aliases', i], 'network alias'));
    }
    (Array.isArray(s.links) ? s.links : []).forEach((l, i) => {
      const [to, alias] = String(l).split(':');
      const of = bySvc.get(to);
      if (of && alias) aliasFor(alias, of.joins ? bySvc.get(of.joins) ?? of : of, ['links', i], 'link alias');
    });
  }
  return {
    project: project.name,
    namespace: ns,
    claims,
    sources: uniqueIds(sources, apps, new Set(names.values())),
    apps,
    services,
    ingresses,
    sidecarServices,
    warnings: sortProblems(warnings),
    errors: sortProblems(errors),
  };
}

interface PlanContext {
  readonly sources: SourceSpec[];
  readonly claims: ClaimSpec[];
  readonly claimOf: (volume: string) => string | undefined;
  readonly volumeSize: string;
  readonly add: Add;
}

/** One service -> its WebApp props (ports and Services are laid out in the second pass). */
function planService(project: ComposeProject, s: ComposeService, svc: string, name: string, options: PlanOptions, ctx: PlanContext): Planned | undefined {
  const { add, sources } = ctx;
  const x = s as ComposeService & Record<string, never>;
  for (const key of Object.keys(s).sort()) {
    if (CONVERTED.has(key) || key.startsWith('x-')) continue;
    add([{ key: [key], message: DROPPED[key] ?? `${key} has no Kubernetes equivalent in Dockyard; it is dropped` }]);
  }
  if (s.depends_on !== undefined) add([{ key: ['depends_on'], message: 'Kubernetes starts every workload at once and has no start order; depends_on is dropped (give the dependent service a readiness probe and let it retry)' }]);

  let image = s.image;
  // Without an image the service is still planned (its other problems are reported now), not created.
  const noImage = !image && s.build === undefined;
  if (noImage) add([], [{ key: [], message: 'service has neither image nor build', fix: 'add "image:" with the image to run, like "image: nginx:1.27"' }]);
  else if (!image) {
    image = `${project.name}-${name}`;
    add([{ key: ['build'], message: `no image is given; the pods run "${image}", the name compose gives the built image: push it where the cluster can pull it` }]);
  }

  // kompose.* labels: the service type and expose convert; the rest are reported.
  const labelsIn = { ...(s.labels ?? {}) };
  let serviceType: ServiceType | 'headless' = options.serviceTypes?.[svc] ?? options.serviceType ?? 'LoadBalancer';
  const expose: { value?: string; tlsSecret?: string; className?: string } = {};
  let pullSecret: string | undefined;
  let komposePull: 'Always' | 'IfNotPresent' | 'Never' | undefined;
  for (const k of Object.keys(labelsIn).filter((l) => l.startsWith('kompose.')).sort()) {
    const v = String(labelsIn[k] ?? '');
    delete labelsIn[k];
    if (k === 'kompose.service.type' && KOMPOSE_TYPES[v.toLowerCase()]) { serviceType = options.serviceTypes?.[svc] ?? KOMPOSE_TYPES[v.toLowerCase()]; continue; }
    if (k === 'kompose.volume.size') continue;
    if (k === 'kompose.service.expose') { if (v !== 'false' && v !== '') expose.value = v; continue; }
    if (k === 'kompose.service.expose.tls-secret') { expose.tlsSecret = v; continue; }
    if (k === 'kompose.service.expose.ingress-class-name') { expose.className = v; continue; }
    if (k === 'kompose.image-pull-secret') { pullSecret = v; continue; }
    if (k === 'kompose.image-pull-policy' && ['Always', 'IfNotPresent', 'Never'].includes(v)) { komposePull = v as 'Always'; continue; }
    add([{ key: ['labels', k], message: `the kompose label ${k} is not converted (Dockyard reads kompose.service.type, kompose.service.expose[.tls-secret|.ingress-class-name], kompose.image-pull-secret, kompose.image-pull-policy and kompose.volume.size); it is dropped` }]);
  }

  const ports = mapPorts(s.ports, s.expose);
  add(ports.notes, ports.errors);
  const portList: Planned['ports'] = ports.value.ports.map((p) => dropUndefined({ containerPort: p.containerPort, published: p.published, protocol: p.protocol }));
  const nm = typeof x.network_mode === 'string' ? (x.network_mode as string) : undefined;
  const joins = nm?.startsWith('service:') ? nm.slice('service:'.length) : undefined;
  const workload = mapWorkload(s, options.controller);
  const rollout = mapUpdateConfig(s.deploy?.update_config, workload.value.workload);
  // A service that joins another's pod has no workload of its own: its workload notes (restarts,
  // replicas, rollout) would talk about one; the second pass says what happens to its settings.
  add(joins ? [] : workload.notes, workload.errors);
  if (!joins) add(rollout.notes);
  const resources = mapResources(s.deploy?.resources, {
    mem_limit: s.mem_limit as string | undefined,
    mem_reservation: s.mem_reservation as string | undefined,
    cpus: s.cpus as string | undefined,
  });
  add(resources.notes, resources.errors);
  const affinity = mapConstraints(s.deploy?.placement?.constraints);
  add(affinity.notes, affinity.errors);
  const spread = mapPreferences(s.deploy?.placement?.preferences, { app: name });
  add(spread.notes, spread.errors);
  if (s.deploy?.placement?.max_replicas_per_node !== undefined) add([{ key: ['deploy', 'placement', 'max_replicas_per_node'], message: 'Kubernetes has no per-node replica cap; max_replicas_per_node is dropped (a topology spread or pod anti-affinity comes close)' }]);
  if (s.deploy?.rollback_config) add([{ key: ['deploy', 'rollback_config'], message: 'Kubernetes rolls back only on "kubectl rollout undo"; rollback_config is dropped' }]);
  const headless = mapEndpointMode(s.deploy?.endpoint_mode, 'ClusterIP');
  const labels = mapDeployLabels(s.deploy?.labels, { app: name });
  add(labels.notes);
  const probe = mapHealthcheck(s.healthcheck);
  add(probe.notes, probe.errors);
  const user = mapUser(s.user);
  add(user.notes);

  // Pod-level keys.
  const grace = mapStopGracePeriod(x.stop_grace_period);
  const hosts = mapExtraHosts(x.extra_hosts);
  const dns = mapDns(x.dns, x.dns_search, x.dns_opt);
  const groups = mapGroupAdd(x.group_add);
  const sysctls = mapSysctls(x.sysctls);
  const shm = mapShmSize(x.shm_size);
  const pull = mapPullPolicy(x.pull_policy);
  const platform = mapPlatform(x.platform);
  const nsModes = mapHostNamespaces(s as { network_mode?: string; ipc?: string; pid?: string });
  const secOpt = mapSecurityOpt(x.security_opt);
  for (const r of [grace, hosts, dns, groups, sysctls, shm, pull, platform, nsModes, secOpt]) add(r.notes, r.errors);
  if (x.tty !== undefined || x.stdin_open !== undefined) add([{ key: [x.tty !== undefined ? 'tty' : 'stdin_open'], message: 'tty/stdin_open become the container\'s tty/stdin; nothing attaches to them in a cluster (kubectl attach can)' }]);
  const envFrom = planEnvironment(project, s, name, sources, add);
  const mounts: MountSpec[] = [];
  const volumes: WebAppVolume[] = [];
  planFiles(project, s, name, 'configs', sources, mounts, add);
  planFiles(project, s, name, 'secrets', sources, mounts, add);
  const rwClaims = planVolumes(s, volumesFrom(project, s, add), { project, name, bindMode: options.bindMounts ?? 'auto', sources, mounts, volumes, claims: ctx.claims, claimName: ctx.claimOf, volumeSize: ctx.volumeSize, add });
  if (shm.value) volumes.push({ name: 'dshm', mountPath: '/dev/shm', emptyDir: { medium: 'Memory', sizeLimit: shm.value } });
  const replicas = workload.value.replicas ?? 1;
  if (rwClaims.length && replicas > 1 && !joins) add([{ key: ['volumes'], message: `${replicas} replicas share the ReadWriteOnce claim ${rwClaims[0]}: a second node cannot attach it, so replicas on other nodes stay Pending (use one replica, or a ReadWriteMany storage class)` }]);
  const recreate = rwClaims.length > 0 && workload.value.workload === 'Deployment';

  const sec = dropUndefined({
    user: user.value?.user,
    group: user.value?.group,
    privileged: s.privileged || undefined,
    readOnlyRootFilesystem: s.read_only || undefined,
    // Docker takes CAP_NET_ADMIN or NET_ADMIN; Kubernetes only the name without the prefix. Always
    // set: a compose container keeps Docker's default capabilities, so WebApp's "drop ALL" default
    // (which breaks images that chown or switch users at start) must not apply.
    capabilities: dropUndefined({ add: s.cap_add?.map(capName), drop: s.cap_drop?.map(capName) }),
    allowPrivilegeEscalation: secOpt.value?.allowPrivilegeEscalation,
  });
  let hostname = s.hostname;
  if (hostname !== undefined && checkDnsLabel(hostname) !== undefined) {
    add([{ key: ['hostname'], message: `a pod hostname must be a DNS-1123 label; "${hostname}" is dropped` }]);
    hostname = undefined;
  }
  const podAnnotations: Record<string, string> = { ...labels.value.annotations };
  for (const [k, v] of Object.entries(labelsIn)) podAnnotations[k] = v ?? '';
  const hostNetwork = nsModes.value.hostNetwork === true;
  const fsGroup = user.value?.group ?? user.value?.user;
  const { allowPrivilegeEscalation: _ape, ...containerSecurity } = secOpt.value ?? {};
  const extras = dropUndefined({
    pod: dropUndefined({
      terminationGracePeriodSeconds: grace.value,
      hostAliases: hosts.value,
      dnsConfig: dns.value,
      // Without it a host-network pod resolves through the node, and Service names stop resolving.
      dnsPolicy: hostNetwork ? 'ClusterFirstWithHostNet' : undefined,
      ...nsModes.value,
      nodeSelector: platform.value && Object.keys(platform.value).length ? platform.value : undefined,
      imagePullSecrets: pullSecret ? [{ name: pullSecret }] : undefined,
    }),
    podSecurityContext: groups.value || sysctls.value ? dropUndefined({ fsGroup, supplementalGroups: groups.value, sysctls: sysctls.value }) : undefined,
    container: x.tty !== undefined || x.stdin_open !== undefined
      ? dropUndefined({ tty: (x.tty as boolean | undefined) || undefined, stdin: (x.stdin_open as boolean | undefined) || undefined })
      : undefined,
    containerSecurity: Object.keys(containerSecurity).length ? containerSecurity : undefined,
    strategy: recreate ? 'Recreate' as const : undefined,
  });
  const props: AppPropsSpec = dropUndefined({
    name,
    image: image ?? '',
    service: undefined,
    headless: headless.value,
    workload: workload.value.workload,
    replicas: workload.value.replicas,
    restartPolicy: workload.value.restartPolicy,
    strategy: recreate ? undefined : rollout.value.strategy,
    minReadySeconds: rollout.value.minReadySeconds,
    command: commandList(s.entrypoint),
    args: commandList(s.command),
    workingDir: s.working_dir,
    hostname,
    security: Object.keys(sec).length ? sec : undefined,
    resources: resources.value,
    labels: labels.value.labels,
    podAnnotations: Object.keys(podAnnotations).length ? sortedCopy(podAnnotations) : undefined,
    affinity: affinity.value,
    tolerations: affinity.tolerations,
    topologySpread: spread.value,
    envFrom: envFrom.length ? envFrom : undefined,
    mounts: mounts.length ? mounts : undefined,
    volumes: volumes.length ? volumes : undefined,
    probe: probe.value,
    imagePullPolicy: pull.value ?? komposePull,
    namespace: options.namespace,
    extras: Object.keys(extras.pod ?? {}).length || Object.keys(extras).length > 1 ? extras : undefined,
  });
  if (noImage) return undefined;
  return {
    svc,
    name,
    app: { id: name, service: svc, props },
    ports: portList,
    serviceType,
    hostNetwork,
    joins,
    expose: expose.value ? { ...expose, value: expose.value } : undefined,
  };
}

/** An Ingress as kompose makes it for `kompose.service.expose`: "true" (every host) or "host[/path],...". */
export function ingressOf(name: string, port: number, expose: { value: string; tlsSecret?: string; className?: string }): IngressSpec {
  const rules = expose.value === 'true' ? [{ path: '/' }] : expose.value.split(',').map((h) => h.trim()).filter(Boolean).map((h) => {
    const slash = h.indexOf('/');
    return slash < 0 ? { host: h, path: '/' } : { host: h.slice(0, slash), path: h.slice(slash) };
  });
  return dropUndefined({ id: `${name}-ingress`, name, service: name, port, rules, tlsSecret: expose.tlsSecret, className: expose.className });
}

/** `volumes_from: [svc[:ro|rw]]` -> the same volumes (claims, host paths) mounted again. */
function volumesFrom(project: ComposeProject, s: ComposeService, add: Add): Array<{ m: MountEntry; key: (string | number)[] }> {
  const out: Array<{ m: MountEntry; key: (string | number)[] }> = [];
  const list = (s as { volumes_from?: string[] }).volumes_from ?? [];
  list.forEach((ref, i) => {
    const text = String(ref);
    if (text.startsWith('container:')) { add([{ key: ['volumes_from', i], message: `"${text}" names a container outside the project; its volumes are not mounted` }]); return; }
    const [svc, mode] = text.replace(/^service:/, '').split(':');
    const other = project.services[svc];
    if (!other) return; // values.ts reported it
    for (const v of other.volumes ?? []) {
      const m = parseVolume(v).mount;
      if (!m) continue;
      if (m.type === 'volume' && !m.source) { add([{ key: ['volumes_from', i], message: `the anonymous volume ${m.target} of "${svc}" lives in another pod and cannot be shared; it is not mounted` }]); continue; }
      out.push({ m: { ...m, readOnly: mode === 'ro' || m.readOnly, dropped: undefined }, key: ['volumes_from', i] });
    }
  });
  return out;
}

/**
 * Construct ids of configs and secrets are `<service>-env`, `<service>-secrets`, ...; a service
 * called `web-env` would clash with them, so such ids get a suffix (object names keep their hash).
 */
function uniqueIds(sources: SourceSpec[], apps: AppSpec[], taken: Set<string>): SourceSpec[] {
  const renamed = new Map<string, string>();
  const out = sources.map((src) => {
    let id = src.id;
    for (let i = 2; taken.has(id); i++) id = `${src.id}-${i}`;
    taken.add(id);
    if (id !== src.id) renamed.set(src.id, id);
    return id === src.id ? src : { ...src, id };
  });
  if (renamed.size) {
    const fix = <T extends { envFrom?: Array<{ source: string }>; mounts?: MountSpec[] }>(p: T) => {
      p.envFrom = p.envFrom?.map((e) => ({ source: renamed.get(e.source) ?? e.source }));
      p.mounts = p.mounts?.map((m) => ({ ...m, source: renamed.get(m.source) ?? m.source }));
    };
    for (const a of apps) {
      fix(a.props as { envFrom?: Array<{ source: string }>; mounts?: MountSpec[] });
      for (const sc of a.props.extras?.sidecars ?? []) fix(sc as { envFrom?: Array<{ source: string }>; mounts?: MountSpec[] });
    }
  }
  return out;
}

function claimName(name: string, v: { name?: string; external?: boolean | { name?: string } }): string {
  const ext = typeof v.external === 'object' ? v.external.name : undefined;
  return toDnsLabel(ext ?? v.name ?? name);
}

function capName(c: string): string {
  return c.replace(/^CAP_/, '');
}

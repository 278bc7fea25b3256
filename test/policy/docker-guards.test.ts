import { DockyardError } from '../../lib/core/errors';
import { KubeObject } from '../../lib/core/manifests';
import { toCreateOptions } from '../../lib/targets/docker/engine';
import { mapSecurityContext } from '../../lib/targets/docker/mapping';
import { planDocker, PlanOptions } from '../../lib/targets/docker/planner';
import { containerArgs } from '../../lib/targets/pulumi/docker-args';

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec: { containers: [{ name: 'app', image: 'i' }], ...spec } });
const withSc = (securityContext: Record<string, unknown>, metadata: Record<string, unknown> = {}) => pod({ containers: [{ name: 'app', image: 'i', securityContext }] }, metadata);

function refused(objects: KubeObject[], options: Partial<PlanOptions> = {}): string[] {
  try { planDocker(objects, { project: 'p', ...options }); } catch (e) { if (e instanceof DockyardError) return e.problems.map((p) => `${p.where}: ${p.message}`); throw e; }
  return [];
}

describe('the Docker target runs the guard rules', () => {
  test('each flag opens only its own guard; manifest annotations open none', () => {
    const objects = [
      withSc({ capabilities: { add: ['cap_sys_module'] } }, { annotations: { 'suppress.dockyard.dev/privileged': 'please' } }),
      { ...pod({ volumes: [{ name: 'e', hostPath: { path: '/etc' } }], containers: [{ name: 'app', image: 'i', volumeMounts: [{ name: 'e', mountPath: '/e' }] }] }), metadata: { name: 'q' } },
    ];
    expect(refused(objects)).toHaveLength(2);
    expect(refused(objects, { allowPrivileged: true })).toEqual([expect.stringContaining('mounts /etc from the host read-write')]);
    expect(refused(objects, { allowHostPaths: true })).toEqual([expect.stringContaining('adds capability SYS_MODULE (written "cap_sys_module")')]);
    expect(refused(objects, { allowDockerSocket: true })).toHaveLength(2);
    expect(refused(objects, { allowPrivileged: true, allowHostPaths: true })).toEqual([]);
  });

  test('warnings of the other guards reach the plan; a read-only host folder is a warning', () => {
    const plan = planDocker([
      withSc({ capabilities: { add: ['NET_RAW'] } }),
      { ...pod({ volumes: [{ name: 'e', hostPath: { path: '/etc' } }], containers: [{ name: 'app', image: 'i', volumeMounts: [{ name: 'e', mountPath: '/e', readOnly: true }] }] }), metadata: { name: 'q' } },
    ], { project: 'p' });
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'container "app" adds capability NET_RAW, outside the Pod Security baseline: raw sockets: spoofing and ARP tricks on the network (Docker grants it; baseline and kube-linter say drop it)',
      'volume "e" mounts /etc from the host',
    ]);
  });

  test('replicas above the cap are refused before anything is expanded; the option raises it', () => {
    const d = (replicas: number): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { replicas, template: { spec: { containers: [{ name: 'a', image: 'i' }] } } } });
    expect(refused([d(Number.MAX_SAFE_INTEGER)])).toEqual([`Deployment/w spec.replicas: replicas ${Number.MAX_SAFE_INTEGER} is more than one Docker host runs for a workload (at most 100)`]);
    expect(planDocker([d(100)], { project: 'p' }).containers).toHaveLength(100);
    expect(planDocker([d(150)], { project: 'p', maxReplicas: 150 }).containers).toHaveLength(150);
    expect(() => planDocker([d(1)], { project: 'p', maxReplicas: 0 })).toThrow(/--max-replicas/);
  });
});

describe('securityContext on Docker: mapped or refused, never dropped', () => {
  test('mapSecurityContext maps no-new-privileges, profiles and SELinux labels to SecurityOpt', () => {
    expect(mapSecurityContext({}, { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } }).securityOpt).toEqual(['no-new-privileges:true']);
    expect(mapSecurityContext({ seccompProfile: { type: 'Unconfined' } }, {}).securityOpt).toEqual(['seccomp=unconfined']);
    expect(mapSecurityContext({}, { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-nginx' } }).securityOpt).toEqual(['apparmor=k8s-nginx']);
    expect(mapSecurityContext({}, {}, 'localhost/k8s-nginx').securityOpt).toEqual(['apparmor=k8s-nginx']);
    expect(mapSecurityContext({}, {}, 'unconfined').securityOpt).toEqual(['apparmor=unconfined']);
    expect(mapSecurityContext({ seLinuxOptions: { level: 's0:c123,c456' } }, { seLinuxOptions: { type: 'spc_t' } }).securityOpt).toEqual(['label=type:spc_t']);
    expect(mapSecurityContext({}, { capabilities: { add: ['cap_net_raw', ' Sys_Time '] } }).capAdd).toEqual(['NET_RAW', 'SYS_TIME']);
    expect(mapSecurityContext({ runAsNonRoot: true }, { runAsUser: 1000 }).unsupported).toEqual([]);
    expect(mapSecurityContext({ runAsNonRoot: true }, {}).unsupported.map(([f]) => f)).toEqual(['runAsNonRoot']);
  });

  test('the options reach the engine create call and the Pulumi container; containers without them keep their hash', () => {
    const [c] = planDocker([withSc({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } })], { project: 'p' }).containers;
    expect(c.securityOpt).toEqual(['no-new-privileges:true']);
    expect((toCreateOptions(c) as any).HostConfig).toMatchObject({ CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges:true'] });
    expect(containerArgs(c)).toMatchObject({ securityOpts: ['no-new-privileges:true'] });
    const [plain] = planDocker([pod({})], { project: 'p' }).containers;
    expect('securityOpt' in plain).toBe(false);
    expect('SecurityOpt' in (toCreateOptions(plain) as any).HostConfig).toBe(false);
  });

  test('allowed Unconfined profiles map; what Docker cannot honour is refused, or skipped with skipUnsupported', () => {
    const [c] = planDocker([withSc({ seccompProfile: { type: 'Unconfined' } })], { project: 'p', allowPrivileged: true }).containers;
    expect(c.securityOpt).toEqual(['seccomp=unconfined']);
    const unmappable = withSc({ procMount: 'Unmasked', seccompProfile: { type: 'Localhost', localhostProfile: 'x.json' } });
    expect(refused([unmappable], { allowPrivileged: true })).toEqual([
      'Pod/p spec.containers[0] ("app") securityContext.seccompProfile: seccompProfile Localhost names a profile file on the node; Docker needs the profile\'s JSON, so it cannot be applied',
      'Pod/p spec.containers[0] ("app") securityContext.procMount: procMount Unmasked cannot be applied (Docker always masks /proc)',
    ]);
    const plan = planDocker([unmappable], { project: 'p', allowPrivileged: true, skipUnsupported: true });
    expect(plan.warnings.map((w) => w.message)).toEqual(expect.arrayContaining([expect.stringContaining('procMount Unmasked cannot be applied (Docker always masks /proc); skipped')]));
  });
});

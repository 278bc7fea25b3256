import { checkHostAccess, isDockerSocketPath } from '../../lib/policy/host-access';
import { KubeObject } from '../../lib/core/manifests';

const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });

describe('host access', () => {
  test('isDockerSocketPath spots the socket and the folders that hold it', () => {
    for (const p of ['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run/', '//var//run/docker.sock', '/']) expect(isDockerSocketPath(p)).toBe(true);
    for (const p of ['/var/lib/data', '/srv/docker.sock.bak', '/etc']) expect(isDockerSocketPath(p)).toBe(false);
  });

  test('GIVEN a socket mount and a privileged container THEN two findings with field paths; allowed options silence them', () => {
    const dep: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ci', namespace: 'tools' }, spec: { template: { spec: {
      volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
      containers: [{ name: 'runner', image: 'i', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }],
    } } } };
    const found = checkHostAccess([pod({}), dep]);
    expect(found.map((f) => [f.rule, f.index, f.object, f.field])).toEqual([
      ['docker-socket', 1, 'Deployment/tools/ci', 'spec.template.spec.volumes[0].hostPath.path'],
      ['privileged', 1, 'Deployment/tools/ci', 'spec.template.spec.containers[0].securityContext.privileged'],
      ['privileged', 1, 'Deployment/tools/ci', 'spec.template.spec.containers[0].securityContext.capabilities.add'],
    ]);
    expect(found[0].message).toContain('whole host');
    expect(found[0].fix).toContain('--allow-docker-socket');
    expect(checkHostAccess([dep], { allowDockerSocket: true, allowPrivileged: true })).toEqual([]);
    expect(checkHostAccess([pod({ hostPID: true })]).map((f) => f.field)).toEqual(['spec.hostPID']);
  });
});

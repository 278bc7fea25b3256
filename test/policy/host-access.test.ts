import { checkHostAccess, isDockerSocketPath } from '../../lib/policy/host-access';
import { KubeObject } from '../../lib/core/manifests';

const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });

describe('host access', () => {
  test('isDockerSocketPath spots the socket and the folders that hold it', () => {
    for (const p of ['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run/', '//var//run/docker.sock', '/']) expect(isDockerSocketPath(p)).toBe(true);
    for (const p of ['/var/lib/data', '/srv/docker.sock.bak', '/etc']) expect(isDockerSocketPath(p)).toBe(false);
  });

  test('folders that hold a container engine socket count as the socket: /var, /run/user, /run/dockyard, /proc, containerd and podman', () => {
    const yes = ['/var', '/var/', '/run/user', '/run/user/1000', '/run/user/1000/docker.sock', '/run/user/1000/podman', '/run/user/1000/podman/podman.sock',
      '/run/dockyard', '/run/dockyard/docker.sock', '/var/run/dockyard', '/proc', '/proc/1', '/proc/1/root', '/proc/self/root/run', '/proc/1/cwd',
      '/run/containerd', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/run/podman', '/run/podman/podman.sock',
      '/run/crio/crio.sock', '/run/docker', '/var/run/docker/containerd', '/tmp/../run', '/srv/podman.sock'];
    for (const p of yes) expect([p, isDockerSocketPath(p)]).toEqual([p, true]);
    const no = ['/var/lib', '/var/log', '/run/user/1000/app', '/run/lock', '/proc/sys', '/proc/1/status', '/srv/data', '/home/me/src'];
    for (const p of no) expect([p, isDockerSocketPath(p)]).toEqual([p, false]);
  });

  test('the unix socket of DOCKER_HOST (passed in) and its folders count too; the finding names the socket', () => {
    const sock = '/home/me/.docker/run/docker.sock';
    expect(isDockerSocketPath('/home/me/.docker', [sock])).toBe(true);
    expect(isDockerSocketPath('/home/me/.docker')).toBe(false);
    expect(isDockerSocketPath('/home/me/src', [sock])).toBe(false);
    const found = checkHostAccess([pod({ volumes: [{ name: 'h', hostPath: { path: '/home/me' } }, { name: 'v', hostPath: { path: '/var' } }] })], { dockerHostSocket: sock });
    expect(found.map((f) => [f.field, f.message])).toEqual([
      ['spec.volumes[0].hostPath.path', `volume "h" mounts /home/me from the host, which exposes the Docker socket (it holds ${sock}): the container would control the whole host`],
      ['spec.volumes[1].hostPath.path', 'volume "v" mounts /var from the host, which exposes the Docker socket (it holds /var/run/docker.sock): the container would control the whole host'],
    ]);
    expect(checkHostAccess([pod({ volumes: [{ name: 'c', hostPath: { path: '/run/containerd/containerd.sock' } }] })])[0].message)
      .toBe('volume "c" mounts /run/containerd/containerd.sock from the host, which exposes a container engine socket (/run/containerd/containerd.sock): the container would control the whole host');
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

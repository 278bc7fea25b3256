import { loadManifests } from '../../../lib/core/manifests';
import { Engine, toCreateOptions } from '../../../lib/targets/docker/engine';
import { planDocker } from '../../../lib/targets/docker/planner';

describe('toCreateOptions (plan -> Engine API, pure)', () => {
  const plan = planDocker(loadManifests([`${__dirname}/fixtures/web.yaml`]), { project: 'demo', publishAddress: '127.0.0.1', proxyImage: 'relay:1' });

  test('a workload container: entrypoint, env, labels, limits, healthcheck, network alias', () => {
    const o = toCreateOptions(plan.containers[0]) as any;
    expect(o).toMatchObject({
      name: 'demo-web-1', Image: 'dockyard-test/busybox:1', Entrypoint: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      Env: ['GREETING=hello', 'MESSAGE=hello world'], Hostname: 'demo-web-1', ExposedPorts: { '8080/tcp': {} }, StopTimeout: 1,
      HostConfig: { NetworkMode: 'demo', Memory: 64 * 2 ** 20, NanoCpus: 5e8, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 }, ReadonlyRootfs: false },
      NetworkingConfig: { EndpointsConfig: { demo: { Aliases: ['web'] } } },
    });
    expect(o.Cmd).toBeUndefined();
    expect(o.Healthcheck).toMatchObject({ Interval: 1e9, Retries: 3 });
    expect(o.Labels['dev.dockyard.hash']).toBe(plan.containers[0].hash);
  });

  test('the relay publishes its port on the publish address; a temporary name keeps labels', () => {
    const o = toCreateOptions(plan.containers[2], 'demo-web-proxy.next') as any;
    expect(o.name).toBe('demo-web-proxy.next');
    expect(o.Labels['dev.dockyard.name']).toBe('demo-web-proxy');
    expect(o.Cmd).toEqual([]);
    expect(o.HostConfig.PortBindings).toEqual({ '18081/tcp': [{ HostIp: '127.0.0.1', HostPort: '18081' }] });
  });
});

describe('toCreateOptions: host namespaces', () => {
  test('pidMode/ipcMode become PidMode/IpcMode; absent, the keys are absent', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'top' }, spec: { hostPID: true, hostIPC: true, containers: [{ name: 'a', image: 'i' }] } };
    const o = toCreateOptions(planDocker([pod], { project: 'p', allowPrivileged: true }).containers[0]) as any;
    expect(o.HostConfig).toMatchObject({ PidMode: 'host', IpcMode: 'host' });
    const plain = toCreateOptions(planDocker([{ ...pod, spec: { containers: [{ name: 'a', image: 'i' }] } }], { project: 'p' }).containers[0]) as any;
    expect('PidMode' in plain.HostConfig || 'IpcMode' in plain.HostConfig).toBe(false);
  });
});

describe('Engine', () => {
  test('reads over plain HTTP for unix sockets and plain tcp; TLS and ssh go through dockerode', () => {
    expect(new Engine('unix:///run/x.sock').isLocal).toBe(true);
    expect(new Engine('unix:///run/x.sock').describe()).toBe('unix:///run/x.sock');
    expect(new Engine('tcp://docker.example:2375').isLocal).toBe(false);
    expect((new Engine('tcp://h:2375') as any).light).toEqual({ hostname: 'h', port: 2375 });
    expect((new Engine('tcp://h:2376') as any).light).toBeUndefined();
    expect((new Engine('ssh://me@h') as any).light).toBeUndefined();
  });
});

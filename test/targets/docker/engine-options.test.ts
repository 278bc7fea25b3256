import { loadManifests } from '../../../lib/core/manifests';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
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

describe('Engine (typed Engine API over one transport)', () => {
  const calls: string[] = [];
  const engine = new Engine('unix:///unused.sock', async (method, apiPath, body, contentType) => {
    calls.push(`${method} ${apiPath}${body ? ` ${Buffer.isBuffer(body) ? `<${body.length} bytes ${contentType}>` : JSON.stringify(body)}` : ''}`);
    if (apiPath.startsWith('/containers/create')) return { Id: 'abc' };
    if (apiPath.startsWith('/containers/json')) return [{ Id: 'c1', Names: ['/p-web-1'], Labels: { a: 'b' }, State: 'running', Image: 'i:1', Ports: [] }];
    if (apiPath === '/volumes') return { Volumes: null };
    return undefined;
  });

  test('sends the paths, queries and bodies the Engine API wants; the name goes in the query, not the body', async () => {
    expect(await engine.createContainer('p-web-1', { name: 'ignored', Image: 'i:1' } as any)).toBe('abc');
    await engine.startContainer('p-web-1.next');
    await engine.stopContainer('p-web-1.next', 0);
    await engine.stopContainer('p-web-1.next');
    await engine.removeContainer('p-web-1.next', { force: true, volumes: true });
    await engine.renameContainer('p-web-1.next', 'p-web-1');
    await engine.unpauseContainer('p-web-1.next');
    await engine.putArchive('p-web-1.next', '/', Buffer.alloc(1024));
    await engine.createNetwork('p', { a: 'b' });
    await engine.createVolume('v', {});
    await engine.removeVolume('v 1');
    expect(await engine.listContainers({ label: ['x=y'] })).toEqual([{ id: 'c1', name: 'p-web-1', labels: { a: 'b' }, state: 'running', image: 'i:1', ports: [] }]);
    expect(await engine.listVolumes()).toEqual([]);
    expect(calls).toEqual([
      'POST /containers/create?name=p-web-1 {"Image":"i:1"}',
      'POST /containers/p-web-1.next/start',
      'POST /containers/p-web-1.next/stop?t=0',
      'POST /containers/p-web-1.next/stop',
      'DELETE /containers/p-web-1.next?force=true&v=true',
      'POST /containers/p-web-1.next/rename?name=p-web-1',
      'POST /containers/p-web-1.next/unpause',
      'PUT /containers/p-web-1.next/archive?path=%2F <1024 bytes application/x-tar>',
      'POST /networks/create {"Name":"p","Driver":"bridge","CheckDuplicate":true,"Labels":{"a":"b"}}',
      'POST /volumes/create {"Name":"v","Labels":{}}',
      'DELETE /volumes/v%201',
      `GET /containers/json?all=1&filters=${encodeURIComponent('{"label":["x=y"]}')}`,
      'GET /volumes',
    ]);
  });

  test('an engine answer of 300 or more rejects with statusCode and json; 2xx JSON is parsed; logs are demultiplexed', async () => {
    const sock = path.join(os.tmpdir(), `dy-engine-${process.pid}.sock`);
    const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0, 0, 0, 0, text.length]), Buffer.from(text)]);
    const server = http.createServer((req, res) => {
      if (req.url === '/containers/x/start') { res.writeHead(304); res.end(); return; }
      if (req.url === '/containers/create?name=taken') { res.writeHead(409, { 'content-type': 'application/json' }); res.end('{"message":"Conflict. The container name \\"/taken\\" is already in use"}'); return; }
      if (req.url === '/containers/gone/json') { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"message":"No such container: gone"}'); return; }
      if (req.url?.startsWith('/containers/y/logs')) { res.writeHead(200, { 'content-type': 'application/vnd.docker.raw-stream' }); res.end(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n')])); return; }
      res.writeHead(201, { 'content-type': 'application/json' }); res.end('{"Id":"new"}');
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const e = new Engine(`unix://${sock}`);
      await expect(e.startContainer('x')).rejects.toMatchObject({ statusCode: 304 });
      await expect(e.createContainer('taken', {} as any)).rejects.toMatchObject({ statusCode: 409, json: { message: 'Conflict. The container name "/taken" is already in use' } });
      expect(await e.createContainer('ok', {} as any)).toBe('new');
      expect(await e.inspectContainer('gone')).toBeUndefined();
      expect(await e.containerLogs('y', 5)).toBe('out\nerr');
    } finally { server.close(); }
    await expect(new Engine('unix:///tmp/dockyard-no-such-engine.sock').startContainer('x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

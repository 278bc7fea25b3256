import { loadManifests } from '../../../lib/core/manifests';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, lightClient, toCreateOptions } from '../../../lib/targets/docker/engine';
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

describe('lightClient (Engine API calls without dockerode)', () => {
  const calls: string[] = [];
  const client = lightClient(async (method, apiPath, body, contentType) => {
    calls.push(`${method} ${apiPath}${body ? ` ${Buffer.isBuffer(body) ? `<${body.length} bytes ${contentType}>` : JSON.stringify(body)}` : ''}`);
    return apiPath.startsWith('/containers/create') ? { Id: 'abc' } : undefined;
  });

  test('sends the paths, queries and bodies dockerode sends; the name goes in the query, not the body', async () => {
    expect(await client.createContainer({ name: 'p-web-1', Image: 'i:1' } as any)).toEqual({ id: 'abc' });
    const c = client.getContainer('p-web-1.next');
    await c.start();
    await c.stop({ t: 0 });
    await c.stop();
    await c.remove({ force: true, v: true });
    await c.rename({ name: 'p-web-1' });
    await c.unpause();
    await c.putArchive(Buffer.alloc(1024), { path: '/' });
    await c.logs({ stdout: true, stderr: true, tail: 20, follow: false });
    await c.inspect();
    await client.getNetwork('n1').remove();
    await client.getVolume('v 1').remove();
    await client.getImage('dockyard-test/busybox:1').inspect();
    await client.createNetwork({ Name: 'p', Driver: 'bridge', CheckDuplicate: true, Labels: { a: 'b' } });
    await client.createVolume({ Name: 'v', Labels: {} });
    expect(calls).toEqual([
      'POST /containers/create?name=p-web-1 {"Image":"i:1"}',
      'POST /containers/p-web-1.next/start',
      'POST /containers/p-web-1.next/stop?t=0',
      'POST /containers/p-web-1.next/stop',
      'DELETE /containers/p-web-1.next?force=true&v=true',
      'POST /containers/p-web-1.next/rename?name=p-web-1',
      'POST /containers/p-web-1.next/unpause',
      'PUT /containers/p-web-1.next/archive?path=%2F <1024 bytes application/x-tar>',
      'GET /containers/p-web-1.next/logs?stdout=true&stderr=true&tail=20&follow=false',
      'GET /containers/p-web-1.next/json',
      'DELETE /networks/n1',
      'DELETE /volumes/v%201',
      'GET /images/dockyard-test/busybox:1/json',
      'POST /networks/create {"Name":"p","Driver":"bridge","CheckDuplicate":true,"Labels":{"a":"b"}}',
      'POST /volumes/create {"Name":"v","Labels":{}}',
    ]);
  });

  test('an engine answer of 300 or more rejects with statusCode and json, as dockerode does; 2xx JSON is parsed, other bodies stay bytes', async () => {
    const sock = path.join(os.tmpdir(), `dy-engine-${process.pid}.sock`);
    const server = http.createServer((req, res) => {
      if (req.url === '/containers/x/start') { res.writeHead(304); res.end(); return; }
      if (req.url === '/containers/create?name=taken') { res.writeHead(409, { 'content-type': 'application/json' }); res.end('{"message":"Conflict. The container name \\"/taken\\" is already in use"}'); return; }
      if (req.url?.startsWith('/containers/y/logs')) { res.writeHead(200, { 'content-type': 'application/vnd.docker.raw-stream' }); res.end('{"not":"parsed"}'); return; }
      res.writeHead(201, { 'content-type': 'application/json' }); res.end('{"Id":"new"}');
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const engine = new Engine(`unix://${sock}`);
      await expect(engine.client.getContainer('x').start()).rejects.toMatchObject({ statusCode: 304 });
      await expect(engine.client.createContainer({ name: 'taken' } as any)).rejects.toMatchObject({ statusCode: 409, json: { message: 'Conflict. The container name "/taken" is already in use' } });
      expect(await engine.client.createContainer({ name: 'ok' } as any)).toEqual({ id: 'new' });
      expect(Buffer.isBuffer(await engine.client.getContainer('y').logs({ stdout: true, stderr: true, tail: 1, follow: false }))).toBe(true);
      expect(engine.client).toBe(engine.client);
    } finally { server.close(); }
    await expect(new Engine('unix:///tmp/dockyard-no-such-engine.sock').client.getContainer('x').start()).rejects.toMatchObject({ code: 'ENOENT' });
    // TLS and ssh hosts keep dockerode (it knows their certificates and tunnels).
    expect((new Engine('ssh://me@h').client as any).modem).toBeDefined();
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect } from '../../../lib/targets/docker/engine';
import { cleanup, describeEngine, dockyard, execIn, httpGet, owned, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from './helpers';
import { webModel } from './model';

const PROJECT = `it-deploy-${RUN}`;
const PORT = PORT_BASE + 1;
const FOREIGN = `${PROJECT}-foreign`;
const flags = ['--docker', '--project', PROJECT, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull', '--stop-timeout', '1'];

describeEngine('deploy --docker against a real engine', () => {
  const dir = writeManifests({});
  const write = (greeting: string, replicas: number) => fs.writeFileSync(path.join(dir, 'app.yaml'), webModel({ greeting, replicas, port: PORT }));
  const docker = connect();

  beforeAll(async () => {
    await cleanup(PROJECT);
    await docker.getContainer(FOREIGN).remove({ force: true }).catch(() => undefined);
    // An unlabelled container whose name starts like ours: deploy and destroy must never touch it.
    await (await docker.createContainer({ name: FOREIGN, Image: TEST_IMAGE, Cmd: ['sleep', '300'] })).start();
  });
  afterAll(async () => {
    await cleanup(PROJECT);
    await docker.getContainer(FOREIGN).remove({ force: true }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('first deploy: two replicas behind a relay on 127.0.0.1, env and files inside', async () => {
    write('hello', 2);
    const r = await dockyard(['deploy', ...flags, '--wait', '--wait-timeout', '30', dir]);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`create  network   ${PROJECT}`);
    expect(r.out).toContain(`create  proxy     ${PROJECT}-web-proxy  (Service/default/web)`);
    expect([...(await owned(PROJECT)).keys()].sort()).toEqual([`${PROJECT}-web-1`, `${PROJECT}-web-2`, `${PROJECT}-web-proxy`]);

    expect(await httpGet(PORT)).toBe('<h1>hello</h1>');
    // The relay spreads connections over both replicas (Docker DNS round-robin on the Service alias).
    const hosts = new Set<string>();
    for (let i = 0; i < 16 && hosts.size < 2; i++) hosts.add((await httpGet(PORT, '/host.txt')).trim());
    expect([...hosts].sort()).toEqual([`${PROJECT}-web-1`, `${PROJECT}-web-2`]);

    const env = await execIn(`${PROJECT}-web-1`, ['env']);
    expect(env).toContain('GREETING=hello\n');
    expect(env).toContain('MESSAGE=hello world\n');
    expect(await execIn(`${PROJECT}-web-2`, ['cat', '/etc/secret/token'])).toBe('s3cret');
    expect((await execIn(`${PROJECT}-web-2`, ['stat', '-c', '%a %u', '/etc/secret/token'])).trim()).toBe('400 0');
    const info = await docker.getContainer(`${PROJECT}-web-1`).inspect();
    expect(info.HostConfig.Memory).toBe(32 * 2 ** 20);
    expect(info.HostConfig.NanoCpus).toBe(2.5e8);
    expect(info.HostConfig.RestartPolicy?.Name).toBe('always');
    expect(info.Config.Hostname).toBe(`${PROJECT}-web-1`);
    expect(info.NetworkSettings.Networks[PROJECT].Aliases).toContain('web');
  });

  test('no-op re-deploy changes nothing and recreates nothing; diff agrees', async () => {
    const before = await owned(PROJECT);
    const r = await dockyard(['deploy', ...flags, '--json', dir]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.changes).toEqual([]);
    expect(doc.durationMs).toBeLessThan(1000);
    expect(await owned(PROJECT)).toEqual(before);
    const d = await dockyard(['diff', ...flags, dir]);
    expect(d.out).toContain(`${PROJECT}: up to date`);
  });

  test('a ConfigMap change replaces the pods that read it, one at a time, and not the relay', async () => {
    const before = await owned(PROJECT);
    write('bonjour', 2);
    const d = await dockyard(['diff', ...flags, dir]);
    expect(d.out).toContain(`replace container ${PROJECT}-web-1  (Deployment/default/web): spec changed`);
    expect(d.out).toContain(`${PROJECT}-web-1: env GREETING, MESSAGE`);
    expect(d.out).not.toContain('proxy');
    const r = await dockyard(['deploy', ...flags, '--wait', dir]);
    expect(r.code).toBe(0);
    const after = await owned(PROJECT);
    expect(after.get(`${PROJECT}-web-1`)!.id).not.toBe(before.get(`${PROJECT}-web-1`)!.id);
    expect(after.get(`${PROJECT}-web-2`)!.id).not.toBe(before.get(`${PROJECT}-web-2`)!.id);
    expect(after.get(`${PROJECT}-web-proxy`)!.id).toBe(before.get(`${PROJECT}-web-proxy`)!.id);
    expect(await httpGet(PORT)).toBe('<h1>bonjour</h1>');
    expect(await execIn(`${PROJECT}-web-1`, ['env'])).toContain('GREETING=bonjour\n');
  });

  test('scaling to one replica removes the relay and publishes the pod directly', async () => {
    write('bonjour', 1);
    const r = await dockyard(['deploy', ...flags, dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`remove  container ${PROJECT}-web-2`);
    expect(r.out).toContain(`remove  proxy     ${PROJECT}-web-proxy`);
    expect([...(await owned(PROJECT)).keys()]).toEqual([`${PROJECT}-web-1`]);
    expect(await httpGet(PORT)).toBe('<h1>bonjour</h1>');
    const s = await dockyard(['status', '--docker', '--project', PROJECT, '--json']);
    expect(JSON.parse(s.out).containers).toMatchObject([{ name: `${PROJECT}-web-1`, object: 'Deployment/default/web', state: 'running', ports: [`127.0.0.1:${PORT}->8080/tcp`] }]);
  });

  test('destroy removes what the project owns and nothing else', async () => {
    const r = await dockyard(['destroy', '--docker', '--project', PROJECT, '--stop-timeout', '1']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`remove  network   ${PROJECT}`);
    expect((await owned(PROJECT)).size).toBe(0);
    expect((await docker.listNetworks({ filters: { name: [PROJECT] } })).filter((n) => n.Name === PROJECT)).toEqual([]);
    expect((await docker.getContainer(FOREIGN).inspect()).State.Running).toBe(true);
    const again = await dockyard(['destroy', '--docker', '--project', PROJECT]);
    expect(again.out).toContain('nothing to remove');
  });
});

describeEngine('a pod with two containers', () => {
  const project = `it-pod-${RUN}`;
  const dir = writeManifests({});
  const write = (v: string) => fs.writeFileSync(path.join(dir, 'pod.yaml'), `apiVersion: v1
kind: Pod
metadata: { name: duo, labels: { app: duo } }
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - { name: web, image: "${TEST_IMAGE}", env: [{ name: V, value: "${v}" }] }
    - { name: side, image: "${TEST_IMAGE}", command: [sleep, "1000"] }
`);
  const podFlags = ['--docker', '--project', project, '--no-pull', '--stop-timeout', '0'];
  beforeAll(() => cleanup(project));
  afterAll(async () => { await cleanup(project); fs.rmSync(dir, { recursive: true, force: true }); });

  test('share one network namespace and are replaced together', async () => {
    write('1');
    expect((await dockyard(['deploy', ...podFlags, dir])).code).toBe(0);
    expect(await execIn(`${project}-duo-1-side`, ['wget', '-q', '-O', '-', 'http://127.0.0.1/'])).toBe('dockyard test page\n');
    const before = await owned(project);
    write('2');
    const r = await dockyard(['deploy', ...podFlags, dir]);
    expect(r.out).toContain(`replace container ${project}-duo-1  (Pod/default/duo): spec changed`);
    const after = await owned(project);
    expect([...after.keys()].sort()).toEqual([`${project}-duo-1`, `${project}-duo-1-side`]);
    expect(after.get(`${project}-duo-1-side`)!.id).not.toBe(before.get(`${project}-duo-1-side`)!.id);
    expect(await execIn(`${project}-duo-1-side`, ['wget', '-q', '-O', '-', 'http://127.0.0.1/'])).toBe('dockyard test page\n');
  });
});

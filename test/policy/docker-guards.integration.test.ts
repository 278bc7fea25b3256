import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { WebApp } from '../../lib/constructs/web-app';
import { cleanup, describeEngine, dockyard, execIn, httpGet, owned, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from '../targets/docker/helpers';

/**
 * The guards and the secure defaults on the real engine (DOCKER_HOST): a symlink to the engine's
 * socket or its folder is refused by `deploy` and nothing is created; a WebApp with the default
 * securityContext (drop ALL, seccomp RuntimeDefault, no-new-privileges) still serves.
 */
const engineSocket = () => (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');

const podMounting = (hostPath: string) => stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sneaky' },
  spec: {
    volumes: [{ name: 'h', hostPath: { path: hostPath } }],
    containers: [{ name: 'app', image: TEST_IMAGE, command: ['sleep', '600'], volumeMounts: [{ name: 'h', mountPath: '/engine' }] }],
  },
});

describeEngine('Docker guards on the real engine', () => {
  const project = `sg-guard-${RUN}`;
  let links: string;
  beforeAll(() => {
    links = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-sock-links-'));
    fs.symlinkSync(engineSocket(), path.join(links, 'sock'));
    fs.symlinkSync(path.dirname(engineSocket()), path.join(links, 'folder'));
    fs.symlinkSync('folder', path.join(links, 'relative'));
  });
  afterAll(async () => {
    await cleanup(project);
    fs.rmSync(links, { recursive: true, force: true });
  });

  test.each(['sock', 'folder', 'relative'])('GIVEN a hostPath that is a link (%s) to the engine socket or its folder THEN deploy refuses it and creates nothing', async (link) => {
    const dir = writeManifests({ 'pod.yaml': podMounting(path.join(links, link)) });
    const r = await dockyard(['deploy', '--docker', '--project', project, '--no-pull', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`mounts ${path.join(links, link)} from the host, which resolves to ${fs.realpathSync(path.join(links, link))}`);
    expect(r.err).toContain('exposes the Docker socket');
    expect(r.err).toContain('--allow-docker-socket');
    expect([...(await owned(project)).keys()]).toEqual([]);
  });

  test('GIVEN the engine data root (from /info) mounted read-write THEN deploy refuses it', async () => {
    const info = await fetchInfo();
    const dir = writeManifests({ 'pod.yaml': podMounting(info.DockerRootDir) });
    const r = await dockyard(['deploy', '--docker', '--project', project, '--no-pull', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`mounts ${info.DockerRootDir} from the host read-write`);
    expect(r.err).toContain('--allow-host-paths');
    expect([...(await owned(project)).keys()]).toEqual([]);
  });
});

async function fetchInfo(): Promise<{ DockerRootDir: string }> {
  const { Engine } = await import('../../lib/targets/docker/engine');
  return new Engine(process.env.DOCKER_HOST).get('/info');
}

describeEngine('secure defaults on the real engine', () => {
  const project = `sg-secure-${RUN}`;
  const port = PORT_BASE + 71;
  afterAll(() => cleanup(project));

  test('GIVEN a WebApp with the default securityContext THEN busybox httpd on 8080 serves, with every capability dropped and no-new-privileges', async () => {
    const chart = Testing.chart();
    new WebApp(chart, 'web', { image: TEST_IMAGE, port: 8080, replicas: 1, command: ['sh', '-c', 'mkdir -p /tmp/www && echo secure > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www'], servicePort: port });
    const objects = Testing.synth(chart);
    expect((objects.find((o: any) => o.kind === 'ReplicationController') as any).spec.template.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    const dir = writeManifests({ 'app.yaml': objects.map((o) => stringify(o)).join('---\n') });
    const r = await dockyard(['deploy', '--docker', '--project', project, '--no-pull', '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, dir]);
    expect([r.code, r.err]).toEqual([0, expect.any(String)]);
    expect(await httpGet(port)).toBe('secure\n');
    const [name] = [...(await owned(project)).keys()];
    // CapEff of PID 1 is 0: nothing left to escalate with.
    expect(await execIn(name, ['sh', '-c', 'grep CapEff /proc/1/status'])).toMatch(/CapEff:\s+0000000000000000/);
    const { connect } = await import('../../lib/targets/docker/engine');
    const inspected = await connect().getContainer(name).inspect();
    expect(inspected.HostConfig.CapDrop).toEqual(['ALL']);
    expect(inspected.HostConfig.SecurityOpt).toEqual(['no-new-privileges:true']);
  });
});

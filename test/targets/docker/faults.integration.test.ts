import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { loadManifests } from '../../../lib/core/manifests';
import { computeChanges } from '../../../lib/targets/docker/changes';
import { connect, deployPlan, destroyProject, Engine, readActual, toCreateOptions } from '../../../lib/targets/docker/engine';
import { planDocker } from '../../../lib/targets/docker/planner';
import { LABELS } from '../../../lib/targets/docker/plan';
import { cleanup, describeEngine, dockyard, owned, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from './helpers';
import { webModel } from './model';

const PROJECT = `it-faults-${RUN}`;
const flags = ['--docker', '--project', PROJECT, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull', '--stop-timeout', '0'];

describeEngine('faults and bad input on the Docker target', () => {
  const dir = writeManifests({});
  const file = path.join(dir, 'app.yaml');
  beforeAll(() => cleanup(PROJECT));
  afterEach(() => cleanup(PROJECT));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a host port already in use: one error naming the Service and the port, nothing created', async () => {
    const server = net.createServer().listen(PORT_BASE + 3, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      fs.writeFileSync(file, webModel({ greeting: 'x', replicas: 1, port: PORT_BASE + 3 }));
      const r = await dockyard(['deploy', ...flags, dir]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`[Service/default/web (container ${PROJECT}-web-1)] host port 127.0.0.1:${PORT_BASE + 3} is already in use`);
      expect(r.err).toContain('nothing was changed');
      expect((await owned(PROJECT)).size).toBe(0);
    } finally { server.close(); }
  });

  test('a missing image names the object; the engine is left with nothing half-made', async () => {
    fs.writeFileSync(file, webModel({ greeting: 'x', replicas: 2, port: PORT_BASE + 4, image: 'dockyard-test/does-not-exist:1' }));
    const r = await dockyard(['deploy', ...flags, dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[Deployment/default/web] image "dockyard-test/does-not-exist:1" is not on the engine');
    expect((await owned(PROJECT)).size).toBe(0);
  });

  test('an unreachable engine is one clear error', async () => {
    fs.writeFileSync(file, webModel({ greeting: 'x', replicas: 1, port: PORT_BASE + 5 }));
    const r = await dockyard(['deploy', ...flags, '--host', 'unix:///tmp/dockyard-no-such-engine.sock', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot reach the Docker engine at unix:///tmp/dockyard-no-such-engine.sock');
    expect(r.err).toContain('scripts/docker-engine.sh');
  });

  test('invalid manifests and unsupported kinds fail before anything is touched', async () => {
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { a: "1" }\nbogus: 1\n');
    const bad = await dockyard(['deploy', ...flags, dir]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('app.yaml:1 ConfigMap/c');
    const ingress = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: site }\nspec: { defaultBackend: { service: { name: web, port: { number: 80 } } } }';
    fs.writeFileSync(file, webModel({ greeting: 'x', replicas: 1, port: PORT_BASE + 6, extra: ingress }));
    const r = await dockyard(['deploy', ...flags, dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Ingress/site] Ingress cannot run on a Docker host');
    expect((await owned(PROJECT)).size).toBe(0);
    const skipped = await dockyard(['deploy', ...flags, '--skip-unsupported', dir]);
    expect(skipped.code).toBe(0);
    expect(skipped.err).toContain('warning: [');
    expect(skipped.err).toContain('skipped');
  });

  test('the Docker socket is refused without --allow-docker-socket', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: { name: ci }
spec:
  containers: [{ name: ci, image: ${TEST_IMAGE}, command: [sleep, "60"], volumeMounts: [{ name: s, mountPath: /var/run/docker.sock }] }]
  volumes: [{ name: s, hostPath: { path: /var/run/docker.sock } }]
`;
    fs.writeFileSync(file, pod);
    const r = await dockyard(['deploy', ...flags, dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('exposes the Docker socket');
    expect(r.err).toContain('--allow-docker-socket');
  });

  test('--wait reports the container that failed, with its logs', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: { name: crash }
spec:
  restartPolicy: Never
  containers: [{ name: crash, image: ${TEST_IMAGE}, command: [sh, -c, "echo cannot connect to database; sleep 0.5; exit 3"] }]
`;
    fs.writeFileSync(file, pod);
    const r = await dockyard(['deploy', ...flags, '--wait', '--wait-timeout', '20', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[Pod/default/crash (container ${PROJECT}-crash-1)] exited with code 3`);
    expect(r.err).toContain('cannot connect to database');
  });

  test('two networks with the project name (two deploys raced) still deploy, and the empty one goes', async () => {
    const docker = connect();
    for (let i = 0; i < 2; i++) await docker.createNetwork({ Name: PROJECT, CheckDuplicate: false, Labels: { [LABELS.project]: PROJECT } });
    fs.writeFileSync(file, webModel({ greeting: 'x', replicas: 1, port: PORT_BASE + 7 }));
    const r = await dockyard(['deploy', ...flags, dir]);
    expect(r.err).not.toContain('ambiguous');
    expect(r.code).toBe(0);
    expect((await docker.listNetworks({ filters: { name: [PROJECT] } })).filter((n) => n.Name === PROJECT)).toHaveLength(1);
  });

  // A killed deploy's last request can land after the next deploy read the engine. Reproduced exactly:
  // right when the deploy announces a pod, another client creates (synchronously) that very container.
  describe('the engine changing under a deploy', () => {
    /** Engine API call made synchronously (blocks the event loop), so it lands before the deploy's next request. */
    const syncApi = (method: string, apiPath: string, body?: unknown): string => execFileSync(process.execPath, ['-e', `
      const req = require('node:http').request({ socketPath: process.argv[1], path: process.argv[2], method: process.argv[3], headers: { 'content-type': 'application/json' } }, (res) => {
        let t = ''; res.on('data', (c) => t += c); res.on('end', () => { if (res.statusCode >= 400) { console.error(t); process.exit(1); } process.stdout.write(t); });
      });
      req.end(process.argv[4] || undefined);`, new URL(process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').pathname, apiPath, method, body ? JSON.stringify(body) : ''], { encoding: 'utf8' });
    const load = (replicas: number) => {
      fs.writeFileSync(file, webModel({ greeting: 'late', replicas, port: PORT_BASE + 8 }));
      return planDocker(loadManifests([dir]), { project: PROJECT, publishAddress: '127.0.0.1', proxyImage: TEST_IMAGE });
    };

    test('a container of ours created meanwhile: the deploy reads again and converges, no error', async () => {
      const plan = load(2);
      const target = plan.containers.find((c) => c.name === `${PROJECT}-web-2`)!;
      const infos: string[] = [];
      let injected = false;
      const result = await deployPlan(new Engine(), plan, {
        pull: false, stopTimeoutSeconds: 0,
        onProgress: (e) => {
          if (e.type === 'info') infos.push(e.message);
          if (e.type === 'change' && e.change?.name === target.name && !injected) {
            injected = true;
            const netId = JSON.parse(syncApi('GET', `/networks/${PROJECT}`)).Id;
            syncApi('POST', `/containers/create?name=${target.name}`, toCreateOptions(target, target.name, target.pod, netId));
          }
        },
      });
      expect(injected).toBe(true);
      expect(infos).toHaveLength(1);
      expect(infos[0]).toMatch(new RegExp(`container ${target.name} appeared meanwhile; reading the engine again`));
      const actual = await readActual(new Engine(), PROJECT);
      expect(computeChanges(plan, actual)).toEqual([]);
      expect(actual.containers.map((c) => `${c.name} ${c.state}`).sort()).toEqual([`${PROJECT}-web-1 running`, `${PROJECT}-web-2 running`, `${PROJECT}-web-proxy running`]);
      expect(result.changes.length).toBeGreaterThan(0);
    });

    test('a container named like ours but not ours stays a user error naming it', async () => {
      const plan = load(1);
      const target = plan.containers.find((c) => c.name === `${PROJECT}-web-1`)!;
      const attempt = deployPlan(new Engine(), plan, {
        pull: false, stopTimeoutSeconds: 0,
        onProgress: (e) => {
          if (e.type === 'change' && e.change?.name === target.name) syncApi('POST', `/containers/create?name=${target.name}`, { Image: TEST_IMAGE, Cmd: ['sleep', '1'], Labels: { owner: 'someone-else' } });
        },
      });
      await expect(attempt).rejects.toThrow(`a container name it needs is taken`);
      await connect().getContainer(target.name).remove({ force: true });
    });

    test('destroy also removes a container of ours that appeared while it ran', async () => {
      const plan = load(1);
      await deployPlan(new Engine(), plan, { pull: false, stopTimeoutSeconds: 0 });
      const extra = plan.containers.find((c) => c.name === `${PROJECT}-web-1`)!;
      let injected = false;
      const result = await destroyProject(new Engine(), PROJECT, {
        stopTimeoutSeconds: 0,
        onProgress: (e) => {
          if (e.type === 'done' && e.change?.name === extra.name && !injected) {
            injected = true;
            syncApi('POST', `/containers/create?name=${extra.name}`, toCreateOptions(extra, extra.name, extra.pod));
          }
        },
      });
      expect(injected).toBe(true);
      expect(result.changes.filter((c) => c.name === extra.name)).toHaveLength(2);
      expect((await owned(PROJECT)).size).toBe(0);
    });
  });
});

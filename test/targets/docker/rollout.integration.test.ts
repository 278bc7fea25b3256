/**
 * Rollouts, data and failures on a real engine: a surge rollout under a request loop (no request may
 * fail), kept and foreign volumes, a refused start taken back, an unhealthy container explained by
 * its health log, and `diff` predicting a conflict. Unique projects per process; traffic only to
 * ports published on 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LABELS } from '../../../lib/targets/docker/plan';
import { connect } from '../../../lib/targets/docker/engine';
import { cleanup, describeEngine, dockyard, httpGet, owned, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from './helpers';
import { webModel } from './model';

const flags = (project: string) => ['--docker', '--project', project, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull'];

/** A fetch failure with its cause ("fetch failed: other side closed"): the cause tells which connection broke. */
function failure(e: unknown): string {
  const cause = (e as Error)?.cause as Error | undefined;
  return `${String((e as Error)?.message ?? e)}${cause ? `: ${String(cause.message ?? cause)}` : ''}`;
}

/** Sequential GETs to 127.0.0.1:port until `stop()`; counts failures and the bodies seen. */
function trafficLoop(port: number): { stop: () => Promise<{ ok: number; failed: string[]; bodies: Set<string> }> } {
  let running = true;
  const failed: string[] = [];
  const bodies = new Set<string>();
  let ok = 0;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5000) });
        const body = await res.text();
        if (res.ok) { ok++; bodies.add(body); } else failed.push(`HTTP ${res.status}`);
      } catch (e) { failed.push(`${new Date().toISOString()} ${failure(e)}`); }
    }
  })();
  return { stop: async () => { running = false; await loop; return { ok, failed, bodies }; } };
}

describeEngine('surge rollouts on a real engine', () => {
  const project = `it-roll-${RUN}`;
  const port = PORT_BASE + 11;
  const dir = writeManifests({});
  const write = (greeting: string) => fs.writeFileSync(path.join(dir, 'app.yaml'), webModel({ greeting, replicas: 3, port, grace: 3 }));
  beforeAll(() => cleanup(project));
  afterAll(async () => { await cleanup(project); fs.rmSync(dir, { recursive: true, force: true }); });

  test('an env change of 3 ready replicas behind the relay: no request fails, new replicas start before old ones stop, names end as they were', async () => {
    write('one');
    const first = await dockyard(['deploy', ...flags(project), '--wait', '--wait-timeout', '60', dir]);
    expect(first.err).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(await httpGet(port)).toBe('<h1>one</h1>');
    const before = await owned(project);

    write('two');
    const traffic = trafficLoop(port);
    const r = await dockyard(['deploy', ...flags(project), dir]);
    // A little traffic after the deploy returned, too.
    await new Promise((res) => setTimeout(res, 500));
    const seen = await traffic.stop();
    expect(`exit ${r.code}: ${r.err}`).not.toMatch(/error|exit 1/i);
    expect(seen.failed).toEqual([]);
    expect(seen.ok).toBeGreaterThan(10);
    expect([...seen.bodies].sort()).toEqual(['<h1>one</h1>', '<h1>two</h1>']);

    const after = await owned(project);
    expect([...after.keys()].sort()).toEqual([`${project}-web-1`, `${project}-web-2`, `${project}-web-3`, `${project}-web-proxy`]);
    for (const i of [1, 2, 3]) expect(after.get(`${project}-web-${i}`)!.id).not.toBe(before.get(`${project}-web-${i}`)!.id);
    expect(after.get(`${project}-web-proxy`)!.id).toBe(before.get(`${project}-web-proxy`)!.id);
    expect(await httpGet(port)).toBe('<h1>two</h1>');
    const again = await dockyard(['deploy', ...flags(project), '--json', dir]);
    expect(JSON.parse(again.out).changes).toEqual([]);
    // Two deploys that each wait for 3 replicas to start and be healthy, one after another: on the
    // shared engine under load a container start alone takes seconds.
  }, 180000);
});

describeEngine('the relay spreads connections over the replicas in rotation only', () => {
  const project = `it-rot-${RUN}`;
  const port = PORT_BASE + 13;
  const dir = writeManifests({ 'app.yaml': webModel({ greeting: 'rot', replicas: 2, port }) });
  const docker = connect();
  beforeAll(() => cleanup(project));
  afterAll(async () => { await cleanup(project); fs.rmSync(dir, { recursive: true, force: true }); });

  /** Hostnames (one per replica) answering `n` requests through the relay. */
  async function hostsSeen(n: number): Promise<string[]> {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) seen.add((await httpGet(port, '/host.txt', 1)).trim());
    return [...seen].sort();
  }

  test('a replica renamed .old (retiring) or .next (not promoted) gets no new connection while another answers; all are tried when none is in rotation', async () => {
    expect((await dockyard(['deploy', ...flags(project), '--wait', '--wait-timeout', '60', dir])).code).toBe(0);
    const ids = await owned(project);
    // By id: the names change below.
    const [one, two] = [1, 2].map((i) => docker.getContainer(ids.get(`${project}-web-${i}`)!.id));
    const host = async (c: typeof one) => (await c.inspect()).Config.Hostname;
    const [h1, h2] = [await host(one), await host(two)];
    // Docker's DNS shuffles the alias: 2 replicas both answer well within 30 requests.
    expect(await hostsSeen(30)).toEqual([h1, h2].sort());

    await one.rename({ name: `${project}-web-1.old` });
    expect(await hostsSeen(20)).toEqual([h2]);
    await two.rename({ name: `${project}-web-2.next` });
    // Nothing in rotation: the relay still answers from the others rather than refusing.
    expect((await hostsSeen(6)).length).toBeGreaterThan(0);
    await one.rename({ name: `${project}-web-1` });
    expect(await hostsSeen(20)).toEqual([h1]);
    await two.rename({ name: `${project}-web-2` });
    expect(await hostsSeen(30)).toEqual([h1, h2].sort());
  }, 120000);
});

describeEngine('data and failures on a real engine', () => {
  const project = `it-data-${RUN}`;
  const dir = writeManifests({});
  const file = path.join(dir, 'app.yaml');
  const docker = connect();
  const volume = `${project}-data`;
  const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: Pod
metadata: { name: db }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: db, image: ${TEST_IMAGE}, command: [sh, -c, "test -f /data/kept || date > /data/kept; exec sleep 600"], volumeMounts: [{ name: d, mountPath: /data }] }]
  volumes: [{ name: d, persistentVolumeClaim: { claimName: data } }]
`;
  beforeAll(async () => { await cleanup(project); await docker.getVolume(volume).remove().catch(() => undefined); });
  afterAll(async () => {
    await cleanup(project);
    await docker.getVolume(volume).remove().catch(() => undefined);
    await docker.getContainer(`${project}-web-1`).remove({ force: true }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('destroy keeps named volumes and says so; destroy --volumes removes them', async () => {
    fs.writeFileSync(file, claim);
    expect((await dockyard(['deploy', ...flags(project), dir])).code).toBe(0);
    const r = await dockyard(['destroy', '--docker', '--project', project, '--stop-timeout', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`keep    volume    ${volume}  (named volumes are kept; destroy --volumes removes them)`);
    expect((await owned(project)).size).toBe(0);
    expect((await docker.getVolume(volume).inspect()).Labels?.[LABELS.project]).toBe(project);
    const all = await dockyard(['destroy', '--docker', '--project', project, '--volumes', '--json']);
    expect(JSON.parse(all.out).changes).toContainEqual(expect.objectContaining({ action: 'remove', kind: 'volume', name: volume }));
    await expect(docker.getVolume(volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  test('a volume of the claim\'s name that the project does not own: diff and deploy refuse it, nothing is touched', async () => {
    await docker.createVolume({ Name: volume });
    try {
      fs.writeFileSync(file, claim);
      const d = await dockyard(['diff', ...flags(project), dir]);
      expect(d.code).toBe(1);
      expect(d.err).toContain(`[PersistentVolumeClaim/default/data (volume ${volume})] a volume named "${volume}" exists and is not owned by project "${project}"`);
      const r = await dockyard(['deploy', ...flags(project), dir]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('nothing was changed');
      expect(r.err).toContain(`a volume named "${volume}" exists and is not owned by project "${project}"`);
      expect((await owned(project)).size).toBe(0);
      expect((await docker.getVolume(volume).inspect()).Labels ?? {}).toEqual({});
    } finally { await docker.getVolume(volume).remove().catch(() => undefined); }
  });

  test('the runtime refusing a start (workingDir is a file) is a user error naming container and field; the deploy leaves nothing behind', async () => {
    fs.writeFileSync(file, `apiVersion: v1
kind: Pod
metadata: { name: wd }
spec:
  containers: [{ name: wd, image: ${TEST_IMAGE}, workingDir: /etc/passwd, command: [sleep, "60"] }]
`);
    const r = await dockyard(['deploy', ...flags(project), dir]);
    expect(r.err).not.toContain('internal error');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[Pod/default/wd (container ${project}-wd-1) workingDir]`);
    expect(r.err).toContain('Fix: point workingDir at a folder');
    expect((await owned(project)).size).toBe(0);
    expect((await docker.listNetworks({ filters: { label: [`${LABELS.project}=${project}`] } }))).toEqual([]);
  });

  test('an unhealthy container: the error shows the engine\'s health-check output and exit code', async () => {
    fs.writeFileSync(file, `apiVersion: v1
kind: Pod
metadata: { name: sick }
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: sick
      image: ${TEST_IMAGE}
      command: [sh, -c, "echo starting up; exec httpd -f -p 8080 -h /www"]
      readinessProbe: { exec: { command: [nc, -z, 127.0.0.1, "8080"] }, periodSeconds: 1, failureThreshold: 2 }
`);
    const r = await dockyard(['deploy', ...flags(project), '--wait', '--wait-timeout', '40', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[Pod/default/sick (container ${project}-sick-1)] is unhealthy; last health checks (engine's State.Health.Log):`);
    expect(r.err).toMatch(/exit 1: .*nc: invalid option -- 'z'/);
    expect(r.err).toContain('starting up');
    await cleanup(project);
  });

  test('diff reports a container name held by something else and exits 1; deploy refuses it the same way', async () => {
    await docker.createContainer({ name: `${project}-web-1`, Image: TEST_IMAGE, Cmd: ['sleep', '1'] });
    fs.writeFileSync(file, webModel({ greeting: 'x', replicas: 1, port: PORT_BASE + 12 }));
    const d = await dockyard(['diff', ...flags(project), dir]);
    expect(d.code).toBe(1);
    expect(d.out).toContain(`create  container ${project}-web-1`);
    expect(d.err).toContain(`[Deployment/default/web (container ${project}-web-1)] a container named "${project}-web-1" exists and is not owned by project "${project}"`);
    const r = await dockyard(['deploy', ...flags(project), dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`a container named "${project}-web-1" exists and is not owned by project "${project}"`);
  });
});

/**
 * The reconciler against an in-memory engine (fake-engine.ts): rollouts (surge, unavailability,
 * Recreate, Pods), parallel background stops, failure take-back, the lock, kept and foreign volumes,
 * and the engine error table. The real-engine tests cover the same with traffic.
 */
import { DockyardError } from '../../../lib/core/errors';
import type { KubeObject } from '../../../lib/core/manifests';
import { classify, explainEngineError } from '../../../lib/targets/docker/engine-errors';
import type { ProgressEvent } from '../../../lib/targets/docker/events';
import { LOCK_LABELS, lockName, isStale } from '../../../lib/targets/docker/lock';
import { planDocker } from '../../../lib/targets/docker/planner';
import { deployPlan, destroyProject, readActual } from '../../../lib/targets/docker/reconciler';
import { computeChanges } from '../../../lib/targets/docker/changes';
import { FakeEngine } from './fake-engine';

const IMAGE = 'dockyard-test/busybox:1';

function web(opts: { replicas: number; value: string; strategy?: unknown; kind?: string; probe?: boolean; workingDir?: string }): KubeObject[] {
  const container = { name: 'web', image: IMAGE, env: [{ name: 'V', value: opts.value }], ...(opts.workingDir ? { workingDir: opts.workingDir } : {}), ...(opts.probe ? { readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } } : {}) };
  if (opts.kind === 'Pod') return [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [container] } }];
  return [{
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas: opts.replicas, ...(opts.strategy ? { strategy: opts.strategy } : {}), selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } } },
  }];
}
const plan = (objects: KubeObject[], project = 'p') => planDocker(objects, { project });
const OBJ = 'Deployment/default/web';

describe('reconciler (in-memory engine)', () => {
  test('GIVEN a first deploy THEN network and pods are created and started; a re-deploy touches nothing and takes no lock', async () => {
    const engine = new FakeEngine();
    const r = await deployPlan(engine, plan(web({ replicas: 2, value: 'a' })));
    expect(r.changes.map((c) => `${c.action} ${c.name}`)).toEqual(['create p', 'create p-web-1', 'create p-web-2']);
    expect(engine.snapshot()).toEqual({ 'p-web-1': 'running', 'p-web-2': 'running' });
    expect(engine.ops).toContain(`create ${lockName('p')}`);
    engine.ops.length = 0;
    const again = await deployPlan(engine, plan(web({ replicas: 2, value: 'a' })));
    expect(again.changes).toEqual([]);
    expect(engine.ops).toEqual([]);
  });

  test('GIVEN 3 replicas and the default strategy (25%/25%) THEN each new replica starts next to its old one, 3 to 4 run at all times, old ones stop in the background', async () => {
    const engine = new FakeEngine();
    await deployPlan(engine, plan(web({ replicas: 3, value: 'a', probe: true })));
    engine.resetCounts();
    engine.ops.length = 0;
    engine.stopDelayMs = 150;
    const events: ProgressEvent[] = [];
    await deployPlan(engine, plan(web({ replicas: 3, value: 'b', probe: true })), { onProgress: (e) => events.push(e) });
    expect(engine.minRunning.get(OBJ)).toBe(3);
    expect(engine.maxRunning.get(OBJ)).toBe(4);
    const ops = engine.ops.filter((o) => !o.includes('.lock'));
    // Pod 1: surge replica, swap names, old one stopping; pod 2 starts before pod 1's old one has stopped.
    expect(ops.slice(0, 3)).toEqual(['create p-web-1.next', 'start p-web-1.next', 'rename p-web-1 -> p-web-1.old']);
    expect(ops.indexOf('rename p-web-1.next -> p-web-1')).toBeLessThan(ops.indexOf('create p-web-2.next'));
    expect(ops.indexOf('start p-web-2.next')).toBeLessThan(ops.indexOf('stopped p-web-1.old'));
    expect(engine.snapshot()).toEqual({ 'p-web-1': 'running', 'p-web-2': 'running', 'p-web-3': 'running' });
    // Events: change/done per pod, a wait for health per new replica, stop begin/end with the grace reason.
    expect(events.filter((e) => e.type === 'change').map((e) => e.change!.name)).toEqual(['p-web-1', 'p-web-2', 'p-web-3']);
    expect(events.find((e) => e.action === 'stop' && e.phase === 'begin')).toMatchObject({ type: 'step', reason: 'grace', container: 'p-web-1.old', object: OBJ });
    expect(events.every((e) => typeof e.at === 'number')).toBe(true);
  });

  test('GIVEN maxSurge 0, maxUnavailable 1 THEN at most one replica is down and none surges', async () => {
    const engine = new FakeEngine();
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    await deployPlan(engine, plan(web({ replicas: 3, value: 'a', strategy })));
    engine.resetCounts();
    await deployPlan(engine, plan(web({ replicas: 3, value: 'b', strategy })));
    expect(engine.maxRunning.get(OBJ)).toBeLessThanOrEqual(3);
    expect(engine.minRunning.get(OBJ)).toBe(2);
    expect(engine.ops.some((o) => o.includes('.next'))).toBe(false);
  });

  test('GIVEN Recreate THEN every old pod is gone before the first new one is created; old stops run in parallel', async () => {
    const engine = new FakeEngine();
    const strategy = { type: 'Recreate' };
    await deployPlan(engine, plan(web({ replicas: 3, value: 'a', strategy })));
    engine.ops.length = 0;
    engine.stopDelayMs = 100;
    await deployPlan(engine, plan(web({ replicas: 3, value: 'b', strategy })));
    const ops = engine.ops.filter((o) => !o.includes('.lock'));
    const lastRemove = Math.max(...ops.map((o, i) => (o.startsWith('remove p-web') ? i : -1)));
    const firstCreate = ops.findIndex((o) => o.startsWith('create p-web'));
    expect(lastRemove).toBeLessThan(firstCreate);
    // Three stops began before the first one ended.
    expect(ops.slice(0, 3)).toEqual(['stop p-web-1', 'stop p-web-2', 'stop p-web-3']);
  });

  test('GIVEN a bare Pod THEN the old one is stopped and removed before the new one starts', async () => {
    const engine = new FakeEngine();
    await deployPlan(engine, plan(web({ replicas: 1, value: 'a', kind: 'Pod' })));
    engine.ops.length = 0;
    await deployPlan(engine, plan(web({ replicas: 1, value: 'b', kind: 'Pod' })));
    expect(engine.ops.filter((o) => !o.includes('.lock'))).toEqual(['create p-web-1.next', 'stop p-web-1', 'stopped p-web-1', 'remove p-web-1', 'rename p-web-1.next -> p-web-1', 'start p-web-1']);
  });

  test('GIVEN the runtime refuses a start (500, workingDir is a file) THEN a user error names container and field, and what the run made is removed', async () => {
    const engine = new FakeEngine();
    engine.hooks.start = (c) => (c.name === 'p-web-2' ? Object.assign(new Error('x'), { statusCode: 500, json: { message: 'OCI runtime create failed: runc create failed: unable to start container process: error during container init: chdir to cwd ("/etc/hostname") set in config.json failed: not a directory: unknown' } }) : undefined);
    const err = await deployPlan(engine, plan(web({ replicas: 2, value: 'a', workingDir: '/etc/hostname' }))).catch((e) => e);
    expect(err).toBeInstanceOf(DockyardError);
    expect(err.message).toContain('[Deployment/default/web (container p-web-2) workingDir] the container runtime refused workingDir: OCI runtime create failed');
    expect(err.message).toContain('Fix: point workingDir at a folder');
    expect(engine.snapshot()).toEqual({});
    expect([...engine.networks.keys()]).toEqual([]);
  });

  test('GIVEN a new replica that never gets healthy THEN the rollout stops with the health log, the old replicas keep running, the surge replica is gone', async () => {
    const engine = new FakeEngine();
    await deployPlan(engine, plan(web({ replicas: 2, value: 'a', probe: true })));
    const before = engine.snapshot();
    engine.hooks.health = (c) => (c.name.endsWith('.next') ? { status: 'unhealthy', log: [{ ExitCode: 1, Output: "nc: invalid option -- 'z'\n" }] } : { status: 'healthy' });
    const err = await deployPlan(engine, plan(web({ replicas: 2, value: 'b', probe: true }))).catch((e) => e);
    expect(err).toBeInstanceOf(DockyardError);
    expect(err.message).toContain('[Deployment/default/web (container p-web-1)] is unhealthy');
    expect(err.message).toContain("exit 1: nc: invalid option -- 'z'");
    expect(err.message).toContain('logs of p-web-1.next');
    expect(engine.snapshot()).toEqual(before);
  });

  test('GIVEN the lock held by a live process THEN a deploy with no wait refuses naming it; a dead holder is taken over', async () => {
    const engine = new FakeEngine();
    const hold = (pid: number) => engine.createContainer(lockName('p'), { Image: IMAGE, Labels: { [LOCK_LABELS.lock]: 'p', [LOCK_LABELS.pid]: String(pid), [LOCK_LABELS.host]: require('node:os').hostname(), [LOCK_LABELS.since]: new Date().toISOString(), [LOCK_LABELS.command]: 'deploy' } });
    const id = await hold(process.ppid);
    const err = await deployPlan(engine, plan(web({ replicas: 1, value: 'a' })), { lockTimeoutMs: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(DockyardError);
    expect(err.message).toContain(`another deploy or destroy of this project is running: deploy (pid ${process.ppid}`);
    expect(engine.snapshot()).toEqual({ [lockName('p')]: 'created' });
    await engine.removeContainer(id);
    await hold(2 ** 22 + 12345); // above pid_max: no such process
    const events: ProgressEvent[] = [];
    await deployPlan(engine, plan(web({ replicas: 1, value: 'a' })), { lockTimeoutMs: 0, onProgress: (e) => events.push(e) });
    expect(events.find((e) => e.action === 'lock')?.message).toContain('which is gone; taking it over');
    expect(engine.snapshot()).toEqual({ 'p-web-1': 'running' });
  });

  test('isStale: a dead pid on this host or an old lock is stale; a live one or another host is not', () => {
    const host = require('node:os').hostname();
    const now = Date.now();
    const l = (pid: number, h: string, ageMs: number) => ({ [LOCK_LABELS.pid]: String(pid), [LOCK_LABELS.host]: h, [LOCK_LABELS.since]: new Date(now - ageMs).toISOString() });
    expect(isStale(l(process.pid, host, 0), now)).toBe(false);
    expect(isStale(l(2 ** 22 + 1, host, 0), now)).toBe(true);
    expect(isStale(l(2 ** 22 + 1, 'elsewhere', 0), now)).toBe(false);
    expect(isStale(l(process.pid, host, 31 * 60 * 1000), now)).toBe(true);
  });

  describe('volumes', () => {
    const withClaim = (): KubeObject[] => [
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db' }, spec: { containers: [{ name: 'db', image: IMAGE, volumeMounts: [{ name: 'd', mountPath: '/data' }] }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } },
    ];

    test('GIVEN destroy without volumes THEN named volumes are kept and named; with volumes: true they go', async () => {
      const engine = new FakeEngine();
      await deployPlan(engine, plan(withClaim()));
      const events: ProgressEvent[] = [];
      const r = await destroyProject(engine, 'p', { onProgress: (e) => events.push(e) });
      expect(r.keptVolumes).toEqual(['p-data']);
      expect(events.filter((e) => e.type === 'info').map((e) => e.message)).toEqual(['keep    volume    p-data  (named volumes are kept; destroy --volumes removes them)']);
      expect(engine.snapshot()).toEqual({});
      expect([...engine.volumes.keys()]).toEqual(['p-data']);
      // The next deploy finds its data again.
      await deployPlan(engine, plan(withClaim()));
      expect(engine.ops.filter((o) => o === 'create volume p-data')).toHaveLength(1);
      const gone = await destroyProject(engine, 'p', { volumes: true });
      expect(gone.changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toContain('remove volume p-data');
      expect(engine.volumes.size).toBe(0);
    });

    test('GIVEN a volume of the claim\'s name without the project label THEN deploy refuses, says how to resolve it, and touches nothing', async () => {
      const engine = new FakeEngine();
      await engine.createVolume('p-data', {});
      engine.ops.length = 0;
      const err = await deployPlan(engine, plan(withClaim())).catch((e) => e);
      expect(err).toBeInstanceOf(DockyardError);
      expect(err.message).toContain('[PersistentVolumeClaim/default/data (volume p-data)] a volume named "p-data" exists and is not owned by project "p"');
      expect(err.message).toContain('deploy under another --project');
      expect(engine.ops.filter((o) => !o.includes('.lock'))).toEqual([]);
      expect(computeChanges(plan(withClaim()), await readActual(engine, 'p')).length).toBeGreaterThan(0);
    });
  });
});

describe('engine error table', () => {
  const err = (statusCode: number, message: string) => ({ statusCode, json: { message } });
  test('each answer falls under the rule that says what it means', () => {
    expect(classify(err(304, ''), 'start')?.kind).toBe('done');
    expect(classify(err(404, 'No such container: x'), 'remove')?.kind).toBe('done');
    expect(classify(err(404, 'No such container: x'), 'rename')?.kind).toBe('moved');
    expect(classify(err(409, 'removal of container x is already in progress'), 'remove')?.kind).toBe('moved');
    expect(classify(err(500, 'Error response from daemon: network p is ambiguous (2 matches found based on name)'), 'create')?.kind).toBe('moved');
    expect(classify(err(500, 'driver failed programming external connectivity: Bind for 127.0.0.1:80 failed: port is already allocated'), 'start')?.field).toBe('ports');
    expect(classify(err(400, 'exec: "nope": executable file not found in $PATH: unknown'), 'start')?.field).toBe('command');
    expect(classify(err(500, 'unable to find user app: no matching entries in passwd file'), 'start')?.field).toBe('securityContext.runAsUser');
    expect(classify(err(500, 'anything else'), 'start')?.kind).toBe('user');
    expect(classify(err(500, 'anything else'), 'read')).toBeUndefined();
    expect(classify(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }), 'read')?.kind).toBe('user');
  });

  test('a user error names the object, the container and the field', () => {
    const c = plan(web({ replicas: 1, value: 'a' })).containers[0];
    const e = explainEngineError(err(500, 'exec: "nope": executable file not found in $PATH: unknown'), { op: 'start', name: c.name, container: c }) as DockyardError;
    expect(e.problems).toEqual([{ where: 'Deployment/default/web (container p-web-1) command', message: 'the command cannot be run: exec: "nope": executable file not found in $PATH: unknown', fix: 'fix command/args (the program must exist in the image and be executable)' }]);
  });
});

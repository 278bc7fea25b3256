import { repairCommand, splitStatusFlags } from '../../../lib/cli/commands/status';
import { planDocker } from '../../../lib/targets/docker/planner';
import { LABELS } from '../../../lib/targets/docker/plan';
import { againstPrevious, buildReport, containerState, cpuPercent, driftFromLabels, memoryUsage, publishedPorts, worstHealth, workloadRows } from '../../../lib/targets/docker/status';
import { cpuCell, displayObject, formatBytes, formatPercent, memoryCell, renderStatus } from '../../../lib/targets/docker/status-view';
import { parseAllDocuments } from 'yaml';
import { inspect, inspectPlanned, STATS_CGROUP2, STATS_RUNNING, STATS_STOPPED, workloadLabels } from './status.fixtures';
import { webModel } from './model';

const P = 'unit';
const REPAIR = 'dockyard deploy --docker --project unit app.yaml';

describe('CPU and memory from stats, the way docker stats computes them', () => {
  test('recorded sample of a busy loop limited to 0.25 CPU: about 25 %', () => {
    // (1041558040 - 790586237) / (7419030000000 - 7417060000000) * 2 CPUs * 100
    expect(cpuPercent(STATS_RUNNING)).toBeCloseTo(25.4793, 3);
  });
  test('online_cpus missing: the number of per-CPU counters is used', () => {
    expect(cpuPercent(STATS_CGROUP2)).toBeCloseTo(10, 6);
  });
  test('no previous sample (stopped, or one-shot stats): unknown, not 0', () => {
    expect(cpuPercent(STATS_STOPPED)).toBeUndefined();
    expect(cpuPercent(undefined)).toBeUndefined();
  });
  test('idle or counters going backwards: 0', () => {
    const idle = { ...STATS_RUNNING, cpu_stats: { ...STATS_RUNNING.cpu_stats, cpu_usage: STATS_RUNNING.precpu_stats!.cpu_usage } };
    expect(cpuPercent(idle)).toBe(0);
  });
  test('watch: a one-shot sample measured against the previous refresh\'s sample', () => {
    const oneShot = { ...STATS_RUNNING, precpu_stats: { cpu_usage: { total_usage: 0 } } };
    expect(cpuPercent(oneShot)).toBeUndefined();
    expect(cpuPercent(againstPrevious(oneShot, { cpu_stats: STATS_RUNNING.precpu_stats }))).toBeCloseTo(25.4793, 3);
    // No previous sample, or one that is not older (the engine restarted): left as it is.
    expect(againstPrevious(oneShot, undefined)).toBe(oneShot);
    expect(againstPrevious(oneShot, { cpu_stats: STATS_RUNNING.cpu_stats })).toBe(oneShot);
  });
  test('memory: usage minus inactive page cache (v1 total_inactive_file, v2 inactive_file, else cache)', () => {
    expect(memoryUsage(STATS_RUNNING)).toBe(380928);
    expect(memoryUsage(STATS_CGROUP2)).toBe(8 * 2 ** 20);
    expect(memoryUsage({ memory_stats: { usage: 1000, stats: { cache: 300 } } })).toBe(700);
    expect(memoryUsage({ memory_stats: { usage: 1000, stats: { total_inactive_file: 5000 } } })).toBe(1000);
    expect(memoryUsage(STATS_STOPPED)).toBeUndefined();
  });
});

describe('containerState from inspect + stats', () => {
  test('a running container: health, restarts, ports, limits, usage', () => {
    const s = containerState(inspect({
      name: 'unit-web-1', labels: workloadLabels(P, 'Deployment/default/web', 'unit-web-1', 1), health: 'healthy', restarts: 2,
      memory: 32 * 2 ** 20, nanoCpus: 2.5e8, ports: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '20001' }] },
    }), STATS_RUNNING);
    expect(s).toMatchObject({ name: 'unit-web-1', object: 'Deployment/default/web', pod: 'unit-web-1', replica: 1, state: 'running', health: 'healthy', restarts: 2, ports: ['127.0.0.1:20001->8080/tcp'], cpuLimitPercent: 25, memoryBytes: 380928, memoryLimitBytes: 32 * 2 ** 20, hash: 'h1' });
    expect(s.cpuPercent).toBeCloseTo(25.48, 2);
    expect(s.memoryHostBytes).toBeUndefined();
  });
  test('a stopped container: its stale "unhealthy" is not shown, stats are ignored', () => {
    const s = containerState(inspect({ name: 'x', labels: workloadLabels(P, 'Pod/default/x', 'x', 1), state: 'exited', health: 'unhealthy' }), STATS_RUNNING);
    expect(s).toMatchObject({ state: 'exited', exitCode: 137, health: 'none', ports: [] });
    expect(s.cpuPercent).toBeUndefined();
    expect(s.memoryBytes).toBeUndefined();
  });
  test('no memory limit: the host memory the engine reports is kept apart', () => {
    const s = containerState(inspect({ name: 'x', labels: workloadLabels(P, 'Pod/default/x', 'x', 1) }), STATS_CGROUP2);
    expect(s.memoryLimitBytes).toBeUndefined();
    expect(s.memoryHostBytes).toBe(25_275_000_000);
  });
  test('published ports: unpublished exposed ports are left out, duplicates merged, sorted', () => {
    expect(publishedPorts({ '80/tcp': null, '9000/udp': [{ HostIp: '', HostPort: '9000' }], '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '1' }, { HostIp: '127.0.0.1', HostPort: '1' }] }))
      .toEqual(['0.0.0.0:9000->9000/udp', '127.0.0.1:1->8080/tcp']);
  });
});

describe('rows per workload', () => {
  const web = (i: number, extra: Parameters<typeof inspect>[0] extends infer F ? Partial<F> : never = {}) =>
    containerState(inspect({ name: `unit-web-${i}`, labels: workloadLabels(P, 'Deployment/default/web', `unit-web-${i}`, i), memory: 32 * 2 ** 20, nanoCpus: 2.5e8, health: 'healthy', ...extra }), STATS_RUNNING);

  test('sums CPU, memory and limits over running replicas; worst health wins', () => {
    const [row] = workloadRows([web(1), web(2, { health: 'starting', restarts: 3 })]);
    expect(row).toMatchObject({ object: 'Deployment/default/web', desired: 2, desiredFrom: 'labels', running: 2, health: 'starting', restarts: 3, cpuLimitPercent: 50, memoryBytes: 2 * 380928, memoryLimitBytes: 64 * 2 ** 20 });
    expect(row.cpuPercent).toBeCloseTo(50.96, 2);
  });
  test('a stopped replica counts as not running and adds nothing to CPU or memory', () => {
    const [row] = workloadRows([web(1), web(2, { state: 'exited' })]);
    expect(row).toMatchObject({ desired: 2, running: 1, memoryBytes: 380928, memoryLimitBytes: 32 * 2 ** 20 });
  });
  test('a limit is only shown when every running container has one', () => {
    const [row] = workloadRows([web(1), web(2, { memory: 0, nanoCpus: 0 })]);
    expect(row.memoryLimitBytes).toBeUndefined();
    expect(row.cpuLimitPercent).toBeUndefined();
  });
  test('worstHealth: unhealthy > starting > healthy > none', () => {
    expect(worstHealth(['healthy', 'unhealthy', 'starting'])).toBe('unhealthy');
    expect(worstHealth(['healthy', 'none'])).toBe('healthy');
    expect(worstHealth([])).toBe('none');
  });
});

describe('drift from labels alone (no manifests)', () => {
  const c = (i: number, over: Partial<Parameters<typeof inspect>[0]> = {}) => containerState(inspect({ name: `unit-web-${i}`, labels: workloadLabels(P, 'Deployment/default/web', `unit-web-${i}`, i), ...over }));

  test('a gap in the replica numbers is a removed container; the highest one cannot be seen', () => {
    expect(driftFromLabels([c(1), c(3)], REPAIR)).toEqual([{ kind: 'missing', object: 'Deployment/default/web', name: 'unit-web-2', message: 'replica 2 of 3 is missing: removed by hand', fix: REPAIR }]);
    expect(driftFromLabels([c(1), c(2)], REPAIR)).toEqual([]);
  });
  test('stopped by hand (restart policy always) is drift; a finished run-once container is not', () => {
    const d = driftFromLabels([c(1, { state: 'exited', exitCode: 137 }), c(2, { state: 'exited', exitCode: 0, restartPolicy: 'no' })], REPAIR);
    expect(d).toEqual([{ kind: 'stopped', object: 'Deployment/default/web', name: 'unit-web-1', message: 'is stopped (exited, exit code 137) although its restart policy is "always": stopped by hand', fix: REPAIR }]);
  });
  test('paused, never started, and a killed deploy\'s .next container', () => {
    const next = containerState(inspect({ name: 'unit-web-2.next', labels: workloadLabels(P, 'Deployment/default/web', 'unit-web-2', 2), state: 'created' }));
    const d = driftFromLabels([c(1, { state: 'paused' }), next, c(3, { state: 'created' })], REPAIR);
    expect(d.map((x) => [x.kind, x.name, x.fix])).toEqual([
      ['paused', 'unit-web-1', 'docker unpause unit-web-1'],
      ['interrupted', 'unit-web-2.next', REPAIR],
      ['interrupted', 'unit-web-3', REPAIR],
    ]);
    expect(d[1].message).toBe('is named "unit-web-2.next" but deploy named it "unit-web-2" (an interrupted deploy, or renamed by hand)');
  });
});

describe('drift against the manifests', () => {
  const objects = parseAllDocuments(webModel({ greeting: 'hi', replicas: 2, port: 20001 })).map((d) => d.toJS()).filter(Boolean);
  const plan = planDocker(objects, { project: P, publishAddress: '127.0.0.1' });
  const byName = new Map(plan.containers.map((c) => [c.name, c]));
  const deployed = (over: Record<string, Parameters<typeof inspectPlanned>[1] | 'gone'> = {}) => {
    const inspected = new Map<string, ReturnType<typeof inspectPlanned>>();
    for (const p of plan.containers) if (over[p.name] !== 'gone') inspected.set(p.name, inspectPlanned(p, over[p.name] as any));
    return { inspected, containers: [...inspected.values()].map((i) => containerState(i, STATS_RUNNING)) };
  };
  const report = (d: ReturnType<typeof deployed>, networks = [P]) => buildReport(P, d.containers, { plan, inspected: d.inspected, actual: { networks, volumes: [] }, repair: REPAIR, time: new Date('2026-11-22T01:02:03Z') });

  test('the plan is what the fixtures assume: two replicas and a relay', () => {
    expect([...byName.keys()]).toEqual(['unit-web-1', 'unit-web-2', 'unit-web-proxy']);
  });
  test('as deployed: no drift, desired from the manifests, relay row last', () => {
    const r = report(deployed());
    expect(r.drift).toEqual([]);
    expect(r.workloads.map((w) => [w.object, w.role, `${w.running}/${w.desired}`, w.desiredFrom, w.health, w.ports])).toEqual([
      ['Deployment/default/web', 'workload', '2/2', 'manifests', 'healthy', []],
      ['Service/default/web', 'proxy', '1/1', 'manifests', 'none', ['127.0.0.1:20001->20001/tcp']],
    ]);
  });
  test('removed by hand: missing, 1/2, with the repairing deploy', () => {
    const r = report(deployed({ 'unit-web-2': 'gone' }));
    expect(r.drift).toEqual([{ kind: 'missing', object: 'Deployment/default/web', name: 'unit-web-2', message: 'is missing: removed by hand, or not deployed yet', fix: REPAIR }]);
    expect(r.workloads[0]).toMatchObject({ running: 1, desired: 2, drift: 1 });
  });
  test('stopped by hand: stopped', () => {
    const r = report(deployed({ 'unit-web-1': { state: 'exited', exitCode: 137 } }));
    expect(r.drift.map((d) => [d.kind, d.name])).toEqual([['stopped', 'unit-web-1']]);
    expect(r.workloads[0]).toMatchObject({ running: 1, desired: 2 });
  });
  test('changed: a hash that no longer matches says what differs, never env values', () => {
    const p = byName.get('unit-web-1')!;
    const r = report(deployed({ 'unit-web-1': { labels: { ...p.labels, [LABELS.hash]: 'old' }, image: 'busybox:old', env: p.env.map((e) => (e.startsWith('GREETING=') ? 'GREETING=secret-old' : e)) } }));
    expect(r.drift).toEqual([{ kind: 'changed', object: 'Deployment/default/web', name: 'unit-web-1', message: 'differs from the manifests: image busybox:old -> dockyard-test/busybox:1; env GREETING', fix: REPAIR }]);
    expect(JSON.stringify(r)).not.toContain('secret-old');
  });
  test('a container of the project that the model does not have: extra', () => {
    const d = deployed();
    const stray = inspect({ name: 'unit-old-1', labels: workloadLabels(P, 'Deployment/default/old', 'unit-old-1', 1) });
    d.inspected.set('unit-old-1', stray);
    d.containers.push(containerState(stray));
    const r = report(d);
    expect(r.drift).toEqual([{ kind: 'extra', object: 'Deployment/default/old', name: 'unit-old-1', message: 'is not in the manifests (1 container(s))', fix: REPAIR }]);
    expect(r.workloads.find((w) => w.object === 'Deployment/default/old')).toMatchObject({ desired: 0, running: 1 });
  });
  test('the project network removed by hand', () => {
    const r = report(deployed(), []);
    expect(r.drift.map((d) => [d.kind, d.name, d.message])).toEqual([['missing', P, `network ${P} is missing: removed by hand`]]);
  });
  test('rendered: table with READY, health, CPU and memory against limits, drift lines and one repair line', () => {
    const text = renderStatus(report(deployed({ 'unit-web-2': 'gone' })), 'unix:///x.sock');
    expect(text.split('\n')).toEqual([
      'project unit on unix:///x.sock at 01:02:03 UTC',
      'WORKLOAD             READY  HEALTH   RESTARTS  CPU          MEMORY                      PORTS',
      'Deployment/web !     1/2    healthy  0         25.5% / 25%  372.0KiB / 32.0MiB (1.14%)  -',
      'Service/web (relay)  1/1    none     0         25.5%        372.0KiB (no limit)         127.0.0.1:20001->20001/tcp',
      'drift (1):',
      '  missing     unit-web-2  (Deployment/web): is missing: removed by hand, or not deployed yet',
      `repair: ${REPAIR}`,
      '',
    ]);
  });
});

describe('formatting', () => {
  test('bytes, percent, cells, object names', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(32 * 2 ** 20), formatBytes(3 * 2 ** 30)]).toEqual(['512B', '1.5KiB', '32.0MiB', '3.0GiB']);
    expect([formatPercent(0.123), formatPercent(25.47)]).toEqual(['0.12%', '25.5%']);
    expect(cpuCell({ cpuPercent: undefined })).toBe('-');
    expect(cpuCell({ cpuPercent: 1, cpuLimitPercent: 200 })).toBe('1.00% / 200%');
    expect(memoryCell({ memoryBytes: 2 ** 20, memoryLimitBytes: 4 * 2 ** 20 })).toBe('1.0MiB / 4.0MiB (25.0%)');
    expect(memoryCell({ memoryBytes: 2 ** 20 })).toBe('1.0MiB (no limit)');
    expect(displayObject('Deployment/default/web')).toBe('Deployment/web');
    expect(displayObject('Deployment/shop/web')).toBe('Deployment/shop/web');
    expect(displayObject('Service/default/web', 'proxy')).toBe('Service/web (relay)');
  });
  test('an empty project', () => {
    expect(renderStatus(buildReport(P, [], { time: new Date('2026-11-22T01:02:03Z') }))).toBe('project unit at 01:02:03 UTC\nunit: no containers\nno drift seen in the labels (pass the manifests to also compare specs and replica counts)\n');
  });
});

describe('status flags', () => {
  test('--watch, --interval, --exit-code are split off; the rest goes to the Docker flags', () => {
    expect(splitStatusFlags(['--docker', '--watch', '--interval', '0.5', '--project', 'p', 'dir'])).toEqual({ rest: ['--docker', '--project', 'p', 'dir'], watch: true, intervalSeconds: 0.5, exitCode: false });
    expect(splitStatusFlags(['--docker', '--exit-code', '--watch', '--interval=3'])).toMatchObject({ watch: true, intervalSeconds: 3, exitCode: true });
    expect(splitStatusFlags(['--docker'])).toMatchObject({ watch: false, intervalSeconds: 2 });
  });
  test('bad intervals name the flag and the fix', () => {
    expect(() => splitStatusFlags(['--watch', '--interval', 'soon'])).toThrow('[--interval] "soon" is not a number of seconds (at least 0.2). Fix: e.g. --interval 5');
    expect(() => splitStatusFlags(['--watch', '--interval', '0.01'])).toThrow(/at least 0.2/);
    expect(() => splitStatusFlags(['--interval', '5'])).toThrow('[--interval] only means something with --watch. Fix: add --watch, or drop --interval');
  });
  test('the repair command repeats the engine, project, planning flags and manifests', () => {
    expect(repairCommand({ project: 'shop', inputs: ['dist/', 'my app.yaml'], values: { host: 'tcp://h:2375', 'publish-address': '127.0.0.1', 'proxy-image': 'haproxy:2', 'allow-privileged': true, json: true } }))
      .toBe("dockyard deploy --docker --host tcp://h:2375 --project shop --publish-address 127.0.0.1 --proxy-image haproxy:2 --allow-privileged dist/ 'my app.yaml'");
    expect(repairCommand({ project: 'shop', inputs: [], values: {} })).toBe('dockyard deploy --docker --project shop <manifests>');
  });
});

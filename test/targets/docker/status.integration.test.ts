import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect } from '../../../lib/targets/docker/engine';
import { cleanup, describeEngine, dockyard, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from './helpers';
import { webModel } from './model';

const PROJECT = `it-status-${RUN}`;
const PORT = PORT_BASE + 61;
const CLI = path.resolve(__dirname, '../../../bin/dockyard.js');
const planFlags = ['--docker', '--project', PROJECT, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE];

/** Runs `dockyard status --watch` as a child process until `enough(stdout)` (or 20 s), then sends SIGINT. */
function watchUntil(args: string[], enough: (out: string) => boolean): Promise<{ out: string; code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'status', ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const stop = () => child.kill('SIGINT');
    const timer = setTimeout(stop, 20000);
    child.stdout.on('data', (c) => { out += c; if (enough(out)) stop(); });
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ out, code, signal }); });
  });
}

describeEngine('status --docker against a real engine', () => {
  const dir = writeManifests({ 'app.yaml': webModel({ greeting: 'hi', replicas: 2, port: PORT }) });
  const docker = connect();
  const repair = `dockyard deploy --docker --project ${PROJECT} --publish-address 127.0.0.1 --proxy-image ${TEST_IMAGE} ${dir}`;

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve(__dirname, '../../../build/lib/cli/main.js'))) throw new Error('build/ is missing: run npx tsc -p tsconfig.build.json (npm test does)');
    await cleanup(PROJECT);
    const r = await dockyard(['deploy', ...planFlags, '--no-pull', '--wait', '--wait-timeout', '30', '--quiet', dir]);
    if (r.code !== 0) throw new Error(r.err);
  });
  afterAll(async () => {
    await cleanup(PROJECT);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a 2-replica app: 2/2 running and healthy, relay port, CPU and memory against the limits', async () => {
    const r = await dockyard(['status', ...planFlags, dir]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toMatch(/^WORKLOAD +READY +HEALTH +RESTARTS +CPU +MEMORY +PORTS$/);
    expect(lines[2]).toMatch(/^Deployment\/web +2\/2 +healthy +0 +\d+\.\d+% \/ 50% +\d+\.\d(KiB|MiB) \/ 64\.0MiB \(\d+\.\d+%\) +-$/);
    expect(lines[3]).toMatch(new RegExp(`^Service/web \\(relay\\) +1/1 +none +0 +\\d+\\.\\d+% +.* \\(no limit\\) +127\\.0\\.0\\.1:${PORT}->${PORT}/tcp$`));
    expect(r.out).toContain('no drift: the engine runs what the manifests say');

    const j = await dockyard(['status', '--docker', '--project', PROJECT, '--json']);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.out);
    expect(doc).toMatchObject({ project: PROJECT, comparedWithManifests: false, drift: [] });
    const web = doc.workloads.find((w: any) => w.object === 'Deployment/default/web');
    expect(web).toMatchObject({ role: 'workload', desired: 2, desiredFrom: 'labels', running: 2, health: 'healthy', restarts: 0, ports: [], cpuLimitPercent: 50, memoryLimitBytes: 64 * 2 ** 20 });
    expect(typeof web.cpuPercent).toBe('number');
    expect(web.memoryBytes).toBeGreaterThan(0);
    expect(web.memoryBytes).toBeLessThan(64 * 2 ** 20);
    expect(doc.containers.map((c: any) => c.name)).toEqual([`${PROJECT}-web-1`, `${PROJECT}-web-2`, `${PROJECT}-web-proxy`]);
  });

  test('a container stopped by hand is drift, with the deploy that repairs it (exit 0; 3 with --exit-code)', async () => {
    await docker.getContainer(`${PROJECT}-web-2`).stop({ t: 0 });
    const r = await dockyard(['status', ...planFlags, dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Deployment\/web ! +1\/2 +healthy /m);
    expect(r.out).toContain(`  stopped     ${PROJECT}-web-2  (Deployment/web): is stopped (exited, exit code 137) although its restart policy is "always": stopped by hand\n`);
    expect(r.out).toContain(`repair: ${repair}\n`);
    // Without manifests the labels still show it.
    const bare = await dockyard(['status', '--docker', '--project', PROJECT, '--exit-code']);
    expect(bare.code).toBe(3);
    expect(bare.out).toContain(`stopped     ${PROJECT}-web-2`);
    expect(bare.out).toContain(`repair: dockyard deploy --docker --project ${PROJECT} <manifests>\n`);
  });

  test('a container removed by hand is drift; the printed repair command repairs it', async () => {
    await docker.getContainer(`${PROJECT}-web-1`).remove({ force: true });
    const j = await dockyard(['status', ...planFlags, '--json', dir]);
    const doc = JSON.parse(j.out);
    expect(doc.drift).toEqual([
      { kind: 'missing', object: 'Deployment/default/web', name: `${PROJECT}-web-1`, message: 'is missing: removed by hand, or not deployed yet', fix: repair },
      { kind: 'stopped', object: 'Deployment/default/web', name: `${PROJECT}-web-2`, message: 'is stopped (exited, exit code 137) although its restart policy is "always": stopped by hand', fix: repair },
    ]);
    expect(doc.workloads[0]).toMatchObject({ desired: 2, running: 0, desiredFrom: 'manifests' });

    const fix = await dockyard([...repair.split(' ').slice(1), '--no-pull', '--wait', '--quiet']);
    expect(fix.code).toBe(0);
    const after = await dockyard(['status', ...planFlags, '--exit-code', dir]);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/^Deployment\/web +2\/2 +healthy /m);
    expect(after.out).toContain('no drift');
  });

  test('--watch refreshes until Ctrl-C: successive tables (no escape codes off a terminal), JSON lines with --json', async () => {
    const text = await watchUntil(['--docker', '--project', PROJECT, '--watch', '--interval', '0.3'], (o) => o.split('WORKLOAD').length > 2);
    expect(text.code).toBe(0);
    expect(text.out.split('WORKLOAD').length).toBeGreaterThan(2);
    expect(text.out).not.toContain('\x1b[');
    const json = await watchUntil(['--docker', '--project', PROJECT, '--watch', '--interval', '0.3', '--json'], (o) => o.split('\n').length > 2);
    expect(json.code).toBe(0);
    const docs = json.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(docs.length).toBeGreaterThanOrEqual(2);
    for (const d of docs) expect(d.workloads[0]).toMatchObject({ object: 'Deployment/default/web', running: 2 });
    // The second refresh measures CPU against the first one's sample.
    expect(typeof docs[1].workloads[0].cpuPercent).toBe('number');
    expect(docs[1].time > docs[0].time).toBe(true);
  });
});

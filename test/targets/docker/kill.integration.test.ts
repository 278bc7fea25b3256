import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadManifests } from '../../../lib/core/manifests';
import { computeChanges } from '../../../lib/targets/docker/changes';
import { connect, Engine, readActual } from '../../../lib/targets/docker/engine';
import { planDocker } from '../../../lib/targets/docker/planner';
import { cleanup, describeEngine, dockyard, httpGet, owned, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from './helpers';
import { webModel } from './model';

const PROJECT = `it-kill-${RUN}`;
const PORT = PORT_BASE + 2;
const CLI = path.resolve(__dirname, '../../../bin/dockyard.js');
const flags = ['--docker', '--project', PROJECT, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull', '--stop-timeout', '0'];

/** Starts `dockyard deploy` as a child process and SIGKILLs it after `ms` (or lets it finish first). */
function deployAndKill(dir: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'deploy', ...flags, '--quiet', dir], { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    // A deploy that fails on its own carries its stderr, so a failure says why.
    child.on('close', (code, signal) => { clearTimeout(timer); resolve(signal ?? (code === 0 ? 'exit 0' : `exit ${code}: ${err.trim()}`)); });
  });
}

describeEngine('killing deploy at random points', () => {
  const dir = writeManifests({});
  // Every replica surges at once: this test is about convergence, not about the rollout's pace.
  const write = (greeting: string, replicas: number) => fs.writeFileSync(path.join(dir, 'app.yaml'), webModel({ greeting, replicas, port: PORT, strategy: '{ type: RollingUpdate, rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } }' }));

  beforeAll(async () => {
    if (!fs.existsSync(path.resolve(__dirname, '../../../build/lib/cli/main.js'))) throw new Error('build/ is missing: run npx tsc -p tsconfig.build.json (npm test does)');
    await cleanup(PROJECT);
  });
  afterAll(async () => {
    await cleanup(PROJECT);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the next deploy converges: exact container set, no duplicates, no temporaries, nothing pending', async () => {
    // A seeded sequence of kill times, so a failure can be replayed; spread over the whole deploy
    // (node start ~0.5 s, then networks, creates, replacements with 0 s stop timeout).
    let seed = Number(process.env.DOCKYARD_KILL_SEED ?? 7);
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      // Alternate models so kills hit creates, replacements (config change) and removals (scale down).
      write(i % 2 ? 'two' : 'one', i % 3 === 2 ? 1 : 3);
      outcomes.push(await deployAndKill(dir, 300 + Math.floor(rand() * 1700)));
    }
    expect(outcomes.filter((o) => o === 'SIGKILL').length).toBeGreaterThanOrEqual(4);
    expect(outcomes.filter((o) => o !== 'SIGKILL' && o !== 'exit 0')).toEqual([]);

    write('final', 3);
    const r = await dockyard(['deploy', ...flags, dir]);
    expect(r.err).not.toMatch(/error|problem/i);
    expect(r.code).toBe(0);

    const names = [...(await owned(PROJECT)).keys()].sort();
    expect(names).toEqual([`${PROJECT}-web-1`, `${PROJECT}-web-2`, `${PROJECT}-web-3`, `${PROJECT}-web-proxy`]);
    const docker = connect();
    const all = await docker.listContainers({ all: true });
    expect(all.filter((c) => c.Names?.[0]?.startsWith(`/${PROJECT}-`)).length).toBe(4); // no unlabelled strays either (nameless = being removed)
    const plan = planDocker(loadManifests([dir]), { project: PROJECT, publishAddress: '127.0.0.1', proxyImage: TEST_IMAGE });
    const actual = await readActual(new Engine(), PROJECT);
    expect(actual.containers.every((c) => c.state === 'running')).toBe(true);
    expect(computeChanges(plan, actual)).toEqual([]);
    expect(actual.networks).toEqual([PROJECT]);
    expect(await httpGet(PORT)).toBe('<h1>final</h1>');
  });

  // The project lock (a labelled never-started container) keeps two deploys apart: the second waits.
  test('two deploys of one project at once both succeed, one after the other, and leave exactly one set of containers', async () => {
    const outcomes: string[][] = [];
    for (const [greeting, replicas] of [['twins', 3], ['twins-changed', 2]] as const) {
      write(greeting, replicas);
      // Started together: each reads the engine while the other changes it.
      const both = await Promise.all([deployAndKill(dir, 60000), deployAndKill(dir, 60000)]);
      outcomes.push(both);
      const names = [...(await owned(PROJECT)).keys()].sort();
      expect(names).toEqual([...Array.from({ length: replicas }, (_, i) => `${PROJECT}-web-${i + 1}`), ...(replicas > 1 ? [`${PROJECT}-web-proxy`] : [])]);
      const plan = planDocker(loadManifests([dir]), { project: PROJECT, publishAddress: '127.0.0.1', proxyImage: TEST_IMAGE });
      const actual = await readActual(new Engine(), PROJECT);
      expect(computeChanges(plan, actual)).toEqual([]);
      expect(await httpGet(PORT)).toBe(`<h1>${greeting}</h1>`);
    }
    expect(outcomes).toEqual([['exit 0', 'exit 0'], ['exit 0', 'exit 0']]);
    // Four deploys, the second of each pair waiting for the first's lock.
  }, 180000);
});

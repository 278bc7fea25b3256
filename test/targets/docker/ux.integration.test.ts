import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, describeEngine, dockyard, owned, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from './helpers';
import { webModel } from './model';

/**
 * The Docker target's user experience against a real engine: dockyard.yaml read by every command
 * (and overridden by flags), the relay image checked before any change, `diff` naming what changed,
 * and the progress output of deploy in plain, JSON and terminal mode.
 */
const PROJECT = `it-ux-${RUN}`;
const PORT = PORT_BASE + 71;
const MISSING = 'dockyard-test/no-such-relay:1';

/** The shared web model (2 replicas behind a relay) with its readiness probe period changed. */
function app(periodSeconds: number): string {
  return webModel({ greeting: 'hello', replicas: 2, port: PORT }).replace('periodSeconds: 1 }', `periodSeconds: ${periodSeconds} }`);
}

describeEngine('dockyard.yaml, relay preflight, diff detail and progress on a real engine', () => {
  const dir = writeManifests({});
  const manifests = path.join(dir, 'dist');
  const configFile = path.join(dir, 'dockyard.yaml');
  const writeApp = (period: number) => { fs.mkdirSync(manifests, { recursive: true }); fs.writeFileSync(path.join(manifests, 'app.yaml'), app(period)); };
  const writeConfig = (extra = '') => fs.writeFileSync(configFile, `# the project's Docker target settings\ndocker:\n  project: ${PROJECT}\n  publishAddress: 127.0.0.1\n  proxyImage: ${TEST_IMAGE}\n  pull: false\n  stopTimeout: 1\n  manifests: [dist/]\n${extra}`);
  const inProject = async <T>(fn: () => Promise<T>, sub = 'dist'): Promise<T> => {
    const before = process.cwd();
    process.chdir(path.join(dir, sub));
    try { return await fn(); } finally { process.chdir(before); }
  };

  beforeAll(async () => { await cleanup(PROJECT); writeApp(1); writeConfig(); });
  afterAll(async () => { await cleanup(PROJECT); fs.rmSync(dir, { recursive: true, force: true }); });

  test('a missing relay image stops deploy before any change, naming the flag and the config key', async () => {
    // From the config file: the error points at its line.
    fs.writeFileSync(configFile, fs.readFileSync(configFile, 'utf8').replace(`proxyImage: ${TEST_IMAGE}`, `proxyImage: ${MISSING}`));
    const r = await inProject(() => dockyard(['deploy', '--docker']));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[../dockyard.yaml:5 docker.proxyImage] the relay image "${MISSING}" (set by ../dockyard.yaml:5 docker.proxyImage)`);
    expect(r.err).toContain('pulling is off: ../dockyard.yaml:6 docker.pull');
    expect(r.err).toContain('--proxy-image IMAGE');
    expect(r.err).toContain('"proxyImage:" under "docker:" in dockyard.yaml');
    expect(r.err).toMatch(/^dockyard deploy: nothing was changed:/m);
    expect((await owned(PROJECT)).size).toBe(0);
    // diff warns about it beforehand, and still shows the plan.
    const d = await inProject(() => dockyard(['diff', '--docker']));
    expect(d.code).toBe(0);
    expect(d.err).toContain(`the relay image "${MISSING}"`);
    expect(d.err).toContain('deploy would fail');
    expect(d.out).toContain(`create  proxy     ${PROJECT}-web-proxy`);
    // From a flag (it beats the file): the flag is named.
    writeConfig();
    const f = await inProject(() => dockyard(['deploy', '--docker', '--proxy-image', MISSING]));
    expect(f.code).toBe(1);
    expect(f.err).toContain(`[--proxy-image] the relay image "${MISSING}" (set by --proxy-image)`);
    expect((await owned(PROJECT)).size).toBe(0);
  });

  test('an unreachable registry: the failed pull is named with the flag, before any change', async () => {
    // pull: false in the file stays off without --no-pull on the command line: no pull is tried.
    const r = await inProject(() => dockyard(['deploy', '--docker', '--proxy-image', '127.0.0.1:1/relay:1']));
    expect([r.code, r.err.includes('could not be pulled')]).toEqual([1, false]);
    fs.writeFileSync(configFile, fs.readFileSync(configFile, 'utf8').replace('  pull: false\n', ''));
    const p = await inProject(() => dockyard(['deploy', '--docker', '--proxy-image', '127.0.0.1:1/relay:1']));
    expect(p.code).toBe(1);
    expect(p.err).toContain('[--proxy-image] the relay image "127.0.0.1:1/relay:1" (set by --proxy-image)');
    expect(p.err).toContain('could not be pulled');
    expect((await owned(PROJECT)).size).toBe(0);
    writeConfig();
  });

  test('deploy with no flags but --docker reads dockyard.yaml from a subfolder; plain progress lines are timestamped', async () => {
    const r = await inProject(() => dockyard(['deploy', '--docker', '--wait']), 'dist');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\[\+\d+\.\ds\] create  network   it-ux-/m);
    expect(r.out).toMatch(new RegExp(`^\\[\\+\\d+\\.\\ds\\] done    container ${PROJECT}-web-1 \\(\\d+\\.\\ds\\)$`, 'm'));
    const ours = await owned(PROJECT);
    expect([...ours.keys()].sort()).toEqual([`${PROJECT}-web-1`, `${PROJECT}-web-2`, `${PROJECT}-web-proxy`]);
    const info = await (await import('../../../lib/targets/docker/engine')).connect().getContainer(`${PROJECT}-web-proxy`).inspect();
    // publishAddress from the file.
    expect(info.HostConfig.PortBindings[`${PORT}/tcp`][0].HostIp).toBe('127.0.0.1');
    // A flag beats the file: another project name sees nothing deployed.
    const other = await inProject(() => dockyard(['diff', '--docker', '--project', `${PROJECT}-other`]));
    expect(other.out).toContain(`create  container ${PROJECT}-other-web-1`);
  });

  test('diff after a healthcheck change says "healthcheck" and what in it changed', async () => {
    writeApp(2);
    const d = await inProject(() => dockyard(['diff', '--docker']));
    expect(d.code).toBe(0);
    expect(d.out).toContain(`replace container ${PROJECT}-web-1  (Deployment/default/web): spec changed`);
    expect(d.out).toContain(`          ${PROJECT}-web-1: healthcheck\n`);
    expect(d.out).toContain('            healthcheck interval 1s -> 2s\n');
    expect(d.out).not.toContain('files or other settings');
    const j = JSON.parse((await inProject(() => dockyard(['diff', '--docker', '--json']))).out);
    const change = j.changes.find((c: any) => c.name === `${PROJECT}-web-1`);
    expect(change.details).toEqual([{ container: `${PROJECT}-web-1`, changes: [{ aspect: 'healthcheck', summary: 'healthcheck', details: ['interval 1s -> 2s'] }] }]);
  });

  test('deploy --json: events as JSON lines on stderr, the result document alone on stdout', async () => {
    const r = await inProject(() => dockyard(['deploy', '--docker', '--json']));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.changes.map((c: any) => c.name).sort()).toEqual([`${PROJECT}-web-1`, `${PROJECT}-web-2`]);
    const events = r.err.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'change').map((e) => [e.action, e.name]).sort()).toEqual([['replace', `${PROJECT}-web-1`], ['replace', `${PROJECT}-web-2`]]);
    for (const e of events) expect(typeof e.elapsedMs).toBe('number');
  });

  const SCRIPT = spawnSync('script', ['--version']).status === 0;
  const BIN = path.join(__dirname, '../../../bin/dockyard.js');
  (SCRIPT ? test : test.skip)('on a terminal (a real pseudo-terminal), deploy draws the live view in place and ends with its summary', () => {
    writeApp(1);
    const out = execFileSync('script', ['-qec', `${process.execPath} ${BIN} deploy --docker`, '/dev/null'], { cwd: dir, env: { ...process.env, TERM: 'xterm', NO_COLOR: '' }, encoding: 'utf8' });
    expect(out).toMatch(/\x1b\[\d+F\x1b\[J/);
    expect(out).toMatch(new RegExp(` done replace container ${PROJECT}-web-2 +\\d+\\.\\ds`));
    expect(out).toMatch(/done: 2\/2 finished, \d+\.\ds/);
    expect(out).toContain(`${PROJECT}: 2 change(s)`);
  });

  test('destroy reads the project from dockyard.yaml too', async () => {
    const r = await inProject(() => dockyard(['destroy', '--docker']));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\[\+\d+\.\ds\] remove  container it-ux-/m);
    expect((await owned(PROJECT)).size).toBe(0);
  });
});

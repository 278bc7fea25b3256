import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { DockyardError, synthApp, WebApp } from '../../lib';

const ROOT = path.resolve(__dirname, '../..');
const CDK8S = path.join(ROOT, 'node_modules/.bin/cdk8s');

function read(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('synthApp', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-synth-')); });

  const build = (port: number) => {
    const app = new App();
    new WebApp(new Chart(app, 'one'), 'web', { image: 'nginx:1.27', port });
    new WebApp(new Chart(app, 'two'), 'api', { image: 'api:1', port: 8080 });
    return app;
  };

  test('writes one file per chart, byte-identical on a re-run, and removes stale files', () => {
    const out = path.join(tmp, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'stale.k8s.yaml'), 'old');
    synthApp(build(80), { outdir: out });
    const first = read(out);
    expect(Object.keys(first)).toEqual(['one.k8s.yaml', 'two.k8s.yaml']);
    synthApp(build(80), { outdir: out });
    expect(read(out)).toEqual(first);
  });

  test('a failed synth leaves the previous output as it was, and writes no temp folder', () => {
    const out = path.join(tmp, 'dist');
    synthApp(build(80), { outdir: out });
    const before = read(out);
    expect(() => synthApp(build(99999), { outdir: out })).toThrow(DockyardError);
    expect(read(out)).toEqual(before);
    expect(fs.readdirSync(tmp).filter((f) => f !== '.dockyard')).toEqual(['dist']);
  });

  test('a failed synth after the output folder was emptied (as cdk8s synth does) restores the last good output', () => {
    const out = path.join(tmp, 'dist');
    synthApp(build(80), { outdir: out });
    const before = read(out);
    fs.rmSync(out, { recursive: true });
    expect(() => synthApp(build(0), { outdir: out })).toThrow(/\[one\/web\] port 0 is out of range/);
    expect(read(out)).toEqual(before);
  });

  test('a failing check stops the write', () => {
    const out = path.join(tmp, 'dist');
    synthApp(build(80), { outdir: out });
    const before = read(out);
    expect(() => synthApp(build(81), { outdir: out, checks: [() => { throw new DockyardError({ where: 'x', message: 'no' }); }] })).toThrow('no');
    expect(read(out)).toEqual(before);
  });
});

describe('npx cdk8s synth (the real CLI)', () => {
  test('synthesizes, is deterministic, and a broken app leaves dist/ as it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-cli-'));
    const lib = path.join(ROOT, 'build/lib/index.js');
    fs.writeFileSync(path.join(dir, 'main.js'), `
      const { App, Chart } = require('cdk8s');
      const { WebApp, synthApp, isUserError } = require(${JSON.stringify(lib)});
      const app = new App();
      new WebApp(new Chart(app, 'web'), 'web', { image: 'nginx:1.27', port: process.env.BROKEN ? 0 : 80 });
      try { synthApp(app); } catch (e) { if (!isUserError(e)) throw e; console.error(e.message); process.exit(1); }
    `);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\n');
    const env = { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') };
    execFileSync(CDK8S, ['synth', '--check-upgrade', 'false'], { cwd: dir, env, stdio: 'pipe' });
    const first = read(path.join(dir, 'dist'));
    expect(first['web.k8s.yaml']).toContain('kind: ReplicationController');
    execFileSync(CDK8S, ['synth', '--check-upgrade', 'false'], { cwd: dir, env, stdio: 'pipe' });
    expect(read(path.join(dir, 'dist'))).toEqual(first);
    const broken = spawnSync(CDK8S, ['synth', '--check-upgrade', 'false'], { cwd: dir, env: { ...env, BROKEN: '1' }, encoding: 'utf8' });
    expect(broken.status).not.toBe(0);
    expect(broken.stderr + broken.stdout).toContain('[web/web] port 0 is out of range');
    expect(read(path.join(dir, 'dist'))).toEqual(first);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppConfig, DockyardError, renderApp, runSynth, synthApp, WebApp } from '../../lib';

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

describe('objects and files that would overwrite each other', () => {
  test('two WebApps whose ids map to the same name are refused with both paths', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new WebApp(chart, 'web-app', { image: 'x:1', port: 80 });
    new WebApp(chart, 'WebApp', { image: 'x:1', port: 80 });
    expect(() => renderApp(app)).toThrow(/\[c\/WebApp\/Resource\] ReplicationController\/web-app is also made by c\/web-app\/Resource/);
  });

  test('two charts with the same id in different scopes are refused', () => {
    const app = new App();
    for (const env of ['staging', 'prod']) new WebApp(new Chart(new Construct(app, env), 'web', { namespace: env }), 'web', { image: 'x:1', port: 80 });
    expect(() => renderApp(app)).toThrow(/\[prod\/web\] writes web\.k8s\.yaml, which chart staging\/web writes too/);
  });
});

describe('runSynth', () => {
  test('a user error sets exit code 1, prints no stack, and a file error inside a construct is reported with its path', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-run-'));
    const errs: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t: any) => { errs.push(String(t)); return true; });
    const before = process.exitCode;
    try {
      const ok = runSynth(() => {
        const app = new App();
        AppConfig.fromFile(new Chart(app, 'c'), 'cfg', '/nope/missing.conf');
        return app;
      }, { outdir: path.join(out, 'dist') });
      expect(ok).toBe(false);
      expect(process.exitCode).toBe(1);
    } finally {
      spy.mockRestore();
      process.exitCode = before;
    }
    expect(errs.join('')).toContain('[c/cfg] /nope/missing.conf: cannot read the file (ENOENT).');
    expect(errs.join('')).not.toMatch(/\n\s+at /);
  });
});

test('synthApp writes to the App outdir when no outdir option is given', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-outdir-'));
  const app = new App({ outdir: path.join(dir, 'out') });
  new WebApp(new Chart(app, 'c'), 'web', { image: 'x:1', port: 80 });
  synthApp(app, { log: () => undefined });
  expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['c.k8s.yaml']);
});

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appEntry, triggersResynth } from '../../lib/cli/commands/synth';

const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'dockyard.js');
const built = fs.existsSync(path.join(root, 'build', 'lib', 'cli', 'commands', 'synth.js'));
const runIf = built ? test : test.skip;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-synth-'));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

// An app that writes one manifest from data.js, without cdk8s (what matters here is how it is run).
const APP = `const fs = require('node:fs');
const path = require('node:path');
const { name } = require('./data');
fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });
console.log('app stdout is not shown');
fs.writeFileSync(path.join(process.env.CDK8S_OUTDIR, 'app.k8s.yaml'), 'kind: ConfigMap\\nmetadata:\\n  name: ' + name + '\\n');
`;

describe('appEntry', () => {
  test('node <file.js> runs in-process; a TS runner only when ts-node loads; anything else in a shell', () => {
    expect(appEntry('node build/apps/main.js', '/p')).toEqual({ kind: 'js', file: '/p/build/apps/main.js' });
    expect(appEntry('npx ts-node -T main.ts', '/p', () => true)).toEqual({ kind: 'ts', file: '/p/main.ts' });
    expect(appEntry('ts-node main.ts', '/p', () => false)).toEqual({ kind: 'shell', command: 'ts-node main.ts' });
    expect(appEntry('node --inspect main.js', '/p')).toEqual({ kind: 'shell', command: 'node --inspect main.js' });
    expect(appEntry('python3 main.py', '/p')).toEqual({ kind: 'shell', command: 'python3 main.py' });
  });

  test('changes to the output, node_modules and .git do not re-run the synth', () => {
    expect(triggersResynth('main.ts', '/p/dist', '/p')).toBe(true);
    expect(triggersResynth('lib/x.js', '/p/dist', '/p')).toBe(true);
    expect(triggersResynth('dist/app.k8s.yaml', '/p/dist', '/p')).toBe(false);
    expect(triggersResynth('node_modules/a/index.js', '/p/dist', '/p')).toBe(false);
    expect(triggersResynth('.git/index', '/p/dist', '/p')).toBe(false);
  });
});

describe('dockyard synth', () => {
  runIf('GIVEN the example apps THEN the same files as the app run by cdk8s synth, exit 0', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-synth-'));
    const ours = path.join(tmp, 'ours');
    const r = spawnSync(process.execPath, [bin, 'synth', '-o', ours], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Synthesizing application\n/);
    expect(r.stdout).toContain(`  - ${path.join(ours, 'nginx-webapp.k8s.yaml')}\n`);
    const theirs = path.join(tmp, 'theirs');
    expect(spawnSync(process.execPath, ['build/apps/main.js'], { cwd: root, env: { ...process.env, CDK8S_OUTDIR: theirs } }).status).toBe(0);
    const files = fs.readdirSync(theirs).sort();
    expect(fs.readdirSync(ours).sort()).toEqual(files);
    for (const f of files) expect(fs.readFileSync(path.join(ours, f), 'utf8')).toBe(fs.readFileSync(path.join(theirs, f), 'utf8'));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  runIf('GIVEN an app that fails THEN exit 1 with its error, as cdk8s synth', () => {
    const dir = project({ 'cdk8s.yaml': 'app: node app.js\n', 'app.js': 'process.exitCode = 1;\n' });
    const r = spawnSync(process.execPath, [bin, 'synth'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('failed with exit code 1');
    const thrown = project({ 'cdk8s.yaml': 'app: node app.js\n', 'app.js': 'throw new Error("boom in the app");\n' });
    const t = spawnSync(process.execPath, [bin, 'synth'], { cwd: thrown, encoding: 'utf8' });
    expect(t.status).toBe(1);
    expect(t.stderr).toContain('boom in the app');
    const none = project({});
    const n = spawnSync(process.execPath, [bin, 'synth'], { cwd: none, encoding: 'utf8' });
    expect(n.status).toBe(1);
    expect(n.stderr).toMatch(/cdk8s.yaml.*names no app to run/);
  });

  runIf('GIVEN --watch WHEN a source file changes THEN the output is synthesized again', async () => {
    const dir = project({ 'cdk8s.yaml': 'app: node app.js\n', 'app.js': APP, 'data.js': "module.exports = { name: 'first' };\n" });
    const child = spawn(process.execPath, [bin, 'synth', '--watch'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    const file = path.join(dir, 'dist', 'app.k8s.yaml');
    const waitFor = async (pred: () => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(pred()).toBe(true);
    };
    try {
      await waitFor(() => out.includes('watching for changes'));
      expect(fs.readFileSync(file, 'utf8')).toContain('name: first');
      expect(out).not.toContain('app stdout is not shown');
      fs.writeFileSync(path.join(dir, 'data.js'), "module.exports = { name: 'second' };\n");
      await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('name: second'));
    } finally {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

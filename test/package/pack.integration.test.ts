import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * What a user gets: the package packed with `npm pack` (from build/, which `npm test` builds first),
 * a project made by `dockyard init` with that tarball as its dockyard dependency, installed by the
 * real npm client (from the npm cache where it can), then the project's own `npx cdk8s synth` and
 * `npm test`, custom resources, subpath imports and the peer range check, all in that one project.
 * Slow by nature (one npm install of the project's tools): it is the only test here that installs.
 */
const ROOT = path.resolve(__dirname, '../..');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-pack-'));
const PROJECT = path.join(WORK, 'my-app');
// Quick and quiet: the npm cache first, no audit or funding lookups, no upgrade check by cdk8s-cli.
const ENV: NodeJS.ProcessEnv = { ...process.env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', CDK8S_CHECK_UPGRADE: 'false' };
delete ENV.CI; // the project's own `npm test` writes its first snapshot, as on a developer's machine
delete ENV.JEST_WORKER_ID;

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd: PROJECT, env: ENV, encoding: 'utf8', ...options });
  return { code: r.status, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

function ok(r: { code: number | null; out: string; err: string }): string {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n--- stdout\n${r.out}\n--- stderr\n${r.err}`);
  return r.out;
}

/** Every installed copy of a package under node_modules (nested ones included). */
function copiesOf(name: string, dir = path.join(PROJECT, 'node_modules')): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === '.bin' || e.name === '.cache') continue;
      const p = path.join(d, e.name);
      if (e.name.startsWith('@')) { walk(p); continue; }
      const pkg = path.join(p, 'package.json');
      if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === name) out.push(p);
      if (fs.existsSync(path.join(p, 'node_modules'))) walk(path.join(p, 'node_modules'));
    }
  };
  walk(dir);
  return out;
}

let tarball = '';

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'build/lib/core/k8s-schema.json'))) throw new Error('build/ is missing or incomplete: run `npm run build` (npm test does) first');
  const packed = JSON.parse(ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', WORK], { cwd: ROOT })));
  tarball = path.join(WORK, packed[0].filename);
  ok(run(process.execPath, [path.join(ROOT, 'bin/dockyard.js'), 'init', PROJECT, '--dockyard', `file:${tarball}`], { cwd: WORK }));
}, 600_000);

describe('the packed package', () => {
  test('ships the library, the CLI and the templates, and no tests, benches or sources', () => {
    const listed = JSON.parse(ok(run('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT })))[0].files.map((f: { path: string }) => f.path) as string[];
    expect(listed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/dockyard.js', 'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/targets/pulumi/main.js', 'build/lib/core/k8s-schema.json', 'templates/app/main.ts']));
    expect(listed.filter((f) => /^(test|bench|apps|lib|scripts)\/|^build\/(test|bench|apps)\/|\.test\.(js|d\.ts)$/.test(f))).toEqual([]);
  });
});

describe('a project made by `dockyard init` with dockyard from the tarball', () => {
  test('has the files init promises, and exactly one copy of cdk8s and constructs', () => {
    for (const f of ['package.json', 'cdk8s.yaml', 'Pulumi.yaml', 'pulumi/index.ts', 'tsconfig.json', 'jest.config.js', 'main.ts', 'main.test.ts', '.gitignore']) expect([f, fs.existsSync(path.join(PROJECT, f))]).toEqual([f, true]);
    expect(JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')).dependencies.dockyard).toBe(`file:${tarball}`);
    expect(copiesOf('cdk8s')).toEqual([path.join(PROJECT, 'node_modules/cdk8s')]);
    expect(copiesOf('constructs')).toEqual([path.join(PROJECT, 'node_modules/constructs')]);
    expect(fs.existsSync(path.join(PROJECT, 'node_modules/dockyard/build/lib/index.js'))).toBe(true);
    // The optional Pulumi peers are not installed unless the user asks for them.
    expect(copiesOf('@pulumi/pulumi')).toEqual([]);
  });

  test('`dockyard init` again into the now non-empty folder is refused', () => {
    const r = run(process.execPath, [path.join(PROJECT, 'node_modules/.bin/dockyard'), 'init', '.', '--no-install']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('is not empty');
    expect(r.err).toContain('--force');
  });

  test('its own `npx cdk8s synth` writes dist/<name>.k8s.yaml without a warning', () => {
    const r = run('npx', ['cdk8s', 'synth']);
    ok(r);
    const yaml = fs.readFileSync(path.join(PROJECT, 'dist/my-app.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/^kind: Service$/m);
    expect(yaml).toMatch(/^kind: ConfigMap$/m);
    expect(r.err).not.toMatch(/warning/);
  });

  test('its own `npm test` passes (a strictly type-checked snapshot test with the typed Testing)', () => {
    const r = run('npm', ['test']);
    expect([r.code, r.err.slice(-2000)]).toEqual([0, expect.any(String)]);
    expect(r.err).toMatch(/Tests:\s+1 passed/);
  });

  test('an app mixing WebApp, an included CRD, a resource of it and one of an unknown CRD synthesizes; an unknown field fails naming it', () => {
    fs.mkdirSync(path.join(PROJECT, 'crds'), { recursive: true });
    fs.copyFileSync(path.join(__dirname, 'fixtures/widget-crd.yaml'), path.join(PROJECT, 'crds/widget.yaml'));
    fs.writeFileSync(path.join(PROJECT, 'crd-app.ts'), [
      "import { ApiObject, App, Chart, Include } from 'cdk8s';",
      "import { runSynth, WebApp } from 'dockyard';",
      'const app = new App();',
      "const chart = new Chart(app, 'crd-app');",
      "new Include(chart, 'crds', { url: 'crds/widget.yaml' });",
      "new WebApp(chart, 'web', { image: 'nginxinc/nginx-unprivileged:1.27', port: 8080 });",
      "new ApiObject(chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2, ...(process.env.BAD_FIELD ? { colour: 'red' } : {}) } });",
      "new ApiObject(chart, 'cert', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 'c-tls', dnsNames: ['a.example.com'], issuerRef: { name: 'le' } } });",
      'runSynth(app);',
    ].join('\n'));
    const good = run('npx', ['cdk8s', 'synth', '--app', 'npx ts-node -T crd-app.ts']);
    ok(good);
    const yaml = fs.readFileSync(path.join(PROJECT, 'dist/crd-app.k8s.yaml'), 'utf8');
    expect(yaml.match(/^kind: (\w+)$/gm)).toEqual(expect.arrayContaining(['kind: CustomResourceDefinition', 'kind: Widget', 'kind: Certificate', 'kind: Service']));
    expect(good.err).toContain('Certificate (cert-manager.io/v1) is a custom resource with no known CustomResourceDefinition');

    const bad = run('npx', ['cdk8s', 'synth', '--app', 'npx ts-node -T crd-app.ts'], { env: { ...ENV, BAD_FIELD: '1' } });
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('Widget/w: spec.colour: unknown field "colour" (did you mean "color"?)');
    // Dockyard's report has no stack trace. cdk8s-cli then adds its own for any app that exits non-zero
    // ("Error: command ... returned a non-zero exit code 1" and its trace), which no app can prevent.
    const ours = bad.err.split(/^Error: command /m)[0];
    expect(ours).toContain('synth failed; dist/ was left as it was.');
    expect(ours).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  test('classes from `cdk8s import <local CRD file>` (offline) synthesize and are checked: the import lists the file in cdk8s.yaml', () => {
    const config = fs.readFileSync(path.join(PROJECT, 'cdk8s.yaml'), 'utf8');
    try {
      ok(run('npx', ['cdk8s', 'import', 'crds/widget.yaml', '-o', 'imports']));
      // cdk8s import records a local source under `imports:`, where Dockyard finds the CRD.
      expect(fs.readFileSync(path.join(PROJECT, 'cdk8s.yaml'), 'utf8')).toMatch(/^imports:\n\s+- crds\/widget\.yaml$/m);
      fs.writeFileSync(path.join(PROJECT, 'imported.ts'), [
        "import { App, Chart } from 'cdk8s';",
        "import { runSynth } from 'dockyard';",
        "import { WidgetV1 } from './imports/example.com';",
        'const app = new App();',
        "new WidgetV1(new Chart(app, 'imported'), 'w', { metadata: { name: 'w' }, spec: { size: Number(process.env.SIZE ?? 2) } });",
        'runSynth(app);',
      ].join('\n'));
      const synth = (env: NodeJS.ProcessEnv = {}) => run('npx', ['cdk8s', 'synth', '--app', 'npx ts-node -T imported.ts'], { env: { ...ENV, ...env } });
      ok(synth());
      const bad = synth({ SIZE: '0' });
      expect(bad.code).not.toBe(0);
      expect(bad.err).toContain('Widget/w: spec.size: must be >= 1');
      // Without the file in cdk8s.yaml the CRD is unknown: a warning, and the object is not checked.
      fs.writeFileSync(path.join(PROJECT, 'cdk8s.yaml'), config);
      const unlisted = synth({ SIZE: '0' });
      ok(unlisted);
      expect(unlisted.err).toContain('Widget (example.com/v1) is a custom resource with no known CustomResourceDefinition');
    } finally {
      fs.writeFileSync(path.join(PROJECT, 'cdk8s.yaml'), config);
    }
  });

  test('subpath exports resolve at run time and in types (moduleResolution node and node16), and the root does not load Pulumi', () => {
    const script = `
      const root = require('dockyard');
      const subpaths = ['dockyard/docker', 'dockyard/compose', 'dockyard/policy', 'dockyard/metacontroller', 'dockyard/graph'].map((p) => Object.keys(require(p)).length > 0);
      let pulumi = 'loaded';
      try { require('dockyard/pulumi'); } catch (e) { pulumi = e.code; }
      const pulumiLoaded = Object.keys(require.cache).some((k) => k.includes('@pulumi'));
      console.log(JSON.stringify({ root: typeof root.WebApp, subpaths, pulumi, pulumiLoaded, pkg: require('dockyard/package.json').name }));
    `;
    expect(JSON.parse(ok(run(process.execPath, ['-e', script])))).toEqual({ root: 'function', subpaths: [true, true, true, true, true], pulumi: 'MODULE_NOT_FOUND', pulumiLoaded: false, pkg: 'dockyard' });
    fs.writeFileSync(path.join(PROJECT, 'subpaths.ts'), [
      "import { planDocker } from 'dockyard/docker';",
      "import { loadCompose } from 'dockyard/compose';",
      "import { checkObjects } from 'dockyard/policy';",
      "import { PodServiceController } from 'dockyard/metacontroller';",
      "import { Testing, WebApp, type IService } from 'dockyard';",
      'export const used = [planDocker, loadCompose, checkObjects, PodServiceController, Testing, WebApp];',
      "export const svc: IService = { apiVersion: 'v1', kind: 'Service' };",
    ].join('\n'));
    const tsc = path.join(PROJECT, 'node_modules/typescript/bin/tsc');
    const common = ['--noEmit', '--strict', '--skipLibCheck', '--esModuleInterop', '--target', 'ES2022', '--types', 'node', 'subpaths.ts'];
    ok(run(process.execPath, [tsc, ...common, '--module', 'commonjs', '--moduleResolution', 'node']));
    ok(run(process.execPath, [tsc, ...common, '--module', 'node16', '--moduleResolution', 'node16']));
  });

  test('a cdk8s outside the peer range gets one clear message at load', () => {
    const manifest = path.join(PROJECT, 'node_modules/cdk8s/package.json');
    const original = fs.readFileSync(manifest, 'utf8');
    try {
      fs.writeFileSync(manifest, original.replace(/"version": "[^"]+"/, '"version": "2.60.0"'));
      const r = run(process.execPath, ['-e', "require('dockyard'); require('dockyard/policy'); require('dockyard')"]);
      expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^dockyard: cdk8s 2\.60\.0 is installed, but Dockyard supports cdk8s \^2\.\d+\.\d+\. Fix: npm install cdk8s@"\^2\.\d+\.\d+"$/)]);
    } finally {
      fs.writeFileSync(manifest, original);
    }
  });
});

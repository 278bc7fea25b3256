import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A user's project: `dockyard` installed as a package (a symlink to this repository's built
 * output), a TypeScript file importing from 'dockyard', compiled with tsc and run with node.
 */
describe('the package as users import it', () => {
  test("import { WebApp, AppConfig, AppSecret, PodService } from 'dockyard' compiles and synthesizes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-user-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'dockyard'));
    for (const dep of ['cdk8s', 'constructs', '@types']) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(dir, 'node_modules', dep));
    fs.writeFileSync(path.join(dir, 'main.ts'), [
      "import { App, Chart } from 'cdk8s';",
      "import { WebApp, AppConfig, AppSecret, PodService, EnvValue, Testing } from 'dockyard';",
      'const app = new App();',
      "const chart = new Chart(app, 'user');",
      "const cfg = AppConfig.fromLiterals(chart, 'cfg', { url: 'http://x' });",
      "const sec = AppSecret.fromLiterals(chart, 'sec', { token: 't' });",
      "new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80, config: cfg, env: { TOKEN: EnvValue.fromSecret(sec, 'token') } });",
      "new PodService(chart, 'ps', { image: 'nginx:1.27', port: 80 });",
      'console.log(Testing.synth(chart).map((o) => o.kind).join(","));',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true, skipLibCheck: true, types: ['node'] }, files: ['main.ts'] }));
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { stdio: 'pipe' });
    const out = execFileSync(process.execPath, [path.join(dir, 'main.js')], { encoding: 'utf8', cwd: dir });
    expect(out.trim()).toBe('ConfigMap,Secret,ReplicationController,Service,Pod,Service');
  });
});

describe('lazy Pulumi exports', () => {
  test('KubernetesApp, DockerApp and GkeCluster are on the root, and @pulumi/pulumi loads only when one is used', () => {
    const root = path.join(ROOT, 'build/lib/index.js');
    const script = `
      const d = require(${JSON.stringify(root)});
      const before = Object.keys(require.cache).some((k) => k.includes('@pulumi/pulumi'));
      const names = ['KubernetesApp', 'DockerApp', 'GkeCluster'].filter((n) => Object.keys(d).includes(n));
      const kinds = names.map((n) => typeof d[n]);
      const after = Object.keys(require.cache).some((k) => k.includes('@pulumi/pulumi'));
      console.log(JSON.stringify({ before, names, kinds, after }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(out).toEqual({ before: false, names: ['KubernetesApp', 'DockerApp', 'GkeCluster'], kinds: ['function', 'function', 'function'], after: true });
  });
});

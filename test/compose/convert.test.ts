import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { main } from '../../lib/cli/main';
import { CliIo } from '../../lib/cli/command';
import { toYaml } from '../../lib/core/synth';
import { Testing } from '../../lib/pipeline/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const fx = (...p: string[]) => path.relative(ROOT, path.join(__dirname, 'fixtures', ...p));

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => '', env };
  const code = await main(args, io);
  return { code, out, err };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const yamlObjects = (text: string): any[] => parseAllDocuments(text).map((d) => d.toJS());

const tmpdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-convert-'));

/** Type-checks generated files against the library, with 'dockyard' mapped to lib/index.ts as a user's project would resolve it. */
function typeErrors(files: string[]): Map<string, string[]> {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, strict: true, noEmit: true,
    esModuleInterop: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT, paths: { dockyard: ['lib/index.ts'], 'dockyard/compose': ['lib/compose/index.ts'], '*': ['node_modules/*', 'node_modules/@types/*'] },
  });
  const out = new Map<string, string[]>();
  for (const f of files) {
    const sf = program.getSourceFile(f)!;
    out.set(f, [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')));
  }
  return out;
}

describe('dockyard convert', () => {
  test('GIVEN the issue example WHEN converted to YAML THEN <dir>/<project>.k8s.yaml is the golden file and warnings go to stderr', async () => {
    const dir = tmpdir();
    const r = await run(['convert', fx('issue-example.yml'), '-o', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${path.join(dir, 'fixtures.k8s.yaml')}: 2 service(s), 4 object(s), 4 conversion warning(s), 7 policy warning(s)\n`);
    expect(r.err.split('\n')[1]).toBe(`warning: [${fx('issue-example.yml')}:12:5] services.web.depends_on: Kubernetes starts every workload at once and has no start order; depends_on is dropped (give the dependent service a readiness probe and let it retry)`);
    expect(fs.readFileSync(path.join(dir, 'fixtures.k8s.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(__dirname, 'golden', 'issue-example.k8s.yaml'), 'utf8'));
  });

  test('GIVEN literal secrets in environment WHEN converted THEN they move to a Secret with a warning at each key; --strict fails and writes nothing', async () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'c.yml'), [
      'services:', '  db:', '    image: postgres:16', '    environment:', '      POSTGRES_PASSWORD: hunter2', '      POSTGRES_DB: app', '      ALLOW_EMPTY_PASSWORD: "no"',
      '  app:', '    image: example/app:1.0', '    environment:', '      - DATABASE_URL=postgres://app:pw123@db/app', '',
    ].join('\n'));
    const out = path.join(dir, 'out');
    const r = await run(['convert', path.join(dir, 'c.yml'), '-o', out]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`[${path.join(dir, 'c.yml')}:5:7] services.db.environment.POSTGRES_PASSWORD: POSTGRES_PASSWORD is named like a secret and has a literal value; it moves to the Secret "db-env-secret"`);
    expect(r.err).toContain(`[${path.join(dir, 'c.yml')}:11:9] services.app.environment.DATABASE_URL: DATABASE_URL holds a URL with a password (postgres://app:***@db/app)`);
    expect(r.err).not.toContain('hunter2');
    expect(r.err).not.toContain('pw123');
    expect(r.err).not.toContain('ALLOW_EMPTY_PASSWORD');
    const objects = parseAllDocuments(fs.readFileSync(path.join(out, fs.readdirSync(out)[0]), 'utf8')).map((d) => d.toJSON() as any);
    const secret = objects.find((o: any) => o.kind === 'Secret' && o.metadata.name.startsWith('db-env-secret'));
    expect(Buffer.from(secret.data.POSTGRES_PASSWORD, 'base64').toString()).toBe('hunter2');
    const cm = objects.find((o: any) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('db-env-'));
    expect(cm.data).toEqual({ ALLOW_EMPTY_PASSWORD: 'no', POSTGRES_DB: 'app' });
    const strictOut = path.join(dir, 'strict');
    const s = await run(['convert', path.join(dir, 'c.yml'), '-o', strictOut, '--strict']);
    expect(s.code).toBe(1);
    expect(s.err).toContain('services.db.environment.POSTGRES_PASSWORD');
    expect(s.err).not.toContain('hunter2');
    expect(fs.existsSync(strictOut)).toBe(false);
  });

  test('policy warnings are printed at the compose service with a compose fix; --strict leaves them warnings (it is about the conversion)', async () => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'c.yml'), 'services:\n  web:\n    image: nginx:1.27\n    expose: ["80"]\n');
    const r = await run(['convert', path.join(dir, 'c.yml'), '-o', dir, '--project', 'c']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${path.join(dir, 'c.k8s.yaml')}: 1 service(s), 2 object(s), 0 conversion warning(s), 4 policy warning(s)\n`);
    expect(r.err).toContain(`warning: [${path.join(dir, 'c.yml')}:2:3] services.web: policy warning probes-missing: Deployment/web: container "web" has no probe`);
    expect(r.err).toContain('Fix: add a healthcheck (test: ["CMD", ...]) to the service');
    const strict = await run(['convert', path.join(dir, 'c.yml'), '-o', path.join(dir, 'strict'), '--strict', '--project', 'c']);
    expect(strict.code).toBe(0);
    expect(strict.out).toContain('0 conversion warning(s), 4 policy warning(s)');
  });

  test('policy warnings repeated across services: three per rule and a count of the rest; --verbose prints them all; the totals count all', async () => {
    const dir = tmpdir();
    const services = Array.from({ length: 5 }, (_, i) => `  s${i}:\n    image: nginx:1.27\n    expose: ["80"]\n`).join('');
    fs.writeFileSync(path.join(dir, 'c.yml'), `services:\n${services}`);
    const r = await run(['convert', path.join(dir, 'c.yml'), '-o', dir, '--project', 'c']);
    expect(r.code).toBe(0);
    expect(r.err.split('\n').filter((l) => l.includes('policy warning probes-missing'))).toHaveLength(3);
    expect(r.err).toContain('  ... and 2 more probes-missing warning(s) like these (--verbose shows all)\n');
    expect(r.out).toContain('5 service(s), 10 object(s), 0 conversion warning(s), 20 policy warning(s)');
    const verbose = await run(['convert', path.join(dir, 'c.yml'), '-o', path.join(dir, 'v'), '--project', 'c', '--verbose']);
    expect(verbose.err.split('\n').filter((l) => l.includes('policy warning probes-missing'))).toHaveLength(5);
    expect(verbose.err).not.toContain('more probes-missing');
  });

  test.each([
    ['pid: host', '    pid: host\n', 'pid', 'hostPID: true shares the host\'s process namespace', 'remove `pid: host` from the service'],
    ['ipc: host', '    ipc: host\n', 'ipc', 'hostIPC: true shares the host\'s IPC namespace', 'remove `ipc: host` from the service'],
    ['privileged: true', '    privileged: true\n', 'privileged', 'is privileged', 'remove `privileged: true`'],
    ['cap_add: [SYS_ADMIN]', '    cap_add: [SYS_ADMIN]\n', 'cap_add', 'adds capability SYS_ADMIN', 'add only the capabilities the service needs in cap_add'],
  ])('GIVEN %s WHEN converted THEN a privileged error at that compose key, with a fix for that key, and nothing written', async (_n, line, key, message, fix) => {
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'c.yml'), `services:\n  agent:\n    image: busybox:1.36\n${line}`);
    const r = await run(['convert', path.join(dir, 'c.yml'), '-o', path.join(dir, 'out'), '--project', 'c']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[${path.join(dir, 'c.yml')}:4:5] services.agent.${key}: policy error privileged: Deployment/agent:`);
    expect(r.err).toContain(message);
    expect(r.err).toContain(`Fix: ${fix}`);
    expect(r.err).toContain('Policy.suppress');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test.each([
    ['an existing file', (d: string) => { fs.writeFileSync(path.join(d, 'out.yaml'), 'x\n'); return path.join(d, 'out.yaml'); }, 'out.yaml is a file'],
    ['a folder under a file', (d: string) => { fs.writeFileSync(path.join(d, 'f'), 'x\n'); return path.join(d, 'f', 'sub'); }, `${path.sep}f is a file`],
  ])('-o naming %s: exit 1 with "-o must be a folder", the file untouched', async (_n, target, message) => {
    const dir = tmpdir();
    const out = target(dir);
    const r = await run(['convert', fx('issue-example.yml'), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('[-o] -o must be a folder, but ');
    expect(r.err).toContain(message);
    expect(r.err).toContain('Fix: pass a folder, like -o dist');
    expect(r.err).not.toContain('EEXIST');
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(out) === 'sub' ? 'f' : 'out.yaml']);
  });

  test('--project, --namespace and --controller reach the output', async () => {
    const dir = tmpdir();
    const r = await run(['convert', fx('issue-example.yml'), '-o', dir, '--project', 'shop', '--namespace', 'prod', '--controller', 'replicationcontroller']);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf8');
    expect(text).toContain('kind: Namespace');
    expect(text.match(/kind: ReplicationController/g)).toHaveLength(2);
    expect(text.match(/namespace: prod/g)).toHaveLength(4);
  });

  test.each([
    ['a compose error', (d: string) => { fs.writeFileSync(path.join(d, 'c.yml'), 'services:\n  web:\n    image: nginx\n    imagee: x\n'); return [path.join(d, 'c.yml')]; }, /c\.yml:4:5\] unknown key "services\.web\.imagee"/],
    ['--strict with warnings', () => [fx('issue-example.yml'), '--strict'], /4 problem\(s\) converting .*depends_on/s],
    ['a bad --controller', () => [fx('issue-example.yml'), '--controller', 'statefulset'], /--controller "statefulset" is not one of deployment, replicationcontroller, daemonset, pod/],
    ['a bad --format', () => [fx('issue-example.yml'), '--format', 'json'], /--format "json" is not one of yaml, ts/],
  ])('%s: exit 1, one clear message, and the previous output left as it was', async (_n, args, message) => {
    const dir = tmpdir();
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'fixtures.k8s.yaml'), 'previous\n');
    const r = await run(['convert', ...args(dir), '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(fs.readdirSync(out)).toEqual(['fixtures.k8s.yaml']);
    expect(fs.readFileSync(path.join(out, 'fixtures.k8s.yaml'), 'utf8')).toBe('previous\n');
  });

  describe('--format ts', () => {
    const cases: Array<[string, string[], string, string[]]> = [
      ['issue example', [fx('issue-example.yml')], 'fixtures', []],
      ['v3 with configs, secrets, probes, placement', [fx('v3', 'docker-compose.yml')], 'v3', ['--namespace', 'edge']],
      ['v2 with a claim, env files and bind mounts as ConfigMaps', [fx('v2', 'docker-compose.yml')], 'v2', ['--bind-mounts', 'configmap']],
      ['secrets from files and an env file holding a password', [fx('secrets', 'compose.yml')], 'secrets', []],
      ['binary config, secret and bind-mounted files', [fx('binary', 'compose.yml')], 'binary', ['--bind-mounts', 'configmap']],
      ['pod keys, a sidecar, aliases, published and headless Services, a literal secret', [fx('keys', 'compose.yml')], 'keys', ['--service-type', 'nodeport']],
    ];
    const dir = tmpdir();
    let errors: Map<string, string[]>;
    beforeAll(async () => {
      for (const [, files, , flags] of cases) {
        expect((await run(['convert', ...files, '-o', dir, ...flags])).code).toBe(0);
        expect((await run(['convert', ...files, '-o', dir, '--format', 'ts', ...flags])).code).toBe(0);
      }
      // One program for every generated file: type-checking the library once keeps this fast.
      errors = typeErrors(cases.map(([, , project]) => path.join(dir, `${project}.ts`)));
    });

    test.each(cases)('%s: compiles and synthesizes byte-identical YAML', (_n, _files, project) => {
      const tsFile = path.join(dir, `${project}.ts`);
      const code = fs.readFileSync(tsFile, 'utf8');
      expect(code).toContain("from 'dockyard';");
      expect(code).toContain('new WebApp(this, ');
      expect(errors.get(tsFile)).toEqual([]);

      const runnable = path.join(dir, `${project}-run.ts`);
      // The temp folder has no node_modules: point every import at this checkout's modules.
      fs.writeFileSync(runnable, code.replace(/from '([^']+)';/g, (_m, mod: string) => `from ${JSON.stringify(mod === 'dockyard' ? path.join(ROOT, 'lib') : mod === 'dockyard/compose' ? path.join(ROOT, 'lib', 'compose') : require.resolve(mod))};`));
      const mod = require(runnable) as { build(app: App): import('cdk8s').Chart };
      const chart = mod.build(Testing.app());
      expect(toYaml(Testing.synth(chart))).toBe(fs.readFileSync(path.join(dir, `${project}.k8s.yaml`), 'utf8'));
    });

    test('pod extras and extra Services are code too: applyPodExtras with sidecar sources by variable, k8s.KubeService', () => {
      const code = fs.readFileSync(path.join(dir, 'keys.ts'), 'utf8');
      expect(code).toContain('applyPodExtras(vpn, {');
      expect(code).toMatch(/envFrom: \[\{ source: clientEnv \}\]/);
      expect(code).toContain("new k8s.KubeService(this, 'web-published', {");
      expect(code).toContain("new k8s.KubeService(this, 'alias-backend', {");
      expect(code).toContain("vpnEnvSecret.addData('VPN_PRIVATE_KEY', process.env['VPN_PRIVATE_KEY'] ?? 'not-a-real-key');");
    });

    test('the code is readable: references by variable, octal modes, probes as Probe.exec', () => {
      const code = fs.readFileSync(path.join(dir, 'v3.ts'), 'utf8');
      expect(code).toMatch(/const agentSecrets = AppSecret\.fromFile\(this, 'agent-secrets', path\.join\(__dirname, '[^']*\/api_key\.txt'\), \{ name: 'agent-secrets', namespace: 'edge', key: 'api_key' \}\);/);
      expect(code).toContain("{ path: '/run/secrets', source: agentSecrets, keys: ['api_key', 'cert.pem'], mode: 0o400 },");
      expect(code).toContain("const agentSecrets1 = AppSecret.fromExisting(this, 'agent-secrets-1', 'agent-secrets-1', ['password'], { namespace: 'edge' });");
      expect(code).toContain("readiness: Probe.exec(['wget', '-q', '-O', '-', 'http://localhost/'], { periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 })");
      expect(code).toContain("startup: Probe.exec(['wget', '-q', '-O', '-', 'http://localhost/'], { periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 4 })");
      expect(code).toContain("new Namespace(this, 'namespace', { name: 'edge' });");
    });

    test('secret values are never printed: secret files and env files holding a secret are read from their paths, relative to the generated file', () => {
      const code = fs.readFileSync(path.join(dir, 'secrets.ts'), 'utf8');
      for (const secret of ['s3cr3t-from-env-file', 'hunter2-in-a-file', 'not-a-real-key-but-secret', 'DB_PASSWORD']) expect(code).not.toContain(secret);
      const rel = (f: string) => path.relative(dir, path.join(__dirname, 'fixtures', 'secrets', f)).split(path.sep).join('/');
      expect(code).toContain("import * as path from 'node:path';");
      expect(code).toContain(`const apiEnvSecret = AppSecret.fromEnvFile(this, 'api-env-secret', path.join(__dirname, '${rel('db.env')}'), { name: 'api-env-secret' });`);
      expect(code).toContain(`const apiSecrets = AppSecret.fromFile(this, 'api-secrets', path.join(__dirname, '${rel('db_password.txt')}'), { name: 'api-secrets', key: 'db_password' });`);
      expect(code).toContain(`apiSecrets.addFile(path.join(__dirname, '${rel('keys/signing.pem')}'), 'signing.pem');`);
      // Plain settings stay literal and editable; environment: still overrides the env files.
      expect(code).toContain("new AppConfig(this, 'api-env', { name: 'api-env', data: { LOG_LEVEL: 'debug', REGION: 'eu-1' } });");
      expect(code).toContain('envFrom: [{ source: apiEnvSecret }, { source: apiEnv }],');
    });

    test('binary files keep their exact bytes: ConfigMap binaryData, Secret data; text stays in data', () => {
      const objects = yamlObjects(fs.readFileSync(path.join(dir, 'binary.k8s.yaml'), 'utf8'));
      const bytes = (f: string) => fs.readFileSync(path.join(__dirname, 'fixtures', 'binary', f));
      const configs = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('web-configs-'));
      expect(configs.data).toBeUndefined();
      expect(Buffer.from(configs.binaryData['favicon.ico'], 'base64')).toEqual(bytes('favicon.ico'));
      const secret = objects.find((o) => o.kind === 'Secret');
      expect(Buffer.from(secret.data.tls_cert, 'base64')).toEqual(bytes('cert.der'));
      const bind = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('web-bind-'));
      expect(bind.data).toEqual({ 'index.html': '<h1>static</h1>\n' });
      expect(Buffer.from(bind.binaryData['logo.png'], 'base64')).toEqual(bytes('static/logo.png'));
      const code = fs.readFileSync(path.join(dir, 'binary.ts'), 'utf8');
      expect(code).toContain(`.addBinaryData('logo.png', Buffer.from('${bytes('static/logo.png').toString('base64')}', 'base64'));`);
    });

    test('the YAML keeps the env file holding a password out of the ConfigMap', () => {
      const objects = yamlObjects(fs.readFileSync(path.join(dir, 'secrets.k8s.yaml'), 'utf8'));
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('api-env-secret-'));
      expect(Object.keys(secret.data)).toEqual(['DB_PASSWORD', 'DB_USER']);
      expect(Buffer.from(secret.data.DB_PASSWORD, 'base64').toString()).toBe('s3cr3t-from-env-file');
      expect(objects.find((o) => o.kind === 'ConfigMap').data).toEqual({ LOG_LEVEL: 'debug', REGION: 'eu-1' });
    });
  });
});

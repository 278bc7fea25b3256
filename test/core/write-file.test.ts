import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { AppConfig, AppSecret, synthApp } from '../../lib';
import { main } from '../../lib/cli/main';
import { holdsSecretData, writeFileAtomic } from '../../lib/core/write-file';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('files holding Secret data are written 0600', () => {
  let tmp: string;
  let umask: number;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-wf-')); umask = process.umask(0o022); });
  afterEach(() => { process.umask(umask); fs.rmSync(tmp, { recursive: true, force: true }); });

  test('GIVEN secret: true THEN the file is 0600, also when it replaces a 0644 file; otherwise the umask decides', () => {
    const f = path.join(tmp, 'sub', 'out.yaml');
    writeFileAtomic(f, 'a');
    expect(mode(f)).toBe(0o644);
    writeFileAtomic(f, 'b', { secret: true });
    expect([fs.readFileSync(f, 'utf8'), mode(f)]).toEqual(['b', 0o600]);
    expect(fs.readdirSync(path.dirname(f))).toEqual(['out.yaml']);
  });

  test('GIVEN a write that fails THEN no temporary file is left and the old file stays', () => {
    const f = path.join(tmp, 'out.yaml');
    writeFileAtomic(f, 'old');
    expect(() => writeFileAtomic(f, { bad: true } as unknown as string)).toThrow();
    expect(fs.readdirSync(tmp)).toEqual(['out.yaml']);
    expect(fs.readFileSync(f, 'utf8')).toBe('old');
  });

  test('holdsSecretData is true only with a Secret among the objects', () => {
    expect(holdsSecretData([{ kind: 'ConfigMap' }, { kind: 'Secret' }])).toBe(true);
    expect(holdsSecretData([{ kind: 'ConfigMap' }])).toBe(false);
  });

  test('GIVEN a chart with an AppSecret WHEN synthesized THEN its file (and the last-good copy) is 0600, a chart without one is not', () => {
    const app = new App();
    new AppSecret(new Chart(app, 'secret'), 'db', { data: { password: 'hunter2' } });
    new AppConfig(new Chart(app, 'plain'), 'site', { data: { url: 'http://example.org' } });
    const out = path.join(tmp, 'dist');
    synthApp(app, { outdir: out, policy: false });
    expect(mode(path.join(out, 'secret.k8s.yaml'))).toBe(0o600);
    expect(mode(path.join(out, 'plain.k8s.yaml'))).toBe(0o644);
    expect(mode(path.join(tmp, '.dockyard', 'last-dist', 'secret.k8s.yaml'))).toBe(0o600);
  });

  test('GIVEN a compose file with secrets WHEN converted THEN the YAML and the TypeScript are 0600', async () => {
    const fixture = path.join(__dirname, '../compose/fixtures/secrets/compose.yml');
    const io = { out: () => undefined, err: () => undefined, stdin: () => '', env: {} };
    for (const format of ['yaml', 'ts']) {
      const out = path.join(tmp, format);
      expect(await main(['convert', fixture, '-o', out, '--format', format], io)).toBe(0);
      const [file] = fs.readdirSync(out);
      expect([file, mode(path.join(out, file))]).toEqual([file, 0o600]);
    }
  });
});

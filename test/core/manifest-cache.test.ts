import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockyardError } from '../../lib/core/errors';
import { codeKey, codeKeyFiles, loadValidatedManifests } from '../../lib/core/manifest-cache';
import { LoadedObject, loadManifests } from '../../lib/core/manifests';

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: 8080
`;
const CONFIG = `# a comment first
apiVersion: v1
kind: ConfigMap
metadata: { name: site }
data:
  url: http://example.org
`;

describe('loadValidatedManifests', () => {
  let work: string;
  let cache: string;
  let checks: number;
  const check = (objects: LoadedObject[]) => {
    checks++;
    const bad = objects.find((o) => o.object.kind === 'Service' && (o.object.spec as any)?.ports?.[0]?.port === 0);
    if (bad) throw new DockyardError({ where: `${bad.file}:${bad.lineOf(['spec', 'ports', 0, 'port'])}`, message: 'port 0', fix: 'use 1-65535' });
  };
  const load = (inputs = [work], extra = {}) => loadValidatedManifests(inputs, check, { dir: cache, ...extra });
  const entries = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((n) => n.endsWith('.json')) : []);

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-mcache-'));
    cache = path.join(work, '.cache');
    fs.writeFileSync(path.join(work, 'a-service.yaml'), SERVICE);
    fs.writeFileSync(path.join(work, 'b-config.yaml'), CONFIG);
    checks = 0;
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test('a second run over the same files returns the same objects and lines without checking again', () => {
    const first = load();
    expect(checks).toBe(1);
    expect(entries()).toHaveLength(1);
    const second = load();
    expect(checks).toBe(1);
    expect(second.map((o) => [o.file, o.line, o.object])).toEqual(first.map((o) => [o.file, o.line, o.object]));
    expect(second.map((o) => [o.file, o.line, o.object])).toEqual(loadManifests([work]).map((o) => [o.file, o.line, o.object]));
    // Field lines come from parsing the text again: the same as a fresh load's.
    expect(second[0].lineOf(['spec', 'ports', 0, 'targetPort'])).toBe(9);
    expect(second[1].lineOf(['data', 'url'])).toBe(first[1].lineOf(['data', 'url']));
    expect(second[1].line).toBe(2);
  });

  test('any change to a file, a file name, or the code means checking again', () => {
    load();
    fs.appendFileSync(path.join(work, 'b-config.yaml'), '  extra: "1"\n');
    expect(load()[1].object.data).toEqual({ url: 'http://example.org', extra: '1' });
    expect(checks).toBe(2);
    fs.renameSync(path.join(work, 'b-config.yaml'), path.join(work, 'c-config.yaml'));
    expect(load()[1].file).toBe(path.join(work, 'c-config.yaml'));
    expect(checks).toBe(3);
    load(undefined, { codeKey: 'another build' });
    expect(checks).toBe(4);
  });

  test('invalid input is never stored: every run checks it and fails with the field line', () => {
    fs.writeFileSync(path.join(work, 'a-service.yaml'), SERVICE.replace('port: 80', 'port: 0'));
    for (let i = 1; i <= 2; i++) {
      expect(() => load()).toThrow(`a-service.yaml:8] port 0`);
      expect(checks).toBe(i);
    }
    expect(entries()).toHaveLength(0);
  });

  test('YAML errors and unreadable inputs are reported as by loadManifests, and not stored', () => {
    fs.writeFileSync(path.join(work, 'b-config.yaml'), 'kind: [\n');
    expect(() => load()).toThrow(/b-config\.yaml:2:1\] invalid YAML/);
    expect(() => load([path.join(work, 'nope.yaml')])).toThrow('no such file or folder');
    expect(entries()).toHaveLength(0);
  });

  test('a corrupt or foreign entry is ignored and rewritten', () => {
    load();
    const [name] = entries();
    for (const junk of ['{not json', JSON.stringify({ objects: [{ file: 7, line: 1, object: {} }] })]) {
      fs.writeFileSync(path.join(cache, name), junk);
      expect(load().map((o) => o.object.kind)).toEqual(['Service', 'ConfigMap']);
    }
    expect(checks).toBe(3);
    load();
    expect(checks).toBe(3);
  });

  test('stdin is keyed by its text; DOCKYARD_MANIFEST_CACHE=off checks every time and writes nothing', () => {
    const stdin = () => SERVICE;
    loadValidatedManifests(['-'], check, { dir: cache, stdin });
    loadValidatedManifests(['-'], check, { dir: cache, stdin });
    expect(checks).toBe(1);
    loadValidatedManifests(['-'], check, { dir: cache, stdin: () => CONFIG });
    expect(checks).toBe(2);
    fs.rmSync(cache, { recursive: true, force: true });
    process.env.DOCKYARD_MANIFEST_CACHE = 'off';
    try {
      load();
      load();
    } finally { delete process.env.DOCKYARD_MANIFEST_CACHE; }
    expect(checks).toBe(4);
    expect(entries()).toHaveLength(0);
  });

  test('keeps at most maxEntries entries, dropping the oldest', () => {
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(path.join(work, 'b-config.yaml'), CONFIG.replace('example.org', `example${i}.org`));
      load(undefined, { maxEntries: 3 });
    }
    expect(entries()).toHaveLength(3);
  });

  test('the code key changes with the code it covers and is stable within a build', () => {
    expect(codeKey()).toMatch(/^[0-9a-f]{64}$/);
    expect(codeKey()).toBe(codeKey());
  });

  test('the code key covers what the result depends on: the build\'s schema table, the parse and schema code, Dockyard\'s package.json; not cdk8s-plus-33', () => {
    const files = codeKeyFiles();
    expect(files.filter((f) => f.endsWith(path.join('core', 'k8s-schema.json')) && fs.existsSync(f))).toHaveLength(1);
    for (const m of ['manifests', 'schema', 'api-rules', 'crd-schema', 'manifest-cache']) expect(files.some((f) => path.basename(f).startsWith(`${m}.`))).toBe(true);
    expect(files).toContain(path.join(__dirname, '..', '..', 'package.json'));
    expect(files.filter((f) => f.includes('cdk8s-plus'))).toEqual([]);
    expect(files.every((f) => fs.existsSync(f))).toBe(true);
  });
});

describe('loadValidatedManifests keeps Secrets out of the cache and the cache private', () => {
  const SECRET = `apiVersion: v1
kind: Secret
metadata: { name: db }
stringData:
  password: hunter2-plain
data:
  token: c2VjcmV0LXRva2Vu
`;
  let work: string;
  let cache: string;
  let checks: number;
  const check = () => { checks++; };
  const load = () => loadValidatedManifests([work], check, { dir: cache });
  const mode = (p: string) => fs.statSync(p).mode & 0o777;
  const entryFiles = () => fs.readdirSync(cache).filter((n) => n.endsWith('.json')).map((n) => path.join(cache, n));

  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-mcache-sec-'));
    cache = path.join(work, '.cache', 'manifests');
    fs.writeFileSync(path.join(work, 'a-service.yaml'), SERVICE);
    fs.writeFileSync(path.join(work, 'b-secret.yaml'), `${SECRET}---\n${CONFIG}`);
    checks = 0;
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test('GIVEN a Secret WHEN cached THEN no value (plain or base64) is in the entry, and a hit gives the same objects and lines', () => {
    const first = load();
    const [entry] = entryFiles();
    const text = fs.readFileSync(entry, 'utf8');
    for (const v of ['hunter2-plain', 'c2VjcmV0LXRva2Vu', Buffer.from('hunter2-plain').toString('base64')]) expect(text).not.toContain(v);
    const second = load();
    expect(checks).toBe(1);
    expect(second.map((o) => [o.file, o.line, o.object])).toEqual(first.map((o) => [o.file, o.line, o.object]));
    expect((second[1].object as any).stringData.password).toBe('hunter2-plain');
    expect(second[1].lineOf(['data', 'token'])).toBe(7);
  });

  test('GIVEN a new cache THEN the folder is 0700 and entries 0600', () => {
    load();
    expect(mode(cache)).toBe(0o700);
    expect(entryFiles().map(mode)).toEqual([0o600]);
  });

  test('GIVEN a folder left 0755 with a 0644 entry (an older version) THEN it is made 0700 and the old entry removed', () => {
    fs.mkdirSync(cache, { recursive: true, mode: 0o755 });
    fs.chmodSync(cache, 0o755);
    fs.writeFileSync(path.join(cache, 'old.json'), JSON.stringify({ objects: [{ object: { kind: 'Secret', stringData: { p: 'hunter2-plain' } } }] }), { mode: 0o644 });
    load();
    expect(mode(cache)).toBe(0o700);
    expect(fs.existsSync(path.join(cache, 'old.json'))).toBe(false);
    expect(entryFiles()).toHaveLength(1);
  });

  test('GIVEN an entry made readable by others THEN it is not trusted: removed and checked again', () => {
    load();
    const [entry] = entryFiles();
    fs.chmodSync(entry, 0o644);
    load();
    expect(checks).toBe(2);
    expect(entryFiles().map(mode)).toEqual([0o600]);
  });

  test('GIVEN the cache folder is a link THEN nothing is written through it', () => {
    const elsewhere = path.join(work, 'elsewhere');
    fs.mkdirSync(elsewhere, { mode: 0o700 });
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.symlinkSync(elsewhere, cache);
    load();
    load();
    expect(checks).toBe(2);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? test : test.skip;
  asRoot('GIVEN a cache folder owned by another user THEN it is neither read nor written', () => {
    fs.mkdirSync(cache, { recursive: true, mode: 0o700 });
    fs.chownSync(cache, 65534, 65534);
    load();
    load();
    expect(checks).toBe(2);
    expect(fs.readdirSync(cache)).toEqual([]);
  });
});

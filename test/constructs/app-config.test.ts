import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppConfig, AppSecret, EnvValue, parseEnvFile, Testing, WebApp } from '../../lib';
import { shortHash } from '../../lib/core/naming';

describe('AppConfig and AppSecret', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-cfg-'));
  fs.writeFileSync(path.join(dir, 'app.env'), '# settings\nURL=http://x\nexport MODE="prod"\n\n');
  fs.mkdirSync(path.join(dir, 'conf'));
  fs.writeFileSync(path.join(dir, 'conf', 'nginx.conf'), 'server {}\n');
  fs.writeFileSync(path.join(dir, 'conf', 'mime.types'), 'types {}\n');

  test('GIVEN literals, a file, a folder and an env file THEN the ConfigMap holds every key, sorted', () => {
    const chart = Testing.chart();
    const a = AppConfig.fromLiterals(chart, 'lit', { b: '2', a: '1' });
    const f = AppConfig.fromFile(chart, 'file', path.join(dir, 'conf', 'nginx.conf'));
    const d = AppConfig.fromDirectory(chart, 'dir', path.join(dir, 'conf'));
    const e = AppConfig.fromEnvFile(chart, 'env', path.join(dir, 'app.env'));
    expect(a.keys).toEqual(['a', 'b']);
    expect(f.keys).toEqual(['nginx.conf']);
    expect(d.keys).toEqual(['mime.types', 'nginx.conf']);
    expect(e.keys).toEqual(['MODE', 'URL']);
    expect(e.valueOf('MODE')).toBe('prod');
    const cm = Testing.synth(chart).filter((o) => o.kind === 'ConfigMap');
    expect(cm).toHaveLength(4);
    expect(Object.keys((cm[0] as any).data)).toEqual(['a', 'b']);
  });

  test('GIVEN a content change THEN the name changes (pods roll); hashSuffix false keeps the name', () => {
    const c1 = AppConfig.fromLiterals(Testing.chart(), 'site', { url: 'a' });
    const c2 = AppConfig.fromLiterals(Testing.chart(), 'site', { url: 'b' });
    const c3 = AppConfig.fromLiterals(Testing.chart(), 'site', { url: 'a' });
    expect(c1.name).toMatch(/^site-[0-9a-f]{8}$/);
    expect(c1.name).not.toBe(c2.name);
    expect(c1.name).toBe(c3.name);
    expect(AppConfig.fromLiterals(Testing.chart(), 'site', { url: 'a' }, { hashSuffix: false }).name).toBe('site');
  });

  test('the name hash is the hash of the sorted data as stableStringify writes it, for any keys and values', () => {
    const cases: Array<Record<string, unknown>> = [
      { url: 'a' },
      { b: '2', a: '1', 10: 'x', 9: 'y', 'é': 'z', '\u{1F600}': 'w', Z: '' },
      { 'x"y': 'quote "and" \\ back\nslash', '\u2028': '\u2028' },
      { a: '1', nested: { z: 1, a: [2, { d: 1, c: 2 }] } as unknown },
      {},
    ];
    for (const data of cases) {
      const c = AppConfig.fromLiterals(Testing.chart(), 'site', data as Record<string, string>);
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(data).sort()) sorted[k] = data[k];
      expect(c.name).toBe(`site-${shortHash(sorted, 8)}`);
    }
  });

  test('GIVEN data added after the name was read THEN the name follows the content', () => {
    const c = AppConfig.fromLiterals(Testing.chart(), 'site', { url: 'a' });
    const before = c.name;
    c.addData('mode', 'prod');
    expect(c.name).not.toBe(before);
    expect(c.name).toBe(AppConfig.fromLiterals(Testing.chart(), 'site', { url: 'a', mode: 'prod' }).name);
  });

  test('GIVEN a change of the config THEN the workload template changes too', () => {
    const render = (url: string) => {
      const chart = Testing.chart();
      const cfg = AppConfig.fromLiterals(chart, 'site', { url });
      new WebApp(chart, 'w', { image: 'x:1', port: 80, config: cfg });
      return JSON.stringify((Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template);
    };
    expect(render('a')).not.toBe(render('b'));
  });

  test('AppSecret data is base64 and typed Opaque', () => {
    const chart = Testing.chart();
    AppSecret.fromLiterals(chart, 'db', { password: 'hunter2' });
    const s = Testing.find(Testing.synth(chart), 'Secret') as any;
    expect(s.type).toBe('Opaque');
    expect(Buffer.from(s.data.password, 'base64').toString()).toBe('hunter2');
  });

  test('AppSecret.fromExisting emits nothing but can be referenced', () => {
    const chart = Testing.chart();
    const s = AppSecret.fromExisting(chart, 'ext', 'rails-secrets', ['DATABASE_URL']);
    new WebApp(chart, 'w', { image: 'x:1', port: 80, mounts: [{ path: '/s', source: s }] });
    const objs = Testing.synth(chart);
    expect(objs.some((o) => o.kind === 'Secret')).toBe(false);
    expect(s.name).toBe('rails-secrets');
  });

  test('GIVEN a malformed env file THEN file:line and the fix', () => {
    const bad = path.join(dir, 'bad.env');
    fs.writeFileSync(bad, 'OK=1\nnot a pair\n');
    const chart = Testing.chart();
    AppConfig.fromEnvFile(chart, 'x', bad);
    const [p] = Testing.constructProblems(chart);
    expect(p.where).toBe('test/x');
    expect(p.message).toMatch(/bad\.env:2: line is not KEY=VALUE\.$/);
    expect(p.fix).toBe('write one KEY=VALUE per line (# starts a comment)');
    expect(parseEnvFile("A='q'\n", 'f')).toEqual({ A: 'q' });
  });

  test('GIVEN a missing file THEN a synth problem with the construct path, the file and a fix', () => {
    const chart = Testing.chart();
    AppConfig.fromFile(chart, 'x', '/nope/file.conf');
    expect(Testing.constructProblems(chart)).toEqual([{ where: 'test/x', message: '/nope/file.conf: cannot read the file (ENOENT).', fix: 'check the path; relative paths start from the folder you run synth in' }]);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/x\] \/nope\/file\.conf: cannot read the file \(ENOENT\)\. Fix:/);
  });

  describe('binary files', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x0a]);
    const bin = path.join(dir, 'logo.png');
    fs.writeFileSync(bin, bytes);
    fs.mkdirSync(path.join(dir, 'site'));
    fs.writeFileSync(path.join(dir, 'site', 'index.html'), '<h1>hi</h1>\n');
    fs.writeFileSync(path.join(dir, 'site', 'favicon.ico'), bytes);

    test('GIVEN a binary file THEN the ConfigMap keeps its exact bytes in binaryData, text keys stay in data', () => {
      const chart = Testing.chart();
      const site = AppConfig.fromDirectory(chart, 'site', path.join(dir, 'site'));
      expect(site.keys).toEqual(['favicon.ico', 'index.html']);
      expect(site.binaryKeys).toEqual(['favicon.ico']);
      expect(site.bytesOf('favicon.ico')).toEqual(bytes);
      expect(site.valueOf('favicon.ico')).toBeUndefined();
      const [cm] = Testing.synth(chart) as any[];
      expect(cm.data).toEqual({ 'index.html': '<h1>hi</h1>\n' });
      expect(cm.binaryData).toEqual({ 'favicon.ico': bytes.toString('base64') });
      expect(Buffer.from(cm.binaryData['favicon.ico'], 'base64')).toEqual(bytes);
    });

    test('GIVEN binary content THEN it is in the name hash; text-only configs keep their names', () => {
      const names = (content: Buffer) => {
        const chart = Testing.chart();
        const c = AppConfig.fromLiterals(chart, 'c', { a: '1' });
        c.addBinaryData('b', content);
        return c.name;
      };
      expect(names(Buffer.from([1, 2]))).not.toBe(names(Buffer.from([1, 3])));
      const chart = Testing.chart();
      const text = AppConfig.fromLiterals(chart, 'c', { a: '1' });
      expect(text.name).toBe(`c-${shortHash(JSON.stringify({ a: '1' }), 8)}`);
    });

    test('GIVEN a binary file in a Secret THEN its data holds the bytes, sorted with the text keys', () => {
      const chart = Testing.chart();
      const s = AppSecret.fromFile(chart, 's', bin);
      s.addData('a-token', 'xyz');
      const [secret] = Testing.synth(chart) as any[];
      expect(Object.keys(secret.data)).toEqual(['a-token', 'logo.png']);
      expect(Buffer.from(secret.data['logo.png'], 'base64')).toEqual(bytes);
      expect(Buffer.from(secret.data['a-token'], 'base64').toString()).toBe('xyz');
    });

    test('GIVEN a binary ConfigMap key THEN it mounts as a file, envFrom skips it, and a single-key env var is refused', () => {
      const chart = Testing.chart();
      const site = AppConfig.fromDirectory(chart, 'site', path.join(dir, 'site'));
      const web = new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80, config: site });
      expect([...web.definedEnvNames()]).not.toContain('favicon.ico');
      expect(Testing.constructProblems(chart)).toEqual([]);
      const rc = (Testing.synth(chart) as any[]).find((o) => o.kind === 'ReplicationController');
      const vol = rc.spec.template.spec.volumes.find((v: any) => v.configMap);
      expect(vol.configMap.name).toBe(site.name);

      const bad = Testing.chart();
      const cfg = AppConfig.fromFile(bad, 'logo', bin);
      new WebApp(bad, 'web', { image: 'nginx:1.27', port: 80, env: { LOGO: EnvValue.fromConfig(cfg, 'logo.png') } });
      expect(Testing.constructProblems(bad).map((p) => p.message).join('\n')).toContain('env LOGO: key "logo.png" of ConfigMap');
      expect(Testing.constructProblems(bad).map((p) => p.fix).join('\n')).toContain('mount the key as a file');
    });

    test('GIVEN a binary env file THEN it is refused naming the file', () => {
      const chart = Testing.chart();
      AppConfig.fromEnvFile(chart, 'e', bin);
      expect(Testing.constructProblems(chart)[0].message).toContain('logo.png: the env file is not UTF-8 text');
    });
  });

  test('GIVEN a malformed line in a secrets env file THEN its text is not echoed', () => {
    const f = path.join(dir, 'secret.env');
    fs.writeFileSync(f, 'DB_PASSWORD hunter2-very-secret\n');
    const chart = Testing.chart();
    AppSecret.fromEnvFile(chart, 's', f);
    expect(JSON.stringify(Testing.constructProblems(chart))).not.toContain('hunter2');
  });

  test('GIVEN an invalid key THEN a construct-path error', () => {
    const chart = Testing.chart();
    AppConfig.fromLiterals(chart, 'bad', { 'has space': 'x' });
    expect(Testing.constructProblems(chart).map((p) => `${p.where}: ${p.message}`)).toEqual([expect.stringContaining('test/bad: key "has space" is not a valid')]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { CliIo } from '../../lib/cli/command';
import { fillTemplate, templateFiles } from '../../lib/cli/commands/init';
import { main } from '../../lib/cli/main';
import { runSynth, WebApp } from '../../lib';
import { summarizeByRule } from '../../lib/policy/summary';

function io(): CliIo & { text: () => { out: string; err: string } } {
  let out = ''; let err = '';
  return { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => '', env: { ...process.env }, text: () => ({ out, err }) };
}

describe('dockyard init (files only; the packed end-to-end run is test/package/pack.integration.test.ts)', () => {
  test('writes every template file with its placeholders filled, the dockyard dependency as asked', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dy-init-')), 'Shop_App');
    const o = io();
    expect(await main(['init', dir, '--no-install', '--dockyard', '../dockyard-0.1.0.tgz'], o)).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.gitignore', 'Pulumi.yaml', 'cdk8s.yaml', 'jest.config.js', 'main.test.ts', 'main.ts', 'package.json', 'pulumi', 'tsconfig.json']);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('shop-app');
    expect(pkg.dependencies.dockyard).toBe(`file:${path.resolve('../dockyard-0.1.0.tgz')}`);
    expect(pkg.dependencies.cdk8s).toBe(require('../../package.json').peerDependencies.cdk8s);
    for (const f of ['package.json', 'main.ts', 'main.test.ts', 'Pulumi.yaml', 'pulumi/index.ts']) expect([f, fs.readFileSync(path.join(dir, f), 'utf8').includes('{{')]).toEqual([f, false]);
    expect(fs.readFileSync(path.join(dir, 'pulumi/index.ts'), 'utf8')).toContain("from 'dockyard/pulumi/program'");
    expect(o.text().out).toContain('next: cd');
  });

  test('refuses a folder with files unless --force, and then keeps the files it does not write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-init-'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const o = io();
    expect(await main(['init', dir, '--no-install'], o)).toBe(1);
    expect(o.text().err).toContain('is not empty (notes.txt)');
    expect(o.text().err).toContain('--force');
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    expect(await main(['init', dir, '--no-install', '--force'], io())).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(dir, 'main.ts'))).toBe(true);
  });

  test('a template with an unknown placeholder is a bug, not a silent blank', () => {
    expect(() => fillTemplate('{{nope}}', {}, 'x')).toThrow('template x: no value for {{nope}}');
    expect(templateFiles()).toContain('gitignore');
  });
});

describe('runSynth output', () => {
  test('a duplicate construct id is one clean report with the path and a fix, exit code 1, no stack trace', () => {
    const errs: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t: any) => { errs.push(String(t)); return true; });
    const before = process.exitCode;
    try {
      expect(runSynth(() => {
        const app = new App();
        const chart = new Chart(app, 'shop');
        new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80 });
        new WebApp(chart, 'web', { image: 'nginx:1.27', port: 81 });
        return app;
      }, { outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dy-dup-')) })).toBe(false);
      expect(process.exitCode).toBe(1);
    } finally {
      spy.mockRestore();
      process.exitCode = before;
    }
    const text = errs.join('');
    expect(text).toContain('[shop/web] two constructs in Chart shop have the id "web". Fix: give each child of a scope its own id');
    expect(text).not.toMatch(/^\s+at /m);
  });
});

describe('repeated warnings are summarized per rule', () => {
  const items = Array.from({ length: 1000 }, (_, i) => ({ rule: i % 2 ? 'probes-missing' : 'run-as-non-root', n: i }));
  test('the first three of each rule, then a count; --verbose shows all', () => {
    const lines = summarizeByRule(items, (x) => x.rule, (x) => `${x.rule} ${x.n}`);
    expect(lines).toEqual(['run-as-non-root 0', 'probes-missing 1', 'run-as-non-root 2', 'probes-missing 3', 'run-as-non-root 4',
      '  ... and 497 more run-as-non-root warning(s) like these (--verbose shows all)', 'probes-missing 5', '  ... and 497 more probes-missing warning(s) like these (--verbose shows all)']);
    expect(summarizeByRule(items, (x) => x.rule, (x) => String(x.n), { verbose: true })).toHaveLength(1000);
    expect(summarizeByRule(items.slice(0, 6), (x) => x.rule, (x) => String(x.n))).toHaveLength(6);
  });

  test('dockyard lint prints a count for the rest, and every finding with --verbose', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-lint-'));
    const pods = Array.from({ length: 20 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n`).join('---\n');
    fs.writeFileSync(path.join(dir, 'pods.yaml'), pods);
    const short = io(); const all = io();
    await main(['lint', path.join(dir, 'pods.yaml')], short);
    await main(['lint', '--verbose', path.join(dir, 'pods.yaml')], all);
    const count = (t: string) => t.split('\n').filter((l) => / warning probes-missing: /.test(l)).length;
    expect(count(short.text().out)).toBe(3);
    expect(short.text().out).toContain('... and 17 more probes-missing warning(s)');
    expect(count(all.text().out)).toBe(20);
  });
});

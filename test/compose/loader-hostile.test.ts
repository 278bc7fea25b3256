import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockyardError } from '../../lib/core/errors';
import { loadCompose } from '../../lib/compose/loader';
import { interpolate, MAX_NESTING } from '../../lib/compose/interpolate';

function tmp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-hostile-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function errorText(file: string): string {
  try {
    loadCompose([file], { env: {} });
  } catch (e) {
    if (e instanceof DockyardError) return e.message;
    throw e;
  }
  throw new Error('expected an error');
}

describe('hostile compose input', () => {
  test('GIVEN extends naming a file that is not compose WHEN loaded THEN only its path is named, never a line of it', () => {
    const dir = tmp({
      'shadow': 'root:$6$saltsalt$hashhashhash:19000:0:99999:7:::\nDB_PASSWORD: hunter2\n',
      'c.yml': 'services:\n  web:\n    extends: {file: shadow, service: root}\n',
    });
    const text = errorText(path.join(dir, 'c.yml'));
    expect(text).toContain(`${path.join(dir, 'shadow')} is not a compose file`);
    for (const secret of ['hashhash', 'hunter2', 'DB_PASSWORD', 'root:']) expect(text).not.toContain(secret);
  });

  test('a FIFO, /dev/zero and /proc files are refused before any read (no hang, no unbounded growth)', () => {
    const dir = tmp({ 'c.yml': 'services:\n  web: {image: "x:1", configs: [a, b, c], env_file: [pipe]}\nconfigs:\n  a: {file: ./pipe}\n  b: {file: /dev/zero}\n  c: {file: /proc/self/environ}\n' });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    const text = errorText(path.join(dir, 'c.yml'));
    expect(text).toContain('is a FIFO (named pipe), not a regular file; it is not read');
    expect(text).toContain('the file of config "b" /dev/zero is under /dev');
    expect(text).toMatch(/the file of config "c" \/proc\/self\/environ \(resolves to \/proc\/\d+\/environ\) is under \/proc/);
    expect(text).toContain('the env file');
  });

  test('files outside the project folder, written so or through a symlink, load with a warning naming the target', () => {
    const outside = tmp({ 'site.conf': 'x' });
    const dir = tmp({ 'c.yml': `services:\n  web: {image: "x:1", configs: [a, b]}\nconfigs:\n  a: {file: ${path.join(outside, 'site.conf')}}\n  b: {file: ./link.conf}\n` });
    fs.symlinkSync(path.join(outside, 'site.conf'), path.join(dir, 'link.conf'));
    const p = loadCompose([path.join(dir, 'c.yml')], { env: {} });
    const messages = (p.warnings ?? []).map((w) => w.message);
    expect(messages).toEqual([
      expect.stringContaining(`${path.join(outside, 'site.conf')} is outside the project folder`),
      expect.stringContaining(`${path.join(dir, 'link.conf')} (a symlink to ${fs.realpathSync(path.join(outside, 'site.conf'))}) is outside the project folder`),
    ]);
  });

  test('a bind mount through a symlink to a host folder is a warning; to the engine socket, an error naming the chain', () => {
    const dir = tmp({ 'c.yml': 'services:\n  web: {image: "x:1", volumes: ["./etc:/x:ro"]}\n' });
    fs.symlinkSync('/etc', path.join(dir, 'etc'));
    const p = loadCompose([path.join(dir, 'c.yml')], { env: {} });
    expect(p.warnings?.map((w) => w.message)).toEqual([expect.stringContaining('bind mount ./etc (it resolves to /etc through the symlink')]);
    fs.symlinkSync('/var/run/docker.sock', path.join(dir, 'one'));
    fs.symlinkSync('one', path.join(dir, 'two'));
    fs.writeFileSync(path.join(dir, 'c.yml'), 'services:\n  web: {image: "x:1", volumes: [{type: bind, source: ./two, target: /s}]}\n');
    expect(errorText(path.join(dir, 'c.yml'))).toContain(`through the symlinks ${path.join(dir, 'two')} -> ${path.join(dir, 'one')} -> /var/run/docker.sock) exposes the container engine's socket`);
  });

  test('interpolation nested thousands deep fails fast with a bound; real nesting still works', () => {
    let deep = 'x';
    for (let i = 0; i < 5000; i++) deep = `\${A:-${deep}}`;
    const t = Date.now();
    expect(interpolate(deep, {}).failure?.message).toContain(`nested more than ${MAX_NESTING} levels deep`);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(interpolate('${A:-${B:-${C:-c}}}', {}).value).toBe('c');
  });

  test('a YAML alias bomb and an alias before its anchor are user errors with a position', () => {
    const bomb = ['x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]', ...'bcdefgh'.split('').map((c, i) => `x-${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'services:', '  web: {image: "x:1", command: *h}', ''].join('\n');
    expect(errorText(path.join(tmp({ 'c.yml': bomb }), 'c.yml'))).toContain('an alias bomb');
    expect(errorText(path.join(tmp({ 'c.yml': 'services:\n  web:\n    <<: *base\n    image: x:1\nx-base: &base {restart: always}\n' }), 'c.yml'))).toMatch(/c\.yml:3:9\] invalid YAML: the alias \*base names no anchor defined before it/);
  });

  test('<<: *defaults in thousands of services is not mistaken for an alias bomb', () => {
    const lines = ['x-defaults: &defaults {image: "x:1", restart: always}', 'services:'];
    for (let i = 0; i < 3000; i++) lines.push(`  s${i}: {<<: *defaults}`);
    const p = loadCompose([path.join(tmp({ 'c.yml': `${lines.join('\n')}\n` }), 'c.yml')], { env: {} });
    expect(Object.keys(p.services)).toHaveLength(3000);
    expect(p.services.s2999.restart).toBe('always');
  });
});

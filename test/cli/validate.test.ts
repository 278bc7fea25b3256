import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';

const BIN = path.resolve(__dirname, '../../bin/dockyard.js');

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => stdin, env: {} });
  return { code, out, err };
}

describe('dockyard validate', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-val-'));
  const good = path.join(dir, 'good.yaml');
  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(good, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n');
  fs.writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    ports:\n    - containerPort: "80"\n  volumes:\n  - name: v\n    condigMap:\n      name: x\n');

  test('GIVEN valid manifests THEN exit 0', async () => {
    const r = await run(['validate', good]);
    expect(r).toMatchObject({ code: 0, out: '1 object(s) valid\n' });
  });

  test('GIVEN invalid manifests THEN exit 1 naming file:line, object and field', async () => {
    const r = await run(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:15: Pod/web: spec.containers[0].ports[0].containerPort: must be a number`);
    expect(r.err).toContain(`${bad}:18: Pod/web: spec.volumes[0].condigMap: unknown field "condigMap" (did you mean "configMap"?)`);
  });

  test('GIVEN stdin and --json THEN machine-readable issues', async () => {
    const r = await run(['validate', '--json', '-'], fs.readFileSync(bad, 'utf8'));
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.objects).toBe(2);
    expect(j.issues.map((i: any) => i.field)).toEqual(['spec.containers[0].ports[0].containerPort', 'spec.volumes[0].condigMap']);
  });

  test('GIVEN a missing file or a bad flag THEN one clear error, no stack trace', async () => {
    const r = await run(['validate', path.join(dir, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nope\.yaml\] no such file or folder\. Fix:/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const f = await run(['validate', '--bogus', good]);
    expect(f.code).toBe(1);
    expect(f.err).toContain('usage: dockyard validate');
  });

  test('the installed bin runs and exits 1 on invalid input', () => {
    const r = spawnSync(process.execPath, [BIN, 'validate', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('condigMap');
    const u = spawnSync(process.execPath, [BIN, 'nosuchcommand'], { encoding: 'utf8' });
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('unknown command "nosuchcommand"');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';
import { CliIo } from '../../lib/cli/command';
import { App } from 'cdk8s';
import { buildExamples } from '../../apps/index';
import { synthApp } from '../../lib/core/synth';

const FIXTURES = path.join(__dirname, 'fixtures');

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = ''; let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => stdin, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

describe('dockyard lint', () => {
  test('GIVEN the deliberately bad manifest THEN exit 1 and each finding shows file:line, object, severity, rule and fix', async () => {
    const file = path.join(FIXTURES, 'every-rule.yaml');
    const r = await run(['lint', file]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${file}:36: Deployment/dev/web: error secret-in-env: container "web": env var DATABASE_URL holds a URL with a password (postgres://app:***@db:5432/app)\n    fix: put the value in a Secret`);
    expect(r.out).toContain(`${file}:46: Deployment/dev/web: error docker-socket:`);
    expect(r.out).toContain(`${file}:50: Deployment/dev/web: error host-path-write: volume "usr" mounts /usr/local from the host read-write, which is inside the host folder /usr: the container can rewrite the host (not resolved: a node path cannot be resolved at lint time, so a symlink there is not followed)`);
    expect(r.out).toContain(`${file}:58: Service/dev/web: warning service-selector-no-match:`);
    expect(r.out).toMatch(/3 object\(s\): 9 error\(s\), 10 warning\(s\), 0 suppressed\n$/);
    expect(r.out).not.toContain('s3cret');
  });

  test('GIVEN a clean folder THEN exit 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-'));
    fs.copyFileSync(path.join(FIXTURES, 'clean.yaml'), path.join(dir, 'app.yaml'));
    const r = await run(['lint', dir]);
    expect(r).toEqual({ code: 0, out: '3 object(s): 0 error(s), 0 warning(s), 0 suppressed\n', err: '' });
  });

  test('GIVEN the synthesized example apps THEN exit 0: no finding, the documented suppressions carried into the YAML', async () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lint-examples-')), 'dist');
    const app = new App();
    buildExamples(app);
    synthApp(app, { outdir, log: () => undefined });
    const r = await run(['lint', outdir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/object\(s\): 0 error\(s\), 0 warning\(s\), 3 suppressed\n$/);
  });

  test('GIVEN warnings only on stdin THEN exit 0 with the warnings', async () => {
    const r = await run(['lint', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: p, image: busybox}\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('-:6: Pod/p: warning image-latest-tag: container "p" uses image "busybox" with no tag');
  });

  test('--json gives findings with file, line, rule, severity, message and fix', async () => {
    const file = path.join(FIXTURES, 'every-rule.yaml');
    const r = await run(['lint', '--json', file]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ objects: 3, errors: 9, warnings: 10, suppressed: [] });
    expect(j.findings[0]).toEqual({
      file, line: 8, rule: 'secret-in-configmap', severity: 'error', object: 'ConfigMap/prod/app-config',
      message: 'key "DB_PASSWORD" is named like a secret and has a literal value', field: 'data.DB_PASSWORD',
      fix: expect.stringContaining('move the value to a Secret'),
    });
  });

  test('annotation suppressions show with their reason', async () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    suppress.dockyard.dev/privileged: "kernel module loader"\nspec:\n  restartPolicy: Never\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: p\n    image: busybox:1.36\n    resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {cpu: 1m, memory: 1Mi}}\n    securityContext: {privileged: true, allowPrivilegeEscalation: false}\n';
    const r = await run(['lint', '-'], yaml);
    expect(r.code).toBe(0);
    expect(r.out).toBe('-:14: Pod/p: suppressed privileged: kernel module loader\n1 object(s): 0 error(s), 0 warning(s), 1 suppressed\n');
  });

  test('bad input is a user error: exit 1, location and fix, no stack trace', async () => {
    const r = await run(['lint', '-'], 'kind: Pod\nmetadata: {name: p\n');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^dockyard lint: \[-:\d+:\d+\] invalid YAML: .* Fix: fix the YAML syntax/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const none = await run(['lint']);
    expect(none.err).toMatch(/no manifests given\.? Fix: pass files, folders, or - for stdin/);
    const flag = await run(['lint', '--yaml', 'x']);
    expect(flag.err).toContain('Fix: usage: dockyard lint [--json]');
  });
});

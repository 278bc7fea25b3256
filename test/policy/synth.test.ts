import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { buildExamples } from '../../apps/index';
import { DockyardError } from '../../lib/core/errors';
import { synthApp } from '../../lib/pipeline/synth';
import { WebApp } from '../../lib/constructs';
import { checkApp, policySynthCheck, Policy } from '../../lib/policy/policy';
import { checkObjects } from '../../lib/policy/check';
import { loadManifests } from '../../lib/core/manifests';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'policy-synth-'));
const quiet = { log: () => undefined };

describe('policy wired into synthApp', () => {
  test('GIVEN a WebApp with a password in a literal env var THEN synth fails with the construct path and dist/ is unchanged', () => {
    const outdir = path.join(tmp(), 'dist');
    const good = new App();
    new WebApp(new Chart(good, 'shop'), 'web', { image: 'nginx:1.27', port: 80 });
    synthApp(good, { outdir, policy: false, checks: [policySynthCheck(quiet)] });
    const before = fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8');

    const bad = new App();
    new WebApp(new Chart(bad, 'shop'), 'web', { image: 'nginx:1.27', port: 80, env: { DATABASE_URL: 'postgres://app:hunter2@db/app' } });
    let err: unknown;
    try { synthApp(bad, { outdir, policy: false, checks: [policySynthCheck(quiet)] }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DockyardError);
    expect((err as Error).message).toMatch(/\[shop\/web\/[A-Za-z]+\] secret-in-env: ReplicationController\/web: container "web": env var DATABASE_URL holds a URL with a password \(postgres:\/\/app:\*\*\*@db\/app\)\.? Fix: put the value in a Secret/);
    expect((err as Error).message).not.toContain('hunter2');
    expect(fs.readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8')).toBe(before);
  });

  test('GIVEN a suppression THEN synth passes and the written YAML carries it, so dockyard lint agrees', () => {
    const outdir = path.join(tmp(), 'dist');
    const app = new App();
    const chart = new Chart(app, 'ci');
    const agent = new WebApp(chart, 'agent', { image: 'docker:27.3-cli', port: 8080, volumes: [{ name: 'sock', mountPath: '/var/run/docker.sock', hostPath: { path: '/var/run/docker.sock' } }] });
    Policy.suppress(agent, 'docker-socket', 'the CI agent starts build containers');
    const lines: string[] = [];
    synthApp(app, { outdir, policy: false, checks: [policySynthCheck({ log: (l) => lines.push(l) })] });
    expect(lines.some((l) => l.includes('suppressed docker-socket: ReplicationController/agent: the CI agent starts build containers'))).toBe(true);
    const written = loadManifests([outdir]).map((l) => l.object);
    const workload = written.find((o) => o.kind === 'ReplicationController')!;
    expect(workload.metadata?.annotations?.['suppress.dockyard.dev/docker-socket']).toBe('the CI agent starts build containers');
    const report = checkObjects(written);
    expect(report.errors).toBe(0);
    expect(report.suppressed.map((s) => s.rule)).toEqual(['docker-socket']);
  });

  test('the example apps have no finding; the only suppressions are documented run-as-non-root for images that start as root', () => {
    const app = new App();
    buildExamples(app);
    const report = checkApp(app);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((s) => [s.rule, s.constructPath])).toEqual([
      ['run-as-non-root', 'nginx-webapp/web/Resource'],
      ['run-as-non-root', 'rabbitmq/rabbitmq/Resource'],
      ['run-as-non-root', 'podservice/hello/Pod'],
    ]);
    for (const s of report.suppressed) expect(s.reason).toMatch(/starts .*as root/);
  });
});

import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DockyardError } from '../../lib/core/errors';
import { checkApp, checkChart, enforcePolicy, Policy } from '../../lib/policy/policy';

/** A construct holding one Deployment (as a WebApp would), so suppressions on it reach the ApiObject. */
class Web extends Construct {
  public readonly deployment: ApiObject;
  constructor(scope: Construct, id: string, image: string, extra: Record<string, unknown> = {}, pod: Record<string, unknown> = {}) {
    super(scope, id);
    this.deployment = new ApiObject(this, 'Resource', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: id },
      spec: {
        selector: { matchLabels: { app: id } },
        template: {
          metadata: { labels: { app: id } },
          spec: {
            securityContext: { runAsNonRoot: true },
            ...pod,
            containers: [{
              name: id, image, securityContext: { allowPrivilegeEscalation: false },
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
              readinessProbe: { tcpSocket: { port: 80 } }, ...extra,
            }],
          },
        },
      },
    });
  }
}

describe('Policy at synth time', () => {
  test('GIVEN warnings only WHEN enforced THEN they print with the construct path and nothing throws', () => {
    const app = new App();
    new Web(new Chart(app, 'shop'), 'web', 'nginx');
    const lines: string[] = [];
    const report = enforcePolicy(app, { log: (l) => lines.push(l) });
    expect(report).toMatchObject({ objects: 1, errors: 0, warnings: 1 });
    expect(report.findings[0].constructPath).toBe('shop/web/Resource');
    expect(lines).toEqual(['policy [shop/web/Resource] warning image-latest-tag: Deployment/web: container "web" uses image "nginx" with no tag, which means :latest Fix: pin a version tag (nginx:1.27) or a digest (nginx@sha256:...)']);
  });

  test('GIVEN an error finding WHEN enforced THEN a DockyardError names the construct path, rule and fix', () => {
    const app = new App();
    new Web(new Chart(app, 'shop'), 'api', 'app:1.0', { env: [{ name: 'DATABASE_URL', value: 'postgres://u:p@db/app' }] });
    let err: unknown;
    try { enforcePolicy(app, { log: () => undefined }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DockyardError);
    const e = err as DockyardError;
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].where).toBe('shop/api/Resource');
    expect(e.problems[0].message).toBe('secret-in-env: Deployment/api: container "api": env var DATABASE_URL holds a URL with a password (postgres://u:***@db/app)');
    expect(e.problems[0].fix).toContain("Policy.suppress(construct, 'secret-in-env', 'why')");
    expect(e.message).toMatch(/^policy: 1 error finding\(s\):\n {2}\[shop\/api\/Resource\]/);
  });

  test('GIVEN a suppression on a parent construct THEN it covers the ApiObject, shows the reason, and annotates the output', () => {
    const app = new App();
    const chart = new Chart(app, 'ops');
    new Web(chart, 'agent', 'docker:27.3', {}, { volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] });
    Policy.suppress(chart, 'docker-socket', 'the CI agent starts build containers');
    const lines: string[] = [];
    const report = enforcePolicy(app, { log: (l) => lines.push(l) });
    expect(report.errors).toBe(0);
    expect(report.suppressed).toMatchObject([{ rule: 'docker-socket', reason: 'the CI agent starts build containers', constructPath: 'ops/agent/Resource' }]);
    expect(lines).toContain('policy [ops/agent/Resource] suppressed docker-socket: Deployment/agent: the CI agent starts build containers');
    expect(chart.toJson()[0].metadata.annotations).toEqual({ 'suppress.dockyard.dev/docker-socket': 'the CI agent starts build containers' });
  });

  test('suppressions are scoped: a sibling is still checked', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const a = new Web(chart, 'a', 'nginx');
    new Web(chart, 'b', 'nginx');
    Policy.suppress(a, 'image-latest-tag', 'dev chart');
    const report = checkChart(chart);
    expect(report.findings.map((f) => f.constructPath)).toEqual(['c/b/Resource']);
    expect(report.suppressed.map((f) => f.constructPath)).toEqual(['c/a/Resource']);
    expect(Policy.suppressionsOf(a.deployment)).toEqual([{ rule: 'image-latest-tag', reason: 'dev chart', from: 'c/a' }]);
  });

  test('checkApp sees every chart, so cross-namespace references across charts are found', () => {
    const app = new App();
    const config = new Chart(app, 'config', { namespace: 'prod' });
    new ApiObject(config, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } });
    new Web(new Chart(app, 'web', { namespace: 'dev' }), 'web', 'nginx:1.27', { envFrom: [{ configMapRef: { name: 'cfg' } }] });
    const report = checkApp(app);
    expect(report.findings.map((f) => [f.rule, f.constructPath])).toEqual([['config-cross-namespace', 'web/web/Resource']]);
  });

  test('an unknown rule id or an empty reason is a user error naming the construct', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    expect(() => Policy.suppress(chart, 'latest-tag', 'x')).toThrow('[c] unknown policy rule "latest-tag" (did you mean "image-latest-tag"?)');
    expect(() => Policy.suppress(chart, 'privileged', '  ')).toThrow(/\[c\] suppression of "privileged" has no reason\.? Fix: say why/);
  });
});

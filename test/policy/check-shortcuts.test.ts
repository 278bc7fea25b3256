import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject, parseManifests } from '../../lib/core/manifests';
import { renderCharts } from '../../lib/core/synth';
import { checkObjects, RULES } from '../../lib/policy/check';
import { podSpecOf } from '../../lib/policy/run-cache';
import { Policy, policySynthCheck } from '../../lib/policy/policy';
import { isSecretName } from '../../lib/ir/secrets';

// The check skips work it can prove useless (rules that cannot apply, construct lookups for objects
// without a hit, results shared between rules of one run). These tests pin that nothing is lost.

const fixture = (name: string) => parseManifests(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).map((l) => l.object);

/** Objects of every shape the rules look at, malformed ones included. */
const corpus: KubeObject[] = [
  ...fixture('every-rule.yaml'),
  ...fixture('clean.yaml'),
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x', env: [{ name: 'TOKEN', value: 't' }] }], volumes: [{ name: 'v', hostPath: { path: '/etc' } }] } },
  { apiVersion: 'example.com/v1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: { spec: { hostPID: true, containers: [{ name: 'a', image: 'x', env: [{ name: 'TOKEN', value: 't' }] }], volumes: [{ name: 's', hostPath: { path: '/run/docker.sock' } }] } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'none' }, template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { PASSWORD: 'x' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { PASSWORD: 'eA==' } },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: 'nope' },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: 'web', volumes: 3 } } } },
];

describe('policy check shortcuts', () => {
  test('a rule that declares appliesTo finds nothing on the objects it does not apply to', () => {
    for (const rule of RULES) {
      const scope = rule.appliesTo;
      if (!scope) continue;
      const others = corpus.filter((o) => (scope === 'pod-spec' ? podSpecOf(o) === undefined : o.kind !== scope.kind));
      expect(others.length).toBeGreaterThan(0);
      for (const o of others) {
        expect({ rule: rule.id, object: o.metadata?.name, hits: rule.check(o, { objects: corpus }) })
          .toEqual({ rule: rule.id, object: o.metadata?.name, hits: [] });
      }
    }
  });

  test('checkObjects gives the hits of calling every rule on every object, in table order', () => {
    const set = { objects: corpus };
    const direct = corpus.flatMap((o) => RULES.flatMap((r) => r.check(o, set).map((h) => `${r.id} ${h.message}`)));
    const report = checkObjects(corpus);
    const found = [...report.findings, ...report.suppressed].sort((a, b) => a.index - b.index || RULES.findIndex((r) => r.id === a.rule) - RULES.findIndex((r) => r.id === b.rule));
    expect(found.map((f) => `${f.rule} ${f.message}`)).toEqual(direct);
  });

  test('an object changed between two checks is read again (nothing cached across runs)', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } };
    expect(checkObjects([pod]).findings.filter((f) => f.rule === 'image-latest-tag')).toEqual([]);
    (pod.spec as any).containers[0].image = 'nginx';
    (pod.spec as any).volumes = [{ name: 's', hostPath: { path: '/var/run/docker.sock' } }];
    const rules = checkObjects([pod]).findings.map((f) => f.rule);
    expect(rules).toContain('image-latest-tag');
    expect(rules).toContain('docker-socket');
    (pod.spec as any).containers = [];
    (pod.spec as any).volumes = [];
    expect(checkObjects([pod]).findings.map((f) => f.rule)).toEqual([]);
  });

  test('a malformed list beside the pod spec does not hide a socket mount in it', () => {
    const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { containers: 'x', volumes: 5, template: { spec: {
      containers: [{ name: 'a', securityContext: { capabilities: { add: 'SYS_ADMIN' } } }], volumes: [{ name: 's', hostPath: { path: '/var/run/' } }],
    } } } };
    const found = checkObjects([d]).findings.filter((f) => f.severity === 'error');
    expect(found.map((f) => [f.rule, f.field])).toEqual([
      ['docker-socket', 'spec.template.spec.volumes[0].hostPath.path'],
      ['privileged', 'spec.template.spec.containers[0].securityContext.capabilities.add'],
    ]);
    expect(found[0].message).toContain('mounts /var/run/ from the host');
  });

  test('secret names are found whatever their case or separators', () => {
    for (const n of ['dbPassWord', 'GhToken', 'x-Api-Key', 'PGPASSWORD', 'my.dsn', 'Creds', 'PWD']) expect([n, isSecretName(n)]).toEqual([n, true]);
    for (const n of ['GREETING', 'MONKEY', 'BYPASS', 'TOKEN_URL', 'passwordMinLength', '']) expect([n, isSecretName(n)]).toEqual([n, false]);
  });

  test('a finding on an object rendered with its chart path still gets its construct path and suppressions', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const holder = new Construct(chart, 'holder');
    new ApiObject(holder, 'Resource', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx', env: [{ name: 'DB_PASSWORD', value: 'x' }] }] } });
    Policy.suppress(holder, 'image-latest-tag', 'pinned elsewhere');
    Policy.suppress(holder, 'secret-in-env', 'test fixture');
    const outputs = renderCharts(app);
    // As synthApp tags an object whose name is lazy: with its chart's path.
    const tagged = outputs.map((o) => ({ ...o, objects: o.objects.map((x) => ({ ...x, path: 'c' })) }));
    const lines: string[] = [];
    policySynthCheck({ log: (l) => lines.push(l) })(app, tagged);
    expect(lines).toContain('policy [c/holder/Resource] suppressed image-latest-tag: Pod/p: pinned elsewhere');
    expect(lines).toContain('policy [c/holder/Resource] suppressed secret-in-env: Pod/p: test fixture');
    expect(tagged[0].objects[0].object.metadata?.annotations).toEqual({
      'suppress.dockyard.dev/image-latest-tag': 'pinned elsewhere',
      'suppress.dockyard.dev/secret-in-env': 'test fixture',
    });
  });

  test('an output path that is no construct\'s (though its ids sanitize to one) is matched by its object', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'p--od', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27', securityContext: { allowPrivilegeEscalation: true } }] } });
    const outputs = renderCharts(app).map((o) => ({ ...o, objects: o.objects.map((x) => ({ ...x, path: 'c/p\nod' })) }));
    const lines: string[] = [];
    policySynthCheck({ log: (l) => lines.push(l) })(app, outputs);
    expect(lines.find((l) => l.includes('privilege-escalation'))).toMatch(/^policy \[c\/p--od\] warning privilege-escalation: Pod\/p:/);
    // Names an object property rather than a child: still matched by the object, nothing throws.
    for (const p of ['c/constructor', 'c/__proto__/x', 'constructor', '', 'c//pod']) {
      const again = renderCharts(app).map((o) => ({ ...o, objects: o.objects.map((x) => ({ ...x, path: p })) }));
      const out: string[] = [];
      policySynthCheck({ log: (l) => out.push(l) })(app, again);
      expect(out.find((l) => l.includes('privilege-escalation'))).toMatch(/^policy \[c\/p--od\] warning privilege-escalation: Pod\/p:/);
    }
  });
});

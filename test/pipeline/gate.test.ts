import { App, Chart } from 'cdk8s';
import { DockyardError } from '../../lib/core/errors';
import { formatFieldPath } from '../../lib/core/field-path';
import { WebApp } from '../../lib/constructs/web-app';
import { gateApp, gateAppReport, gateObjects } from '../../lib/pipeline/gate';
import { Testing } from '../../lib/pipeline/testing';

// The one gate: an app (or objects) through render -> schema -> policy, the same for every caller.

/** A chart whose one WebApp holds a literal password: valid Kubernetes, a policy error. */
function leakyChart(): Chart {
  const chart = new Chart(new App(), 'leaky');
  new WebApp(chart, 'web', { image: 'nginx:1.27', port: 8080, env: { DB_PASSWORD: 'hunter2hunter2' } });
  return chart;
}

const deployment = (replicas: unknown) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'API_TOKEN', value: 'abcdefabcdef123456' }] }] } } },
});

describe('gateApp', () => {
  test('a policy error fails the gate with the construct path, as synth does', () => {
    const chart = leakyChart();
    let error: unknown;
    try { gateApp(chart.node.root, { warn: () => undefined }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(DockyardError);
    expect((error as DockyardError).problems).toEqual([expect.objectContaining({ where: 'leaky/web/Resource', message: expect.stringContaining('secret-in-env') })]);
  });

  test('policy: false renders and checks the schema only', () => {
    const outputs = gateApp(leakyChart().node.root, { policy: false });
    expect(outputs[0].objects.map((o) => o.object.kind)).toEqual(['ReplicationController', 'Service']);
  });
});

describe('Testing goes through the gate', () => {
  test('Testing.synth enforces the policy by default and names the problem in Testing.problems', () => {
    expect(() => Testing.synth(leakyChart())).toThrow(/secret-in-env/);
    expect(Testing.problems(leakyChart()).map((p) => p.where)).toEqual(['leaky/web/Resource']);
  });

  test('Testing.synth({ policy: false }) gives the objects of a chart the policy refuses', () => {
    expect(Testing.synth(leakyChart(), { policy: false }).map((o) => o.kind)).toEqual(['ReplicationController', 'Service']);
  });
});

describe('gateAppReport', () => {
  test('returns the policy report instead of throwing on it', () => {
    const { outputs, policy } = gateAppReport(leakyChart().node.root, { warn: () => undefined });
    expect(outputs).toHaveLength(1);
    expect(policy.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.constructPath])).toEqual([['secret-in-env', 'leaky/web/Resource']]);
  });

  test('still throws on a construct problem (nothing to report a policy on)', () => {
    const chart = new Chart(new App(), 'bad');
    new WebApp(chart, 'web', { image: '', port: 8080 });
    expect(() => gateAppReport(chart.node.root)).toThrow(DockyardError);
  });
});

describe('gateObjects', () => {
  test('reports schema problems by object and the policy report, never throwing', () => {
    const gate = gateObjects([deployment('two') as any]);
    expect(gate.schema.map((i) => [i.index, formatFieldPath(i.fieldPath)])).toEqual([[0, 'spec.replicas']]);
    expect(gate.policy!.findings.map((f) => f.rule)).toContain('secret-in-env');
  });

  test('each step can be left out', () => {
    expect(gateObjects([deployment(2) as any], { policy: false }).policy).toBeUndefined();
    expect(gateObjects([deployment('two') as any], { schema: false }).schema).toEqual([]);
  });
});

import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { buildExamples } from '../../apps/index';
import { chartsToJson, leanPathApplies, portMatchesCdk8s } from '../../lib/core/render';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const benchApps = require('../../bench/synth/apps.js');

/** GIVEN two identical apps, THEN the lean path on one equals chart.toJson() on the other. */
function expectSameAsCdk8s(build: (app: App) => void, lean = true): void {
  const a = new App();
  build(a);
  const b = new App();
  build(b);
  const chartsOf = (app: App) => app.node.findAll().filter((c): c is Chart => Chart.isChart(c));
  expect(leanPathApplies(a)).toBe(lean);
  const ours = chartsToJson(a, chartsOf(a)).map((objects) => objects.map((o) => o.object));
  const theirs = chartsOf(b).map((c) => c.toJson());
  expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
}

describe('chartsToJson equals chart.toJson()', () => {
  test('the port still matches the installed cdk8s', () => {
    expect(portMatchesCdk8s()).toBe(true);
  });

  test('on every example app', () => expectSameAsCdk8s((app) => buildExamples(app)));

  test('on the benchmark apps (Dockyard and cdk8s-plus-33, whose L2s use Lazy values and IntOrString)', () => {
    expectSameAsCdk8s((app) => benchApps.buildDockyard(app, 10, require('../../lib')));
    expectSameAsCdk8s((app) => benchApps.buildPlus(app, 10));
  });

  test('with dependencies, nested charts, JSON patches, plain ApiObjects and a namespace', () => {
    expectSameAsCdk8s((app) => {
      const chart = new Chart(app, 'main', { namespace: 'shop', labels: { team: 'a' } });
      const cm = new k8s.KubeConfigMap(chart, 'cm', { data: { b: '2', a: '1' } });
      const svc = new k8s.KubeService(chart, 'svc', { spec: { ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
      svc.addDependency(cm);
      svc.addJsonPatch(JsonPatch.add('/spec/type', 'NodePort'));
      const raw = new ApiObject(chart, 'raw', { apiVersion: 'example.org/v1', kind: 'Thing', spec: { z: Lazy.any({ produce: () => ({ y: 1, x: [null, 'a'] }) }), empty: {} } });
      raw.metadata.addAnnotation('note', 'x');
      const sub = new Chart(chart, 'sub');
      new k8s.KubeSecret(sub, 'secret', { stringData: { k: 'v' } });
      new Chart(app, 'other');
    });
  });

  test('falls back to cdk8s for an app with custom resolvers', () => {
    expectSameAsCdk8s((app) => {
      (app as any).resolvers.push({ resolve: () => undefined });
      new k8s.KubeConfigMap(new Chart(app, 'c'), 'cm', { data: { a: '1' } });
    }, false);
  });

  test('keeps cdk8s error messages (they come from cdk8s itself)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', data: new Map([['a', 'b']]) as any });
    expect(() => chartsToJson(app, [chart])).toThrow(/Failed serializing construct at path 'c\/bad'/);
  });
});

import { DockyardError, Testing, WebApp } from '../../../lib';
import { chartObjects } from '../../../lib/targets/pulumi/chart-objects';

describe('chartObjects (what the Pulumi targets deploy)', () => {
  test('GIVEN a literal password in env THEN the policy error stops it, naming the construct', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'db-client', { image: 'app:1.0', port: 80, env: { DB_PASSWORD: 'hunter2' } });
    expect(() => chartObjects(chart)).toThrow(DockyardError);
    expect(() => chartObjects(chart)).toThrow(/secret-in-env/);
  });

  test('GIVEN a clean chart THEN its objects, schema-valid', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80 });
    expect(chartObjects(chart).map((o) => o.kind)).toEqual(['ReplicationController', 'Service']);
  });
});

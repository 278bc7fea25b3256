import { Testing } from '../../../lib/pipeline/testing';
import { WebApp } from '../../../lib/constructs/web-app';
import { FIELDS, score } from './score';

describe('the corpus scorer', () => {
  const chart = Testing.chart();
  new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80, workload: 'Deployment', replicas: 1, serviceType: 'ClusterIP', resources: false });
  const objects = Testing.synth(chart);

  test('every field of a matching service counts as a match', () => {
    const r = score({ web: { image: 'nginx:1.27', ports: [80] } }, objects);
    expect(r).toHaveLength(FIELDS.length);
    expect(r.filter((x) => !x.ok)).toEqual([]);
  });

  test('a wrong field is a miss, and a service missing from the output misses every field', () => {
    const wrong = score({ web: { image: 'nginx:1.26', ports: [80] } }, objects).filter((x) => !x.ok);
    expect(wrong.map((x) => x.field)).toEqual(['image']);
    // Omitted fields take the defaults: a Deployment of 1 with no probes; expecting a probe misses.
    expect(score({ web: { image: 'nginx:1.27', ports: [80], readiness: { command: ['true'], period: 30, timeout: 30, failures: 3 } } }, objects).filter((x) => !x.ok).map((x) => x.field)).toEqual(['readiness']);
    expect(score({ db: { image: 'postgres:16' } }, objects).every((x) => !x.ok)).toBe(true);
  });
});

import { App, Chart } from 'cdk8s';
import { WebApp } from '../../lib/constructs';
import { formatProblem, Problem } from '../../lib/core/errors';
import { checkObjects } from '../../lib/policy/check';
import { checkApp } from '../../lib/policy/policy';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

describe('a policy finding is a Problem', () => {
  test('GIVEN a manifest THEN where is the object, with the field path as parts and the one formatter naming it', () => {
    const f = checkObjects([pod]).findings.find((x) => x.rule === 'image-latest-tag')!;
    const p: Problem = f;
    expect(p).toMatchObject({ where: 'Pod/n/p', object: 'Pod/n/p', fieldPath: ['spec', 'containers', 0, 'image'], severity: f.severity });
    expect(formatProblem(p)).toBe(`[Pod/n/p] spec.containers[0].image: ${f.message}. Fix: ${f.fix}`);
  });

  test('GIVEN a construct tree THEN where is the construct path of the object', () => {
    const app = new App();
    new WebApp(new Chart(app, 'c'), 'web', { image: 'nginx', port: 80 });
    const f = checkApp(app).findings.find((x) => x.rule === 'image-latest-tag')!;
    expect(f).toMatchObject({ where: 'c/web/Resource', constructPath: 'c/web/Resource', object: 'ReplicationController/web' });
    expect(formatProblem(f)).toMatch(/^\[c\/web\/Resource\] ReplicationController\/web: spec\.template\.spec\.containers\[0\]\.image: /);
  });
});

import { checkPodService, DockyardError, Namespace, PodService, renderPodService, Testing, validateObjects } from '../../lib';

describe('PodService', () => {
  test('GIVEN image, port and host THEN a Pod, a Service selecting it and an Ingress for the host', () => {
    const objs = renderPodService({ metadata: { name: 'hello', namespace: 'demo' }, spec: { image: 'nginx:1.27', port: 80, host: 'podservice.local' } });
    expect(objs.map((o) => o.kind)).toEqual(['Pod', 'Service', 'Ingress']);
    const [pod, svc, ing] = objs as any[];
    expect(svc.spec.selector).toEqual(pod.metadata.labels);
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    expect(ing.spec.rules[0].host).toBe('podservice.local');
    expect(ing.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'hello', port: { number: 80 } });
    expect(objs.every((o) => o.metadata?.namespace === 'demo')).toBe(true);
    expect(validateObjects(objs)).toEqual([]);
  });

  test('GIVEN no host THEN no Ingress', () => {
    expect(renderPodService({ metadata: { name: 'a' }, spec: { image: 'x:1', port: 8080 } }).map((o) => o.kind)).toEqual(['Pod', 'Service']);
  });

  test('is deterministic', () => {
    const p = { metadata: { name: 'a' }, spec: { image: 'x:1', port: 8080, host: 'a.local' } };
    expect(JSON.stringify(renderPodService(p))).toBe(JSON.stringify(renderPodService(JSON.parse(JSON.stringify(p)))));
  });

  test('GIVEN a bad parent THEN every field is named', () => {
    const problems = checkPodService({ metadata: { name: 'Bad_Name' }, spec: { image: '', port: 0, host: 'no spaces allowed', extra: 1 } });
    expect(problems.map((p) => p.where)).toEqual(['PodService: metadata.name', 'PodService: spec.image', 'PodService: spec.port', 'PodService: spec.host', 'PodService: spec.extra']);
    expect(() => renderPodService({ metadata: { name: 'a' }, spec: { image: 'x:1', port: 99999 } })).toThrow(DockyardError);
  });

  test('GIVEN a name that starts with a digit THEN metadata.name is refused: a Service name must be a DNS-1035 label', () => {
    for (const name of ['1web', '9', '0-api']) {
      const problems = checkPodService({ metadata: { name }, spec: { image: 'nginx:1.27', port: 80 } });
      expect([name, problems.map((p) => `${p.where}: ${p.message}`)]).toEqual([name, [`PodService: metadata.name: "${name}" must start with a lowercase letter (a Service name is a DNS-1035 label)`]]);
      expect(problems[0].fix).toContain('web1');
    }
    expect(() => renderPodService({ metadata: { name: '1web' }, spec: { image: 'nginx:1.27', port: 80 } })).toThrow(DockyardError);
    for (const name of ['web', 'w', 'web-1', 'a1']) expect(checkPodService({ metadata: { name }, spec: { image: 'nginx:1.27', port: 80 } })).toEqual([]);
    const chart = Testing.chart();
    new PodService(chart, '1web', { image: 'nginx:1.27', port: 80 });
    expect(Testing.constructProblems(chart)).toEqual([expect.objectContaining({ where: 'test/1web', message: expect.stringContaining('"1web" must start with a lowercase letter') })]);
  });

  test('the construct renders the same objects as the function, in a namespace', () => {
    const chart = Testing.chart({ namespace: 'demo' });
    new Namespace(chart, 'demo');
    new PodService(chart, 'hello', { image: 'nginx:1.27', port: 80, host: 'podservice.local' });
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.kind)).toEqual(['Namespace', 'Pod', 'Service', 'Ingress']);
    expect(objs[0].metadata?.namespace).toBeUndefined();
    expect(objs.slice(1)).toEqual(renderPodService({ metadata: { name: 'hello', namespace: 'demo' }, spec: { image: 'nginx:1.27', port: 80, host: 'podservice.local' } }));
  });

  test('the construct reports bad props at synth with its path', () => {
    const chart = Testing.chart();
    new PodService(chart, 'hello', { image: 'nginx:1.27', port: 0 });
    expect(Testing.constructProblems(chart)).toEqual([expect.objectContaining({ where: 'test/hello', message: expect.stringContaining('port 0 is not a port') })]);
  });
});

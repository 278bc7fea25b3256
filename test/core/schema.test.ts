import { ApiObject, App, Chart } from 'cdk8s';
import { formatProblem } from '../../lib/core/errors';
import { formatFieldPath, parseFieldPath } from '../../lib/core/field-path';
import { validateObject, validateObjects, isBuiltinKind, compileOpenApi } from '../../lib/core/schema';
import { renderCharts, schemaProblems } from '../../lib/core/synth';

const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });

describe('strict schema validation', () => {
  test('GIVEN a valid Deployment THEN no issue', () => {
    expect(validateObject({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } },
    })).toEqual([]);
  });

  test('GIVEN a typo in a volume source THEN the unknown field is named with a suggestion', () => {
    const issues = validateObject(pod({ containers: [{ name: 'a', image: 'b:1' }], volumes: [{ name: 'v', condigMap: { name: 'c' } }] }));
    expect(issues).toHaveLength(1);
    expect(issues[0].fieldPath!).toEqual(parseFieldPath('spec.volumes[0].condigMap'));
    expect(issues[0].message).toContain('did you mean "configMap"');
  });

  test('GIVEN an unknown field deep in a container THEN it fails', () => {
    const issues = validateObject(pod({ containers: [{ name: 'a', image: 'b:1', resources: { limit: { cpu: '1' } } }] }));
    expect(issues.map((i) => formatFieldPath(i.fieldPath))).toEqual(['spec.containers[0].resources.limit']);
  });

  test('GIVEN wrong types THEN each is reported with its path', () => {
    const issues = validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: '80' }], type: 'Bogus' } });
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ fieldPath: parseFieldPath('spec.ports[0].port'), message: expect.stringContaining('must be a number') }),
      expect.objectContaining({ fieldPath: parseFieldPath('spec.type'), message: expect.stringContaining('"LoadBalancer"') }),
    ]));
  });

  test('GIVEN a missing required field THEN it is named', () => {
    const issues = validateObject(pod({ containers: [{ image: 'b:1' }] }));
    expect(issues).toEqual([expect.objectContaining({ fieldPath: parseFieldPath('spec.containers[0]'), message: 'missing required field "name"' })]);
  });

  test('GIVEN JSON names that differ from the TypeScript names (clusterIP, externalIPs) THEN they are accepted', () => {
    expect(validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: 'None', externalIPs: ['1.2.3.4'], ports: [{ port: 80, targetPort: 'http' }] } })).toEqual([]);
  });

  test('GIVEN int-or-string and quantity fields THEN both forms pass and other types fail', () => {
    expect(validateObject(pod({ containers: [{ name: 'a', image: 'b:1', resources: { limits: { cpu: 1, memory: '1Gi' } } }] }))).toEqual([]);
    expect(validateObject(pod({ containers: [{ name: 'a', image: 'b:1', resources: { limits: { cpu: [1] } } }] }))[0].fieldPath!).toEqual(parseFieldPath('spec.containers[0].resources.limits.cpu'));
  });

  test('GIVEN a kind under the wrong apiVersion THEN the right one is suggested', () => {
    const [issue] = validateObject({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' } });
    expect(issue.message).toContain('"apps/v1"');
  });

  test('GIVEN an object with no name THEN metadata.name is required', () => {
    expect(validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toEqual([expect.objectContaining({ fieldPath: parseFieldPath('metadata.name') })]);
  });

  test('GIVEN a custom resource and its CRD in the same set THEN it is checked against the CRD schema', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const good = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 2 } };
    const bad = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 'big', colour: 'red' } };
    const issues = validateObjects([crd, good, bad]);
    expect(issues.filter((i) => i.index !== 2)).toEqual([]);
    expect(issues.map((i) => formatFieldPath(i.fieldPath)).sort()).toEqual(['spec.colour', 'spec.size']);
  });

  test('GIVEN a custom resource without its CRD THEN it is a warning that says how to supply one', () => {
    const [issue] = validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(issue).toMatchObject({ severity: 'warning', fieldPath: parseFieldPath('kind') });
    expect(issue.message).toContain('no known CustomResourceDefinition');
    expect(issue.message).toContain('--crd FILE');
  });

  test('isBuiltinKind knows core kinds and ReplicationController', () => {
    expect(isBuiltinKind('v1', 'ReplicationController')).toBe(true);
    expect(isBuiltinKind('v1', 'Widget')).toBe(false);
  });

  test('compileOpenApi honours x-kubernetes-preserve-unknown-fields and int-or-string', () => {
    const check = compileOpenApi({ type: 'object', properties: { spec: { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } });
    expect(check({ spec: { port: 'http', extra: { anything: 1 } } })).toEqual([]);
    expect(check({ spec: { port: 80, nope: 1 } })).toEqual([expect.objectContaining({ fieldPath: parseFieldPath('spec.nope') })]);
  });
});

describe('schema: metadata syntax, CRD schemas, messages', () => {
  test('names, namespaces and labels follow the API server rules', () => {
    const issues = validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'Bad_NS', labels: { 'bad key!': 'v v', 'app.kubernetes.io/name': 'ok' } } });
    expect(issues.map((i) => formatFieldPath(i.fieldPath)).sort()).toEqual(['metadata.labels.bad key!', 'metadata.labels.bad key!', 'metadata.name', 'metadata.namespace']);
    expect(validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a.b' } })[0].message).toContain('not a valid Service name');
  });

  test('a CRD whose schema ajv cannot compile is an issue on the CRD, and its objects say why they cannot be checked', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'things.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Thing', plural: 'things' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { n: { type: 'integer', minimum: 'x' } } } } }] },
    };
    const issues = validateObjects([crd, { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' } }]);
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ index: 0, fieldPath: parseFieldPath('spec.versions[0].schema.openAPIV3Schema'), message: expect.stringContaining('is not a valid schema') }),
      expect.objectContaining({ index: 1, message: expect.stringContaining('schema is invalid') }),
    ]));
    const bad = { ...crd, spec: { ...crd.spec, versions: [{ ...crd.spec.versions[0], schema: { openAPIV3Schema: { type: 'object', properties: { s: { type: 'string', pattern: '(' } } } } }] } };
    expect(validateObjects([bad]).map((i) => formatFieldPath(i.fieldPath))).toEqual(['spec.versions[0].schema.openAPIV3Schema']);
  });

  test('a bad quantity says what a quantity is; a wrong type does not echo the value', () => {
    const [q] = validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'b:1', resources: { limits: { cpu: 'lots' } } }] } });
    expect(q).toEqual({ where: 'Pod/p', fieldPath: ['spec', 'containers', 0, 'resources', 'limits', 'cpu'], message: 'must be a quantity like "500m", "2" or "128Mi"' });
    const [t] = validateObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 918273645 } });
    expect(t.message).not.toContain('918273645');
  });

  test('undefined values are ignored as kubernetes-models ignores them (also as map entries); defined ones are still checked', () => {
    // The validator runs on the object itself; a map entry left undefined would fail there, but the
    // model drops it, so it must not be reported.
    expect(validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: undefined } } as any, data: { k: undefined, j: 'v' } as any, immutable: undefined })).toEqual([]);
    expect(validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: undefined, j: 1 } as any })).toEqual([
      { where: 'ConfigMap/c', fieldPath: ['data', 'j'], message: 'must be a string, got a number' },
    ]);
    expect(validateObject(pod({ containers: [{ name: 'a', image: undefined, ports: [{ containerPort: 1.5 }] }] }))).toEqual([
      { where: 'Pod/p', fieldPath: ['spec', 'containers', 0, 'ports', 0, 'containerPort'], message: 'must be an integer' },
    ]);
  });
});

describe('schema issues are problems', () => {
  test('GIVEN a bad field THEN the issue names the object as where and carries the field path as parts', () => {
    const issues = validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels: { 'app.kubernetes.io/na me': 'x' } } });
    expect(issues).toEqual([expect.objectContaining({ where: 'ConfigMap/n/c', fieldPath: ['metadata', 'labels', 'app.kubernetes.io/na me'] })]);
    expect(formatProblem(issues[0])).toMatch(/^\[ConfigMap\/n\/c\] key "app\.kubernetes\.io\/na me" must be/);
  });

  test('GIVEN a schema problem in a synthesized chart THEN the synth problem keeps its text and carries the field path', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'p', pod({ containers: [{ name: 'a', image: 'b:1', ports: [{ containerPort: 'http' }] }] }));
    const [p] = schemaProblems(renderCharts(app));
    expect(p).toEqual({
      where: 'c/p', message: 'Pod/p: spec.containers[0].ports[0].containerPort: must be a number, got a string.',
      fix: 'set this field to what the Kubernetes API accepts (see the message)', fieldPath: ['spec', 'containers', 0, 'ports', 0, 'containerPort'],
    });
    expect(formatProblem(p)).toBe('[c/p] Pod/p: spec.containers[0].ports[0].containerPort: must be a number, got a string. Fix: set this field to what the Kubernetes API accepts (see the message)');
  });
});

import { formatFieldPath, parseFieldPath } from '../../lib/core/field-path';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileOpenApi, isBuiltinKind, validateObject } from '../../lib/core/schema';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { deriveSchema, gvkOf, OUT } = require('../../scripts/build-schema.js');

describe('the field table built ahead of time (scripts/build-schema.js)', () => {
  test('is in build/ and holds every struct and kind', () => {
    const built = JSON.parse(fs.readFileSync(OUT, 'utf8'));
    expect(built.structs.length).toBeGreaterThan(500);
    expect(built.roots).toContainEqual(['apps/v1/Deployment', 'k8s.KubeDeploymentProps']);
    expect(built.roots.length).toBe(deriveSchema(require.resolve('cdk8s-plus-33/.jsii')).roots.length);
    expect(JSON.stringify(built)).not.toContain('cdk8s-plus-33');
    expect(isBuiltinKind('v1', 'ReplicationController')).toBe(true);
  });

  test('each kind\'s apiVersion is the one kubernetes-models gives it', () => {
    const cases: Array<[string, string]> = [
      ['io.k8s.api.apps.v1.Deployment', 'apps/v1/Deployment'], ['io.k8s.api.core.v1.Service', 'v1/Service'],
      ['io.k8s.api.rbac.v1.ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRole'], ['io.k8s.api.networking.v1.Ingress', 'networking.k8s.io/v1/Ingress'],
      ['io.k8s.api.flowcontrol.v1.FlowSchema', 'flowcontrol.apiserver.k8s.io/v1/FlowSchema'], ['io.k8s.api.batch.v1.CronJob', 'batch/v1/CronJob'],
      ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition', 'apiextensions.k8s.io/v1/CustomResourceDefinition'],
      ['io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService', 'apiregistration.k8s.io/v1/APIService'],
      ['io.k8s.api.scheduling.v1.PriorityClass', 'scheduling.k8s.io/v1/PriorityClass'],
    ];
    for (const [schema, modelPath] of cases) {
      const kind = modelPath.split('/').pop()!;
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const model = require(`kubernetes-models/${modelPath}`)[kind];
      expect(gvkOf(schema)).toBe(`${model.apiVersion}/${model.kind}`);
    }
  });

  test('keeps the strict unknown-field check', () => {
    const issues = validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'v', condigMap: { name: 'x' } }] } });
    expect(issues.map((i) => formatFieldPath(i.fieldPath))).toContain('spec.volumes[0].condigMap');
    expect(issues.find((i) => formatFieldPath(i.fieldPath) === 'spec.volumes[0].condigMap')?.message).toMatch(/unknown field "condigMap" \(did you mean "configMap"\?\)/);
  });
});

describe('the compiled CRD schema cache', () => {
  test('a validator loaded from the cache reports exactly what a fresh compile reports', () => {
    // GIVEN a schema no earlier run has cached (a unique description changes its key)
    const schema = {
      type: 'object',
      description: `test ${process.pid} ${Date.now()}`,
      properties: {
        spec: { type: 'object', required: ['port'], properties: { port: { type: 'integer', minimum: 1 }, mode: { type: 'string', enum: ['a', 'b'] }, size: { 'x-kubernetes-int-or-string': true } } },
      },
    };
    const bad = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec: { port: 0, mode: 'c', size: [], typo: 1 } };
    // WHEN it is compiled fresh (and cached), then compiled again (from the cache if writable)
    const fresh = compileOpenApi(schema)(bad);
    const again = compileOpenApi(schema)(bad);
    // THEN both report the same issues
    expect([...new Set(fresh.map((i) => formatFieldPath(i.fieldPath)))].sort()).toEqual(['spec.mode', 'spec.port', 'spec.size', 'spec.typo']);
    expect(again).toEqual(fresh);
    expect(compileOpenApi(schema)({ ...bad, spec: { port: 8 } })).toEqual([]);
    // and the test leaves no cache entry of its one-off schema behind
    const dir = path.join(path.dirname(path.dirname(require.resolve('ajv/package.json'))), '.cache', 'dockyard');
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (f.startsWith('ajv-') && fs.readFileSync(path.join(dir, f), 'utf8').includes(schema.description)) fs.rmSync(path.join(dir, f), { force: true });
    }
  });

  test('an invalid schema is never cached and reports ajv\'s error as an issue (no crash)', () => {
    expect(compileOpenApi({ type: 'object', properties: { a: { type: 'no-such-type' } } })({ a: 1 })).toEqual([
      { fieldPath: parseFieldPath('(root)'), message: expect.stringMatching(/CustomResourceDefinition schema is invalid \(schema is invalid/) },
    ]);
  });
});

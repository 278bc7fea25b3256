import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileOpenApi, deriveCompactSchema, isBuiltinKind, validateObject } from '../../lib/core/schema';

describe('the compact schema cache', () => {
  test('is what the jsii assembly gives, keyed by the installed assembly', () => {
    // GIVEN a validation (which loads the schema, writing the cache when it can)
    expect(validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } })).toEqual([]);
    const file = path.join(path.dirname(path.dirname(require.resolve('cdk8s-plus-33/.jsii'))), '.cache', 'dockyard', 'k8s-schema.json');
    const derived = deriveCompactSchema();
    // THEN the cache on disk (if the install is writable) holds exactly the derived data
    if (fs.existsSync(file)) expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(derived)));
    expect(derived.key).toMatch(/^1:2\.5\.\d+:\d+:\d+$/);
    expect(derived.structs.length).toBeGreaterThan(500);
    expect(derived.roots).toContainEqual(['apps/v1/Deployment', 'cdk8s-plus-33.k8s.KubeDeploymentProps']);
    expect(isBuiltinKind('v1', 'ReplicationController')).toBe(true);
  });

  test('keeps the strict unknown-field check', () => {
    const issues = validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'v', condigMap: { name: 'x' } }] } });
    expect(issues.map((i) => i.path)).toContain('spec.volumes[0].condigMap');
    expect(issues.find((i) => i.path === 'spec.volumes[0].condigMap')?.message).toMatch(/unknown field "condigMap" \(did you mean "configMap"\?\)/);
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
    expect([...new Set(fresh.map((i) => i.path))].sort()).toEqual(['spec.mode', 'spec.port', 'spec.size', 'spec.typo']);
    expect(again).toEqual(fresh);
    expect(compileOpenApi(schema)({ ...bad, spec: { port: 8 } })).toEqual([]);
    // and the test leaves no cache entry of its one-off schema behind
    const dir = path.join(path.dirname(path.dirname(require.resolve('cdk8s-plus-33/.jsii'))), '.cache', 'dockyard');
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (f.startsWith('ajv-') && fs.readFileSync(path.join(dir, f), 'utf8').includes(schema.description)) fs.rmSync(path.join(dir, f), { force: true });
    }
  });

  test('an invalid schema is never cached and reports ajv\'s error as an issue (no crash)', () => {
    expect(compileOpenApi({ type: 'object', properties: { a: { type: 'no-such-type' } } })({ a: 1 })).toEqual([
      { path: '(root)', message: expect.stringMatching(/CustomResourceDefinition schema is invalid \(schema is invalid/) },
    ]);
  });
});

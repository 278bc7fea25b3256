import * as fs from 'node:fs';
import * as path from 'node:path';
import { deriveCompactSchema, isBuiltinKind, validateObject } from '../../lib/core/schema';

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

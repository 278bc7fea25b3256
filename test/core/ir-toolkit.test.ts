import { formatFieldPath, parseFieldPath } from '../../lib/core/field-path';
import { objectKey } from '../../lib/core/manifests';
import { namespaceOf, selectorMatches } from '../../lib/ir/objects';

describe('IR toolkit', () => {
  test('field paths: format and parse are inverses', () => {
    const parts = ['spec', 'template', 'spec', 'containers', 0, 'ports', 1, 'containerPort'];
    expect(formatFieldPath(parts)).toBe('spec.template.spec.containers[0].ports[1].containerPort');
    expect(parseFieldPath(formatFieldPath(parts))).toEqual(parts);
    expect(formatFieldPath([])).toBe('(root)');
    expect(parseFieldPath('(root)')).toEqual([]);
  });

  test('object key: group, kind, namespace, name (the version is not part of the identity)', () => {
    const a = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
    expect(objectKey(a)).toBe('apps|Deployment|shop|web');
    expect(objectKey({ ...a, apiVersion: 'apps/v1beta2' })).toBe(objectKey(a));
    expect(objectKey({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } })).toBe('|Service||web');
  });

  test('namespace: one rule (default when unset, none for cluster-scoped kinds)', () => {
    expect(namespaceOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBe('default');
    expect(namespaceOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' } })).toBe('x');
    expect(namespaceOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'y' } })).toBeUndefined();
  });

  test('selector: every key equal; an empty selector matches everything', () => {
    expect(selectorMatches({ app: 'web' }, { app: 'web', tier: 'front' })).toBe(true);
    expect(selectorMatches({ app: 'web', tier: 'back' }, { app: 'web', tier: 'front' })).toBe(false);
    expect(selectorMatches({}, {})).toBe(true);
  });
});

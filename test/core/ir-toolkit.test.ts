import { formatFieldPath, parseFieldPath, parseJsonPointer } from '../../lib/core/field-path';
import { asList, asMap, getIn, isRecord, stringMap } from '../../lib/core/json';
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

  test('field paths: a JSON Pointer (ajv\'s instancePath) parses to the same parts, escapes undone', () => {
    expect(parseJsonPointer('/spec/template/spec/containers/0/ports/1')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'ports', 1]);
    expect(formatFieldPath(parseJsonPointer('/metadata/annotations/example.com~1a~0b'))).toBe('metadata.annotations.example.com/a~b');
    expect(parseJsonPointer('')).toEqual([]);
  });

  test('untyped JSON: mappings, lists and paths read without throwing on wrong types', () => {
    const o = { spec: { ports: [{ port: 80 }], labels: { app: 'web', n: 1 } }, list: [1] };
    expect([isRecord(o), isRecord([]), isRecord(null), isRecord('x')]).toEqual([true, false, false, false]);
    expect(asMap(o.list)).toBeUndefined();
    expect(asMap(o.spec)).toBe(o.spec);
    expect(asList('x')).toEqual([]);
    expect(getIn(o, ['spec', 'ports', 0, 'port'])).toBe(80);
    expect(getIn(o, ['spec', 'ports', 0, 'port', 'deeper'])).toBeUndefined();
    expect(getIn(null, ['spec'])).toBeUndefined();
    expect(stringMap(o.spec.labels)).toEqual({ app: 'web' });
    expect(stringMap(['a'])).toEqual({});
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

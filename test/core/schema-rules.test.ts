import * as fs from 'node:fs';
import * as path from 'node:path';
import { formats, isDateTime } from '../../lib/core/k8s-formats';
import { formatFieldPath } from '../../lib/core/field-path';
import { validateObject as validateFull } from '../../lib/core/schema';

/** Each problem as its field path text and message. */
const validateObject = (obj: any) => validateFull(obj).map((i) => ({ path: formatFieldPath(i.fieldPath), message: i.message }));

// The schema rules the build reads from kubernetes-models' validators (scripts/schema-constraints.js)
// against kubernetes-models itself: the schema walk finds a problem at every path where the
// validator reports one, and none on valid objects; the formats agree with its runtime's.

/* eslint-disable @typescript-eslint/no-var-requires */
const modelRuntime = require('@kubernetes-models/validate').formats;

function modelErrors(gvk: string, obj: unknown): unknown[] | undefined {
  const kind = gvk.split('/').pop()!;
  const Model = require(`kubernetes-models/${gvk}`)[kind];
  try {
    new Model(obj).validate();
    return undefined;
  } catch (e: any) {
    // kubernetes-models adds an English `message` to each error (ajv-i18n); Dockyard words its own.
    return e.errors.map(({ message, ...rest }: any) => rest);
  }
}

/** The field paths (`spec.replicas`) kubernetes-models reports, in Dockyard's path format. */
function modelPaths(gvk: string, obj: unknown): string[] {
  const errors = modelErrors(gvk, obj) ?? [];
  const paths = errors.filter((e: any) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf')
    .map((e: any) => e.instancePath.split('/').slice(1).map((p: string) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(root)');
  return [...new Set(paths)].sort();
}

const walkPaths = (obj: unknown): string[] => [...new Set(validateObject(obj as any).map((i) => i.path))].sort();

const deployment = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }, ...spec },
});

const CASES: Array<[string, string, unknown]> = [
  ['valid Deployment', 'apps/v1/Deployment', deployment({ replicas: 2 })],
  ['replicas as a string', 'apps/v1/Deployment', deployment({ replicas: 'two' })],
  ['replicas beyond int32', 'apps/v1/Deployment', deployment({ replicas: 2 ** 31 })],
  ['fractional replicas', 'apps/v1/Deployment', deployment({ replicas: 1.5 })],
  ['strategy type not in the enum', 'apps/v1/Deployment', deployment({ strategy: { type: 'Sideways' } })],
  ['container without a name', 'apps/v1/Deployment', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx' }] } } })],
  ['bad quantity', 'v1/Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '12 GB' } } }] } }],
  ['good quantity', 'v1/Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '128Mi', cpu: '500m' } } }] } }],
  ['port as a string', 'v1/Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: '80' }] } }],
  ['ConfigMap binaryData not base64', 'v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { a: 'not base64!' } }],
  ['ConfigMap binaryData base64', 'v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { a: 'aGVsbG8=' } }],
  ['creationTimestamp not a date-time', 'v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: 'yesterday' } }],
  ['CronJob without schedule', 'batch/v1/CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j' }, spec: { jobTemplate: {} } }],
  ['Namespace', 'v1/Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }],
];

describe('schema rules read from kubernetes-models', () => {
  test.each(CASES)('%s: problems at the same fields as kubernetes-models', (_name, gvk, obj) => {
    expect(walkPaths(obj)).toEqual(modelPaths(gvk, obj));
  });

  test('the broken cases fail with their messages, the valid ones pass (the comparison is not vacuous)', () => {
    expect(validateObject(deployment({ replicas: 'two' }) as any)).toEqual([{ path: 'spec.replicas', message: 'must be a number, got a string' }]);
    expect(validateObject(deployment({ replicas: 1.5 }) as any)).toEqual([{ path: 'spec.replicas', message: 'must be an integer' }]);
    expect(validateObject(deployment({ replicas: 2 ** 31 }) as any)).toEqual([{ path: 'spec.replicas', message: 'must be a valid int32' }]);
    expect(validateObject(deployment({ strategy: { type: 'Sideways' } }) as any)).toEqual([{ path: 'spec.strategy.type', message: 'must be one of "Recreate", "RollingUpdate"' }]);
    expect(validateObject(CASES[6][2] as any)).toEqual([{ path: 'spec.containers[0].resources.limits.memory', message: 'must be a quantity like "500m", "2" or "128Mi"' }]);
    expect(validateObject(CASES[12][2] as any)).toEqual([{ path: 'spec', message: 'missing required field "schedule"' }]);
    expect(validateObject(CASES[9][2] as any)).toEqual([{ path: 'binaryData.a', message: 'must be a valid byte' }]);
    expect(validateObject(deployment({}) as any)).toEqual([]);
  });

  test('null where the schema refuses it (a list item, a required field) fails; an optional null passes, as in kubernetes-models', () => {
    const pod = (container: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ...container }] } });
    expect(walkPaths(pod({ args: ['a', null] }))).toEqual(modelPaths('v1/Pod', pod({ args: ['a', null] })));
    expect(walkPaths(pod({ args: ['a', null] }))).toEqual(['spec.containers[0].args[1]']);
    expect(walkPaths(pod({ image: null }))).toEqual(modelPaths('v1/Pod', pod({ image: null })));
  });

  test('checking a built-in kind loads neither kubernetes-models nor ajv', () => {
    const script = `require(${JSON.stringify(path.join(__dirname, '..', '..', 'build', 'lib', 'core', 'schema.js'))}).validateObject(${JSON.stringify(deployment({ replicas: 'x' }))});
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\/](kubernetes-models|@kubernetes-models|ajv)/.test(f));
      process.stdout.write(JSON.stringify(loaded));`;
    const out = require('node:child_process').execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });

  test('the build wrote rules for the fields that have them', () => {
    const table = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'build', 'lib', 'core', 'k8s-schema.json'), 'utf8'));
    const spec = table.structs.find((s: any) => s[1] === 'io.k8s.api.core.v1.ServiceSpec');
    const field = (name: string) => spec[2].find((f: any) => f[0] === name);
    expect(field('type')[3]).toEqual({ t: 'string', e: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] });
    expect(field('healthCheckNodePort')[3]).toEqual({ t: 'integer', f: 'int32' });
  });
});

describe('Kubernetes formats', () => {
  const samples: Record<string, unknown[]> = {
    'int32': [0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 1.5, Number.NaN],
    'int64': [0, 2 ** 40, 1.5, -7, Number.POSITIVE_INFINITY],
    'double': [0, 1.5, -2e10],
    'byte': ['', 'aGVsbG8=', 'aGVsbG8', 'a=b=', '!!!!', 'YWJj', 'YQ=='],
    'quantity': ['1', '500m', '128Mi', '1.5Gi', '1e3', '2E-2', '.5', '5.', '-1', '+3k', '12 GB', 'Mi', '1ki', '1.2.3', '', '1da'],
    'date-time': ['2024-02-29T10:00:00Z', '2023-02-29T10:00:00Z', '2024-01-01t10:00:00+02:00', '2024-01-01 10:00:00.123-0530',
      '2024-12-31T23:59:60Z', '2024-12-31T23:59:61Z', '2024-13-01T00:00:00Z', '2024-01-01', 'yesterday', '2024-01-01T24:00:00Z'],
  };
  for (const [name, values] of Object.entries(samples)) {
    test(`${name} agrees with kubernetes-models' runtime`, () => {
      const check = (f: any, v: unknown): boolean => (f.validate instanceof RegExp ? f.validate.test(v) : f.validate(v));
      for (const v of values) expect([v, check(formats[name], v)]).toEqual([v, check(modelRuntime[name], v)]);
    });
  }

  test('date-time needs a time zone (RFC 3339), which the old runtime did not require', () => {
    expect(isDateTime('2024-01-01T10:00:00Z')).toBe(true);
    expect(isDateTime('2024-01-01T10:00:00')).toBe(false);
    expect(modelRuntime['date-time'].validate('2024-01-01T10:00:00')).toBe(true);
  });
});

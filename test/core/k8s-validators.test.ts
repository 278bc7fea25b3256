import * as fs from 'node:fs';
import * as path from 'node:path';
import { formats, isDateTime } from '../../lib/core/k8s-formats';
import { kindValidator } from '../../lib/core/k8s-validators';
import { validateObject } from '../../lib/core/schema';

// The bundled validators (scripts/build-validators.js) against kubernetes-models itself: same
// verdict and same errors on valid and broken objects, and the formats against its runtime's.

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

function bundleErrors(gvk: string, obj: unknown): unknown[] | undefined {
  const validate = kindValidator(gvk)!;
  return validate(obj) ? undefined : validate.errors!;
}

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
  ['container without a name', 'apps/v1/Deployment', deployment({ template: { spec: { containers: [{ image: 'nginx' }] } } })],
  ['bad quantity', 'v1/Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '12 GB' } } }] } }],
  ['good quantity', 'v1/Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '128Mi', cpu: '500m' } } }] } }],
  ['port as a string', 'v1/Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: '80' }] } }],
  ['ConfigMap binaryData not base64', 'v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { a: 'not base64!' } }],
  ['ConfigMap binaryData base64', 'v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { a: 'aGVsbG8=' } }],
  ['creationTimestamp not a date-time', 'v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: 'yesterday' } }],
  ['CronJob without schedule', 'batch/v1/CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j' }, spec: { jobTemplate: {} } }],
  ['Namespace', 'v1/Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }],
];

describe('bundled Kubernetes validators', () => {
  test.each(CASES)('%s: same verdict and errors as kubernetes-models', (_name, gvk, obj) => {
    expect(bundleErrors(gvk, obj)).toEqual(modelErrors(gvk, obj));
  });

  test('the broken cases fail and the valid ones pass (the comparison above is not vacuous)', () => {
    expect(bundleErrors('apps/v1/Deployment', deployment({ replicas: 'two' }))).toEqual([expect.objectContaining({ instancePath: '/spec/replicas', keyword: 'type' })]);
    expect(bundleErrors('apps/v1/Deployment', deployment({ strategy: { type: 'Sideways' } }))).toEqual([expect.objectContaining({ instancePath: '/spec/strategy/type', keyword: 'enum' })]);
    expect(bundleErrors('v1/Pod', CASES[6][2])).toContainEqual(expect.objectContaining({ keyword: 'format', params: { format: 'quantity' } }));
    expect(bundleErrors('apps/v1/Deployment', deployment({}))).toBeUndefined();
  });

  test('every kind of the field table that kubernetes-models ships has a bundled validator', () => {
    const table = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'build', 'lib', 'core', 'k8s-schema.json'), 'utf8'));
    const missing: string[] = [];
    for (const [gvk] of table.roots as [string, string][]) {
      let shipped = true;
      try { require.resolve(`kubernetes-models/${gvk}`); } catch { shipped = false; }
      if (shipped && !kindValidator(gvk)) missing.push(gvk);
    }
    expect(missing).toEqual([]);
    expect(kindValidator('apps/v1/Deployment')).toBeInstanceOf(Function);
    expect(kindValidator('example.com/v1/Widget')).toBeUndefined();
  });

  test('validateObject reports the bundled validator errors as schema issues', () => {
    const issues = validateObject(deployment({ replicas: 'two', strategy: { type: 'Sideways' } }) as any);
    expect(issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'spec.replicas' }),
      expect.objectContaining({ path: 'spec.strategy.type', message: expect.stringContaining('"Recreate"') }),
    ]));
  });

  test('validating does not load kubernetes-models or its runtime', () => {
    const script = `require(${JSON.stringify(path.join(__dirname, '..', '..', 'build', 'lib', 'core', 'schema.js'))}).validateObject(${JSON.stringify(deployment({}))});
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](kubernetes-models|@kubernetes-models|ajv)/.test(f));
      process.stdout.write(JSON.stringify(loaded));`;
    const out = require('node:child_process').execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
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

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, Testing as Cdk8sTesting } from 'cdk8s';
import { declaredSchemas } from '../../lib/core/known-schemas';
import type { KubeObject } from '../../lib/core/manifests';
import { formatFieldPath } from '../../lib/core/field-path';
import { validateObjects } from '../../lib/core/schema';
import { Testing } from '../../lib/pipeline/testing';
import { METACONTROLLER_SCHEMAS, PodServiceController, PodServiceResource } from '../../lib/metacontroller';
import { gateApp } from '../../lib/pipeline/gate';
import { synthApp } from '../../lib/pipeline/synth';

// Schemas are values: importing lib/metacontroller registers nothing; whoever knows the kinds passes
// them (dockyard validate), or the constructs that make them declare them on their own app.

const badController = (): KubeObject => ({
  apiVersion: 'metacontroller.k8s.io/v1alpha1',
  kind: 'CompositeController',
  metadata: { name: 'c' },
  spec: { parentResource: { apiVersion: 'dockyard.io/v1alpha1', resource: 'podservices' }, generateSelector: 'yes' },
});

describe('known schemas are values, not import side effects', () => {
  test('GIVEN a fresh module registry WHEN lib/metacontroller and the package root are imported THEN another call validates as before', () => {
    jest.isolateModules(() => {
      const fresh = require('../../lib/core/schema') as typeof import('../../lib/core/schema');
      const before = fresh.validateObjects([badController()]);
      require('../../lib/metacontroller');
      require('../../lib');
      expect(fresh.validateObjects([badController()])).toEqual(before);
      // Unknown without its CRD or a schema passed in: a warning, not an error.
      expect(before.map((i) => [formatFieldPath(i.fieldPath), i.severity])).toEqual([['kind', 'warning']]);
    });
  });

  test('GIVEN METACONTROLLER_SCHEMAS passed to validateObjects THEN the CompositeController is checked', () => {
    expect(validateObjects([badController()], [], METACONTROLLER_SCHEMAS).map((i) => `${formatFieldPath(i.fieldPath)}: ${i.message}`)).toEqual(['spec.generateSelector: must be a boolean']);
  });

  test('GIVEN a PodServiceController in one app THEN that app checks a CompositeController; another app does not', () => {
    const withController = new Chart(Cdk8sTesting.app(), 'a');
    new PodServiceController(withController, 'ctl', { image: 'x:1' });
    new ApiObject(withController, 'extra', badController() as never);
    expect(Testing.problems(withController).map((p) => p.message)).toEqual(['CompositeController/c: spec.generateSelector: must be a boolean.']);

    const without = new Chart(new App(), 'b');
    new ApiObject(without, 'extra', badController() as never);
    expect(Testing.problems(without)).toEqual([]);
  });

  test('GIVEN schemas passed to the gate THEN an app without the controller checks the CompositeController too', () => {
    const app = Cdk8sTesting.app();
    new ApiObject(new Chart(app, 'c'), 'extra', badController() as never);
    const warnings: string[] = [];
    expect(() => gateApp(app, { policy: false, warn: (l) => warnings.push(l) })).not.toThrow();
    expect(warnings.join('\n')).toContain('no known CustomResourceDefinition');
    expect(() => gateApp(app, { policy: false, schemas: METACONTROLLER_SCHEMAS })).toThrow(/spec\.generateSelector: must be a boolean/);
  });

  test('GIVEN schemas passed to synthApp THEN a bad CompositeController fails the synth and nothing is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-known-'));
    try {
      const app = new App({ outdir });
      new ApiObject(new Chart(app, 'c'), 'extra', badController() as never);
      expect(() => synthApp(app, { outdir, policy: false, schemas: METACONTROLLER_SCHEMAS })).toThrow(/spec\.generateSelector: must be a boolean/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('GIVEN a PodServiceResource THEN its app declares the PodService schema of its group and version', () => {
    const app = Cdk8sTesting.app();
    const chart = new Chart(app, 'c');
    new PodServiceResource(chart, 'hello', { image: 'nginx:1.27', port: 80, group: 'example.com', version: 'v1' });
    new PodServiceResource(chart, 'again', { image: 'nginx:1.27', port: 81, group: 'example.com', version: 'v1' });
    expect(declaredSchemas(app).map((s) => `${s.apiVersion}/${s.kind}`)).toEqual(['example.com/v1/PodService']);
    const [schema] = declaredSchemas(chart);
    expect(schema.validate({ spec: { image: 'nginx:1.27', port: 70000 } }).map((i) => formatFieldPath(i.fieldPath))).toEqual(['spec.port']);
  });
});

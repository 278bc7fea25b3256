import { formatFieldPath, parseFieldPath } from '../../lib/core/field-path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, Include } from 'cdk8s';
import { customResourceCheck, loadCrdFiles, projectCrdFiles, projectCrds } from '../../lib/core/crd-schema';
import { DockyardError, Problem } from '../../lib/core/errors';
import { renderApp } from '../../lib/core/synth';
import { compileOpenApi, validateObjects } from '../../lib/core/schema';

const CRD_FILE = path.join(__dirname, '../package/fixtures/widget-crd.yaml');
const [CRD] = loadCrdFiles([CRD_FILE]);
const widget = (spec: Record<string, unknown>, apiVersion = 'example.com/v1') => ({ apiVersion, kind: 'Widget', metadata: { name: 'w' }, spec });
const check = (obj: ReturnType<typeof widget>) => customResourceCheck(obj.apiVersion, obj.kind, [CRD])!(obj);

function problemsOf(fn: () => unknown): Problem[] {
  try { fn(); } catch (e) { if (e instanceof DockyardError) return [...e.problems]; throw e; }
  throw new Error('expected a DockyardError');
}

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-crd-'));
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

describe('custom resources against their CRD (structural schema, strict)', () => {
  test('GIVEN a valid widget THEN no issue; int-or-string, preserve-unknown-fields and embedded resources are honoured', () => {
    expect(check(widget({ size: 2, color: 'red', name: 'abc', port: 'http', extra: { anything: { at: 'all' } }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { free: 1 } } }))).toEqual([]);
    expect(check(widget({ size: 2, port: 8080 }))).toEqual([]);
  });

  test('a known schema (compileOpenApi) is checked by the same compiler as a CRD: the same problems for the same openAPIV3Schema', () => {
    const known = compileOpenApi((CRD.spec as any).versions.find((v: { name: string }) => v.name === 'v1').schema.openAPIV3Schema);
    for (const spec of [{ size: 2 }, { size: 2, colour: 'red' }, { color: 'green', name: 'ABC', port: 1.5, extra: 'x' }, { size: 'two', template: { bogus: 1 } }]) {
      expect(known(widget(spec))).toEqual(check(widget(spec)));
    }
    expect(known(widget({ size: 2, colour: 'red' }))[0].message).toContain('(did you mean "color"?)');
  });

  test('GIVEN fields named with "/", "~" and "%" THEN an unknown field below them still gets the allowed fields of its own object', () => {
    const known = compileOpenApi({ type: 'object', properties: { spec: { type: 'object', properties: { '100%': { type: 'object', properties: { 'a/b~c': { type: 'object', properties: { x: { type: 'string' } } } } } } } } });
    expect(known({ apiVersion: 'example.com/v1', kind: 'Odd', spec: { '100%': { 'a/b~c': { y: 1 } } } })).toEqual([
      { fieldPath: ['spec', '100%', 'a/b~c', 'y'], message: 'unknown field "y" (did you mean "x"?); the CRD schema allows: x' },
    ]);
  });

  test('GIVEN an unknown field THEN it fails naming the field path, with a did-you-mean', () => {
    const issues = check(widget({ size: 2, colour: 'red' }));
    expect(issues).toEqual([expect.objectContaining({ fieldPath: parseFieldPath('spec.colour'), message: expect.stringContaining('unknown field "colour" (did you mean "color"?)') })]);
    expect(check(widget({ size: 2, template: { spec: {}, bogus: 1 } }))).toEqual([expect.objectContaining({ fieldPath: parseFieldPath('spec.template.bogus') })]);
  });

  test('GIVEN type, enum, required, pattern, minimum and maximum violations THEN each names its field', () => {
    const byPath = Object.fromEntries(check(widget({ color: 'green', name: 'ABC', port: 1.5, extra: 'x' })).map((i) => [formatFieldPath(i.fieldPath), i.message]));
    expect(byPath['spec']).toBe('missing required field "size"');
    expect(byPath['spec.color']).toBe('must be one of "red", "blue"');
    expect(byPath['spec.name']).toContain('must match pattern');
    expect(byPath['spec.port']).toBe('must be an integer or a string');
    expect(byPath['spec.extra']).toBe('must be an object');
    expect(check(widget({ size: 0 }))[0]).toMatchObject({ fieldPath: parseFieldPath('spec.size'), message: 'must be >= 1' });
    expect(check(widget({ size: 11 }))[0]).toMatchObject({ fieldPath: parseFieldPath('spec.size'), message: 'must be <= 10' });
  });

  test('GIVEN a version the CRD does not serve THEN apiVersion is the error, naming the served one', () => {
    expect(check(widget({ size: 1 }, 'example.com/v1alpha1'))).toEqual([{ fieldPath: parseFieldPath('apiVersion'), message: expect.stringContaining('served: false') }]);
    expect(check(widget({ size: 1 }, 'example.com/v2'))[0].message).toContain('use "example.com/v1"');
  });

  test('GIVEN another group or kind THEN the CRD does not apply', () => {
    expect(customResourceCheck('other.io/v1', 'Widget', [CRD], os.tmpdir())).toBeUndefined();
    expect(customResourceCheck('example.com/v1', 'Gadget', [CRD], os.tmpdir())).toBeUndefined();
  });
});

describe('the synth gate with custom resources', () => {
  const build = (spec: Record<string, unknown>) => {
    const app = new App({ outdir: os.tmpdir() });
    const chart = new Chart(app, 'c');
    new Include(chart, 'crds', { url: CRD_FILE });
    new ApiObject(chart, 'w', widget(spec));
    new ApiObject(chart, 'cert', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 's' } });
    new ApiObject(chart, 'cert2', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c2' }, spec: { secretName: 's2' } });
    return app;
  };

  test('GIVEN an included CRD, its resource and a resource of an unknown CRD THEN it renders, with one warning per unknown kind', () => {
    const warnings: Problem[] = [];
    const out = renderApp(build({ size: 3 }), { onWarning: (p) => warnings.push(p) });
    expect(out[0].objects.map((o) => o.object.kind)).toEqual(['CustomResourceDefinition', 'Widget', 'Certificate', 'Certificate']);
    expect(warnings).toEqual([expect.objectContaining({ where: 'c/cert', message: expect.stringContaining('Certificate (cert-manager.io/v1) is a custom resource with no known CustomResourceDefinition') })]);
  });

  test('GIVEN an unknown field in the CRD-described resource THEN synth fails naming the construct and field', () => {
    const problems = problemsOf(() => renderApp(build({ size: 3, colour: 'red' })));
    expect(problems).toEqual([expect.objectContaining({ where: 'c/w', message: expect.stringContaining('Widget/w: spec.colour: unknown field "colour"') })]);
  });

  test('GIVEN the CRD as a file in the render options THEN it is known without being in the app', () => {
    const app = new App();
    new ApiObject(new Chart(app, 'c'), 'w', widget({ size: 1, bad: true }));
    expect(problemsOf(() => renderApp(app, { crds: [CRD_FILE] }))[0].message).toContain('spec.bad: unknown field');
  });

  test('validateObjects takes extra CRDs', () => {
    expect(validateObjects([widget({ size: 'x' })], [CRD])).toEqual([expect.objectContaining({ fieldPath: parseFieldPath('spec.size'), message: 'must be an integer' })]);
  });
});

describe('CRD files: what is wrong is named with file:line', () => {
  test('GIVEN a file that is no CRD THEN file:line names the object', () => {
    const file = tmpFile('svc.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(problemsOf(() => loadCrdFiles([file]))).toEqual([expect.objectContaining({ where: `${file}:1`, message: 'ConfigMap/x is not a CustomResourceDefinition' })]);
  });

  test('GIVEN a version without a schema THEN file:line points at the version', () => {
    const file = tmpFile('crd.yaml', fs.readFileSync(CRD_FILE, 'utf8').replace(/      schema:\n        openAPIV3Schema:\n          type: object\n    - name: v1\n/, '    - name: v1\n'));
    const [p] = problemsOf(() => loadCrdFiles([file]));
    expect(p.where).toBe(`${file}:13`);
    expect(p.message).toContain('version v1alpha1 has no schema.openAPIV3Schema');
  });

  test('GIVEN invalid YAML, a missing file or a schema ajv rejects THEN each is a problem with its location', () => {
    const bad = tmpFile('bad.yaml', 'kind: [unclosed\n');
    const badSchema = tmpFile('re.yaml', fs.readFileSync(CRD_FILE, 'utf8').replace("pattern: '^[a-z]+$'", "pattern: '(['"));
    const problems = problemsOf(() => loadCrdFiles([bad, '/nonexistent/crd.yaml', badSchema]));
    expect(problems.map((p) => p.where)).toEqual([expect.stringMatching(new RegExp(`^${bad}:\\d+:\\d+$`)), '/nonexistent/crd.yaml', `${badSchema}:23`]);
    expect(problems[2].message).toContain('openAPIV3Schema of CustomResourceDefinition/widgets.example.com version v1 is invalid');
  });
});

describe('project CRDs from cdk8s.yaml', () => {
  test('crds: and local imports: entries are known; k8s and URLs are not files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-proj-'));
    fs.mkdirSync(path.join(dir, 'crds'));
    fs.copyFileSync(CRD_FILE, path.join(dir, 'crds', 'widget.yaml'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node main.js\nimports:\n  - k8s\n  - https://example.com/x.yaml\n  - widgets:=crds/widget.yaml\ncrds:\n  - crds/widget.yaml\n');
    expect(projectCrdFiles(dir)).toEqual([path.join(dir, 'crds', 'widget.yaml')]);
    expect(projectCrds(dir).map((c) => c.metadata?.name)).toEqual(['widgets.example.com']);
    expect(customResourceCheck('example.com/v1', 'Widget', [], dir)!(widget({ size: 1, nope: 1 }))[0].fieldPath!).toEqual(parseFieldPath('spec.nope'));
  });

  test('a crds: that is not a list is an error at its line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-proj-'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\ncrds: crds/widget.yaml\n');
    expect(problemsOf(() => projectCrdFiles(dir))[0]).toMatchObject({ where: `${path.join(dir, 'cdk8s.yaml')}:2` });
  });
});

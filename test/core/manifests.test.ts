import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockyardError } from '../../lib/core/errors';
import { loadManifests, parseManifests } from '../../lib/core/manifests';

describe('manifest loading', () => {
  test('GIVEN several documents THEN each object knows its file and line, and fields their lines', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# comment\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n';
    const objs = parseManifests(text, 'x.yaml');
    expect(objs.map((o) => [o.object.kind, o.line])).toEqual([['ConfigMap', 1], ['Service', 7]]);
    expect(objs[1].lineOf(['spec', 'ports', 0, 'port'])).toBe(13);
  });

  test('GIVEN a List THEN its items are returned', () => {
    const objs = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }] }), 'l.json');
    expect(objs.map((o) => o.object.metadata?.name)).toEqual(['a']);
  });

  test('GIVEN invalid YAML THEN the error names file:line:col and the fix', () => {
    expect(() => parseManifests('a: [1, 2\nb: c\n', 'bad.yaml')).toThrow(/bad\.yaml:\d+:\d+\] invalid YAML.*Fix:/s);
  });

  test('GIVEN duplicate keys THEN it is an error', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: Pod\nkind: Service\n', 'dup.yaml')).toThrow(DockyardError);
  });

  test('GIVEN a document without kind THEN the error says what to add', () => {
    expect(() => parseManifests('apiVersion: v1\nmetadata: {name: a}\n', 'nokind.yaml')).toThrow(/nokind\.yaml:1\] object has no kind/);
  });

  test('GIVEN a folder THEN yaml and json files are read in sorted order; a missing path is an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-m-'));
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    fs.writeFileSync(path.join(dir, 'a.json'), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    expect(loadManifests([dir]).map((o) => o.object.metadata?.name)).toEqual(['a', 'b']);
    expect(() => loadManifests([path.join(dir, 'nope.yaml')])).toThrow(/no such file/);
    expect(loadManifests(['-'], () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\n')[0].file).toBe('-');
  });
});

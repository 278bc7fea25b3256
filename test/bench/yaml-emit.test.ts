import { App, Yaml } from 'cdk8s';
import { buildExamples } from '../../apps/index';
import { renderCharts } from '../../lib/core/synth';
import { emitDocumentFast, stringifyYaml } from '../../lib/core/yaml-emit';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const fuzz = require('../../bench/synth/yaml-fuzz.js');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const benchApps = require('../../bench/synth/apps.js');

function objectsOf(app: App): unknown[][] {
  return renderCharts(app).map((c) => c.objects.map((o) => o.object));
}

describe('stringifyYaml is byte-identical to cdk8s Yaml.stringify', () => {
  test('on every example app', () => {
    const app = new App();
    buildExamples(app);
    for (const objects of objectsOf(app)) {
      expect(stringifyYaml(objects)).toBe(Yaml.stringify(...objects));
      // and the examples need no fallback at all
      for (const o of objects) expect(emitDocumentFast(o)).toBeDefined();
    }
  });

  test('on the benchmark apps (Dockyard and cdk8s-plus-33)', () => {
    const dockyard = new App();
    benchApps.buildDockyard(dockyard, 20, require('../../lib'));
    const plus = new App();
    benchApps.buildPlus(plus, 20);
    for (const objects of [...objectsOf(dockyard), ...objectsOf(plus)]) {
      expect(objects.length).toBe(60);
      expect(stringifyYaml(objects)).toBe(Yaml.stringify(...objects));
    }
  });

  test.each([1, 2, 3])('on 1,500 random documents full of awkward strings (seed %i)', (seed) => {
    const r = fuzz.rng(seed);
    let fast = 0;
    for (let i = 0; i < 1500; i++) {
      const doc = fuzz.randomDocument(r);
      const expected = Yaml.stringify(doc);
      if (stringifyYaml([doc]) !== expected) throw new Error(`differs on ${JSON.stringify(doc)}:\n${expected}\n---\n${stringifyYaml([doc])}`);
      if (emitDocumentFast(doc) !== undefined) fast++;
    }
    // the fast path must really be exercised, not only the fallback
    expect(fast).toBeGreaterThan(1000);
  });

  test('quoting decisions match yaml for YAML 1.1 look-alikes', () => {
    const doc = { data: { a: 'yes', b: 'on', c: '0755', d: '12:30', e: '', f: '*.example.com', g: "it's", h: '"hi" she said', i: 'nginx:1.27', j: '<<', '8080': 'port', y: 'key' } };
    const text = stringifyYaml([doc]);
    expect(text).toBe(Yaml.stringify(doc));
    expect(text).toContain('a: "yes"\n');
    expect(text).toContain('"8080": port\n');
    expect(text).toContain('"y": key\n');
    expect(text).toContain("h: '\"hi\" she said'\n");
    expect(text).toContain('i: nginx:1.27\n');
  });

  test('falls back to yaml where it would write anchors, dates or keep-chomped blocks', () => {
    const shared = { a: 1 };
    for (const doc of [{ x: shared, y: shared }, { when: new Date(0) }, { keep: 'a\n\n' }, 'scalar', {}, []]) {
      expect(emitDocumentFast(doc)).toBeUndefined();
      expect(stringifyYaml([doc])).toBe(Yaml.stringify(doc));
    }
    expect(stringifyYaml([{ a: 1 }, undefined, { b: 2 }])).toBe(Yaml.stringify({ a: 1 }, undefined, { b: 2 }));
  });
});

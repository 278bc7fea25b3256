import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { buildExamples } from '../../apps/index';
import { chartsToJson, leanPathApplies, portMatchesCdk8s, preorder, rewrittenMappers } from '../../lib/core/render';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const benchApps = require('../../bench/synth/apps.js');

/** GIVEN two identical apps, THEN the lean path on one equals chart.toJson() on the other. */
function expectSameAsCdk8s(build: (app: App) => void, lean = true): void {
  const a = new App();
  build(a);
  const b = new App();
  build(b);
  const chartsOf = (app: App) => app.node.findAll().filter((c): c is Chart => Chart.isChart(c));
  expect(leanPathApplies(a)).toBe(lean);
  const ours = chartsToJson(a, chartsOf(a)).map((objects) => objects.map((o) => o.object));
  const theirs = chartsOf(b).map((c) => c.toJson());
  expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
}

describe('chartsToJson equals chart.toJson()', () => {
  test('the port still matches the installed cdk8s', () => {
    expect(portMatchesCdk8s()).toBe(true);
  });

  test('on every example app', () => expectSameAsCdk8s((app) => buildExamples(app)));

  test('on the benchmark apps (Dockyard and cdk8s-plus-33, whose L2s use Lazy values and IntOrString)', () => {
    expectSameAsCdk8s((app) => benchApps.buildDockyard(app, 10, require('../../lib')));
    expectSameAsCdk8s((app) => benchApps.buildPlus(app, 10));
  });

  test('with dependencies, nested charts, JSON patches, plain ApiObjects and a namespace', () => {
    expectSameAsCdk8s((app) => {
      const chart = new Chart(app, 'main', { namespace: 'shop', labels: { team: 'a' } });
      const cm = new k8s.KubeConfigMap(chart, 'cm', { data: { b: '2', a: '1' } });
      const svc = new k8s.KubeService(chart, 'svc', { spec: { ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
      svc.addDependency(cm);
      svc.addJsonPatch(JsonPatch.add('/spec/type', 'NodePort'));
      const raw = new ApiObject(chart, 'raw', { apiVersion: 'example.org/v1', kind: 'Thing', spec: { z: Lazy.any({ produce: () => ({ y: 1, x: [null, 'a'] }) }), empty: {} } });
      raw.metadata.addAnnotation('note', 'x');
      const sub = new Chart(chart, 'sub');
      new k8s.KubeSecret(sub, 'secret', { stringData: { k: 'v' } });
      new Chart(app, 'other');
    });
  });

  test('sorts keys as cdk8s does, for short and long mappings of any keys', () => {
    let seed = 11;
    const rnd = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const alphabet = ['a', 'B', 'z', '0', '9', '-', '_', '.', '/', 'é', 'Z', '\u{1F600}', '\uFF21', ' '];
    const key = () => Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
    const mapping = (size: number): Record<string, unknown> => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < size; i++) o[rnd() < 0.2 ? String(Math.floor(rnd() * 100)) : key()] = rnd() < 0.1 ? null : (rnd() < 0.2 ? {} : `v${i}`);
      return o;
    };
    expectSameAsCdk8s((app) => {
      seed = 11; // both apps get the same keys
      const chart = new Chart(app, 'keys');
      for (const size of [0, 1, 2, 3, 5, 8, 13, 31, 32, 33, 60, 200]) {
        new ApiObject(chart, `raw-${size}`, { apiVersion: 'v1', kind: 'ConfigMap', data: mapping(size), spec: { nested: mapping(size) } });
        new k8s.KubeConfigMap(chart, `cm-${size}`, { metadata: { labels: mapping(size) as Record<string, string> }, data: mapping(size) as Record<string, string> });
      }
    });
  });

  test('calls Lazy producers in the order cdk8s does, in metadata with and without extra fields', () => {
    const calls: string[][] = [];
    const build = (app: App) => {
      const log: string[] = [];
      calls.push(log);
      const lazy = (what: string, value: unknown) => Lazy.any({ produce: () => { log.push(what); return value; } });
      const chart = new Chart(app, 'order', { labels: { team: 'a' } });
      new k8s.KubeConfigMap(chart, 'plain', {
        metadata: { labels: { l: lazy('plain-label', 'x') }, name: lazy('plain-name', 'n1'), annotations: { a: lazy('plain-annotation', 'y') } },
        data: { b: lazy('plain-data-b', '2'), a: lazy('plain-data-a', '1') },
      });
      new k8s.KubeConfigMap(chart, 'extra', {
        metadata: { generateName: lazy('extra-generate', 'g-'), finalizers: ['f'], name: lazy('extra-name', 'n2'), ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u' }] },
      });
      new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Thing', metadata: { namespace: lazy('raw-ns', 'ns'), labels: {} }, spec: lazy('raw-spec', { z: 1 }) });
    };
    expectSameAsCdk8s(build);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual(calls[1]);
    expect(calls[0].length).toBeGreaterThan(6);
  });

  test('renders the L1 objects of the benchmark app by the lean path (no cdk8s toJson call)', () => {
    const app = new App();
    const chart = benchApps.buildDockyard(app, 3, require('../../lib'));
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      expect(chartsToJson(app, [chart]).flat()).toHaveLength(9);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('preorder() lists what findAll() lists, in the same order', () => {
    const app = new App();
    buildExamples(app);
    const outer = new Chart(app, 'outer');
    new Chart(new Chart(outer, 'mid'), 'inner');
    new k8s.KubeConfigMap(outer, 'cm');
    benchApps.buildDockyard(app, 3, require('../../lib'));
    for (const c of app.node.findAll()) {
      const ours = preorder(c);
      const theirs = c.node.findAll();
      expect(ours.length).toBe(theirs.length);
      expect(ours.every((x, i) => x === theirs[i])).toBe(true);
    }
  });

  test('falls back to cdk8s for an app with custom resolvers', () => {
    expectSameAsCdk8s((app) => {
      (app as any).resolvers.push({ resolve: () => undefined });
      new k8s.KubeConfigMap(new Chart(app, 'c'), 'cm', { data: { a: '1' } });
    }, false);
  });

  test('keeps cdk8s error messages (they come from cdk8s itself)', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', data: new Map([['a', 'b']]) as any });
    expect(() => chartsToJson(app, [chart])).toThrow(/Failed serializing construct at path 'c\/bad'/);
  });
});

describe('the rewritten cdk8s-plus-33 mappers', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const original = require('cdk8s-plus-33/lib/imports/k8s') as Record<string, (o: unknown) => unknown>;
  const fast = rewrittenMappers()!;

  test('exist for every toJson_* mapper', () => {
    expect(fast).not.toBeNull();
    const names = Object.keys(original).filter((n) => n.startsWith('toJson_'));
    expect(names.length).toBeGreaterThan(500);
    expect(Object.keys(fast).sort()).toEqual(names.sort());
  });

  test('are all rewritten (none falls back to the original, which would only be slower)', () => {
    for (const name of Object.keys(fast)) {
      expect(fast[name](undefined)).toBeUndefined(); // compiles it
      expect(fast[name]).not.toBe(original[name]);
      expect(String(fast[name])).not.toContain('.reduce(');
    }
  });

  test('give what the originals give on random inputs for every mapper', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const mapOf = (depth: number): Record<string, unknown> => {
      const o: Record<string, unknown> = { b: value(depth + 1), a: undefined, 10: 'ten', 2: value(depth + 1) };
      if (rnd() < 0.3) Object.defineProperty(o, '__proto__', { value: 'p', enumerable: true, writable: true, configurable: true });
      return o;
    };
    const value = (depth: number): unknown => {
      const x = rnd();
      if (depth > 2 || x < 0.3) return [undefined, 'text', 42, true, null][Math.floor(rnd() * 5)];
      if (x < 0.45) return k8s.IntOrString.fromNumber(8080);
      if (x < 0.55) return new Date(0);
      if (x < 0.75) return [value(depth + 1), value(depth + 1)];
      return mapOf(depth);
    };
    const outcome = (f: (o: unknown) => unknown, input: unknown): string => {
      try { return JSON.stringify(f(input), (_k, v) => (v === undefined ? '<undefined>' : v)); } catch (e) { return `throws ${(e as Error).constructor.name}`; }
    };
    let compared = 0;
    for (const name of Object.keys(fast)) {
      const fields = [...new Set([...String(original[name]).matchAll(/obj\.(\w+)/g)].map((m) => m[1]))];
      for (let round = 0; round < 6; round++) {
        const input: Record<string, unknown> = {};
        for (const f of fields) if (rnd() < 0.7) input[f] = value(0);
        expect(`${name}: ${outcome(fast[name], input)}`).toBe(`${name}: ${outcome(original[name], input)}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

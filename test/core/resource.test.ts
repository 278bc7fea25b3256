import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { KubeResource, plainJson } from '../../lib/core/resource';

/** GIVEN the same object as a KubeResource and as a plain ApiObject THEN both render the same JSON. */
function both(build: (chart: Chart, asResource: boolean) => ApiObject): [unknown, unknown] {
  const render = (asResource: boolean) => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop', labels: { team: 'a' } });
    return build(chart, asResource).toJson();
  };
  return [render(true), render(false)];
}

const body = () => ({ spec: { z: 1, a: { y: [null, 'x', { d: undefined, c: Lazy.any({ produce: () => 'lazy' }) }], b: {} }, n: null }, data: { k: 'v' } });

describe('KubeResource renders as ApiObject.toJson() does', () => {
  test('sorted keys, null/undefined dropped, Lazy produced, chart namespace and labels, a Lazy name', () => {
    const [ours, theirs] = both((chart, r) => {
      const metadata = { name: Lazy.any({ produce: () => 'late-name' }), annotations: { x: '1' } };
      return r ? new KubeResource(chart, 'o', { apiVersion: 'v1', kind: 'Thing', metadata, body })
        : new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'Thing', metadata, ...body() });
    });
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect((ours as any).spec.a.y[2].c).toBe('lazy');
  });

  test('JSON patches reach the body and patched fields take their sorted place (as the L1 classes wrote them); CDK8S_DISABLE_SORT keeps insertion order', () => {
    const patched = both((chart, r) => {
      const o = r ? new KubeResource(chart, 'o', { apiVersion: 'v1', kind: 'Thing', body }) : new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'Thing', ...body() });
      o.addJsonPatch(JsonPatch.add('/spec/added', 1), JsonPatch.remove('/metadata/namespace'));
      return o;
    });
    expect(Object.keys((patched[0] as any).spec)).toEqual(['a', 'added', 'z']);
    expect(Object.keys((patched[1] as any).spec)).toEqual(['a', 'z', 'added']);
    expect((patched[0] as any).metadata.namespace).toBeUndefined();
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const [ours, theirs] = both((chart, r) => (r ? new KubeResource(chart, 'o', { apiVersion: 'v1', kind: 'Thing', body }) : new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'Thing', ...body() })));
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('a class instance in the body is refused with the construct path, as cdk8s refuses it', () => {
    const chart = new Chart(new App(), 'c');
    const o = new KubeResource(chart, 'bad', { apiVersion: 'v1', kind: 'Thing', body: () => ({ spec: { when: new Date(0) } }) });
    expect(() => o.toJson()).toThrow(/Failed serializing construct at path 'c\/bad'.*non-simple object of type 'Date'/);
  });
});

/** The copying rendering plainJson replaced, as the reference: every list and mapping copied. */
function reference(value: unknown, sortKeys: boolean): unknown {
  if (value == null) return undefined;
  if (typeof value !== 'object') return value;
  if (value instanceof Lazy) return reference(value.produce(), sortKeys);
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' ? reference(v, sortKeys) : v ?? undefined));
  const keys = Object.keys(value);
  if (sortKeys) keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const r = reference((value as Record<string, unknown>)[k], sortKeys);
    if (r != null) out[k] = r;
  }
  return out;
}

/** Every list and mapping inside `v` (the value itself included). */
function containers(v: unknown, out: object[] = []): object[] {
  if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

/** A random JSON-ish value: nulls, undefined, Lazy, unsorted and integer-like keys, shared objects. */
function randomValue(rand: () => number, depth: number, pool: object[]): unknown {
  const r = rand();
  if (depth > 3 || r < 0.3) return [null, undefined, 0, 1.5, '', 'x', true, false][Math.floor(rand() * 8)];
  if (r < 0.35 && pool.length) return pool[Math.floor(rand() * pool.length)];
  if (r < 0.4) {
    const produced = randomValue(rand, depth + 1, pool);
    return Lazy.any({ produce: () => produced });
  }
  const out: any = rand() < 0.4 ? [] : {};
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) {
    const v = randomValue(rand, depth + 1, pool);
    if (Array.isArray(out)) out.push(v); else out[['b', 'a', '10', '9', 'c', 'aa'][Math.floor(rand() * 6)]] = v;
  }
  if (rand() < 0.3) pool.push(out);
  return out;
}

describe('plainJson (copy on write)', () => {
  test('GIVEN data already in render form THEN the same objects come back, not copies', () => {
    const labels = { app: 'web', tier: 'front' };
    const value = { a: [{ b: 1 }, 'x'], labels, z: { empty: {} } };
    const out = plainJson(value, true) as any;
    expect(out).toBe(value);
    expect(out.labels).toBe(labels);
  });

  test('GIVEN an undefined field deep inside THEN only the mappings on its path are copied, the rest is shared', () => {
    const untouched = { k: 'v' };
    const value = { spec: { a: untouched, b: { gone: undefined, kept: 1 } } };
    const out = plainJson(value, true) as any;
    expect(out).not.toBe(value);
    expect(out.spec.b).toEqual({ kept: 1 });
    expect('gone' in out.spec.b).toBe(false);
    expect(out.spec.a).toBe(untouched);
  });

  test('GIVEN one object twice in a value THEN the result holds two distinct objects (no YAML alias)', () => {
    const shared = { drop: ['ALL'] };
    const out = plainJson({ a: shared, b: { c: shared } }, true) as any;
    expect(out.a).toEqual(shared);
    expect(out.b.c).toEqual(shared);
    expect(out.a).not.toBe(out.b.c);
  });

  test('GIVEN copyAll THEN no list or mapping of the input is in the result', () => {
    const value = { a: [{ b: 1 }], c: { d: 'x' } };
    const inside = new Set(containers(value));
    expect(containers(plainJson(value, true, true)).filter((o) => inside.has(o))).toEqual([]);
  });

  test('GIVEN 2,000 random values THEN the result equals the copying reference, key order included, and holds no object twice', () => {
    let seed = 42;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(rand, 0, []);
      for (const sortKeys of [true, false]) {
        const out = plainJson(value, sortKeys);
        expect(JSON.stringify(out)).toBe(JSON.stringify(reference(value, sortKeys)));
        expect(out).toEqual(reference(value, sortKeys));
        const all = containers(out);
        expect(new Set(all).size).toBe(all.length);
      }
    }
  });
});

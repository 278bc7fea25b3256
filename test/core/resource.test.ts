import { ApiObject, App, Chart, JsonPatch, Lazy } from 'cdk8s';
import { KubeResource } from '../../lib/core/resource';

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

import { ApiObject, ApiObjectMetadataDefinition, App, Chart, IResolver, Lazy, ResolutionContext, Testing as Cdk8sTesting } from 'cdk8s';
import { KubeMetadata } from '../../lib/core/metadata';
import { KubeResource } from '../../lib/core/resource';

// KubeMetadata writes ObjectMeta in one pass; it must give exactly what cdk8s' own
// ApiObjectMetadataDefinition gives, for every shape of input, and fall back to it otherwise.

type Options = ConstructorParameters<typeof ApiObjectMetadataDefinition>[0];

function both(app: App, options: Omit<Options, 'apiObject'>, mutate?: (m: ApiObjectMetadataDefinition) => void): [unknown, unknown] {
  const chart = new Chart(app, `c${Math.random().toString(36).slice(2)}`);
  const owner = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
  const ours = new KubeMetadata({ ...options, apiObject: owner });
  const theirs = new ApiObjectMetadataDefinition({ ...options, apiObject: owner });
  mutate?.(ours);
  mutate?.(theirs);
  return [ours.toJson(), theirs.toJson()];
}

const CASES: Array<[string, Omit<Options, 'apiObject'>, ((m: ApiObjectMetadataDefinition) => void)?]> = [
  ['name only', { name: 'web' }],
  ['labels and annotations, unsorted', { name: 'web', labels: { z: '1', a: '2' }, annotations: { 'b.io/x': 'y', 'a.io/x': 'z' } }],
  ['empty maps and lists are dropped', { name: 'web', labels: {}, annotations: {}, finalizers: [], ownerReferences: [] }],
  ['finalizers and owner references', { name: 'web', finalizers: ['b', 'a'], ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' }] }],
  ['extra attributes', { name: 'web', generateName: 'web-', uid: 'x', resourceVersion: '7' } as any],
  ['undefined and null values', { name: 'web', namespace: undefined, labels: { a: undefined as any, b: null as any, c: 'd' } }],
  ['a Lazy name and a Lazy label', { name: Lazy.any({ produce: () => 'lazy-name' }) as any, labels: { l: Lazy.any({ produce: () => 'v' }) as any } }],
  ['a Lazy that produces nothing', { name: 'web', annotations: { gone: Lazy.any({ produce: () => undefined }) as any } }],
  ['an implicit token', { name: 'web', labels: { t: { resolve: () => 'from-token' } as any } }],
  ['mutations after construction', { name: 'web', labels: { a: '1' } }, (m) => {
    m.addLabel('b', '2'); m.addAnnotation('n', 'note'); m.addFinalizers('f'); m.addOwnerReference({ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' }); m.add('generateName', 'g-');
  }],
];

describe('KubeMetadata', () => {
  // (a rest parameter: a third named one would make jest pass a done callback)
  test.each(CASES)('%s: the same JSON as cdk8s', (_name, options, ...mutate) => {
    const [ours, theirs] = both(Cdk8sTesting.app(), options, mutate[0]);
    expect(ours).toEqual(theirs);
    expect(JSON.stringify(ours)).toEqual(JSON.stringify(theirs)); // key order too
  });

  test('getLabel sees labels added later', () => {
    const chart = new Chart(Cdk8sTesting.app(), 'c');
    const m = new KubeMetadata({ name: 'x', labels: { a: '1' }, apiObject: new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap' }) });
    m.addLabel('b', '2');
    expect([m.getLabel('a'), m.getLabel('b'), m.getLabel('c')]).toEqual(['1', '2', undefined]);
  });

  test('an app with a resolver of its own gets cdk8s\' path (the resolver sees the metadata)', () => {
    const seen: unknown[] = [];
    const upper: IResolver = { resolve: (ctx: ResolutionContext) => { seen.push(ctx.key.join('.')); if (ctx.value === 'web') ctx.replaceValue('WEB'); } };
    const [ours, theirs] = both(new App({ resolvers: [upper] }), { name: 'web', labels: { app: 'web' } });
    expect(ours).toEqual(theirs);
    expect(ours).toEqual({ name: 'WEB', labels: { app: 'WEB' } });
    expect(seen.length).toBeGreaterThan(0);
  });

  test('a value that is not plain data is left to cdk8s (same error)', () => {
    class Odd { public readonly x = 1; }
    const chart = new Chart(Cdk8sTesting.app(), 'c');
    const owner = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    const m = new KubeMetadata({ name: 'x', annotations: { odd: new Odd() as any }, apiObject: owner });
    const real = new ApiObjectMetadataDefinition({ name: 'x', annotations: { odd: new Odd() as any }, apiObject: owner });
    expect(() => real.toJson()).toThrow(/non-simple object/);
    expect(() => m.toJson()).toThrow(/non-simple object/);
  });

  test('a KubeResource carries KubeMetadata with the chart\'s namespace and labels, as ApiObject does', () => {
    const chart = new Chart(Cdk8sTesting.app(), 'c', { namespace: 'team', labels: { chart: 'yes' } });
    const r = new KubeResource(chart, 'r', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { own: 'x' } } });
    const plain = new ApiObject(chart, 'p', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: r.name, labels: { own: 'x' } } });
    expect(r.metadata).toBeInstanceOf(KubeMetadata);
    r.metadata.addLabel('later', 'y');
    plain.metadata.addLabel('later', 'y');
    expect(r.toJson().metadata).toEqual(plain.toJson().metadata);
    expect(r.toJson().metadata).toEqual({ name: r.name, namespace: 'team', labels: { chart: 'yes', later: 'y', own: 'x' } });
  });
});

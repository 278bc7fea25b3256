import {
  adaptForTarget, checkObjects, dependenciesOf, objectKey, orderObjects, pulumiTypeToken, rankOf, resourceName, serviceEndpoint,
} from '../../../lib/targets/pulumi/kube-objects';
import { KubeObject } from '../../../lib/core/manifests';
import { shopChart } from './fixtures';

const objects = (): KubeObject[] => shopChart().toJson() as KubeObject[];
const find = (all: KubeObject[], kind: string) => all.find((o) => o.kind === kind)!;

describe('kube-objects (pure mappings)', () => {
  test('type tokens follow @pulumi/kubernetes (core group is "core")', () => {
    expect(pulumiTypeToken('v1', 'Service')).toBe('kubernetes:core/v1:Service');
    expect(pulumiTypeToken('apps/v1', 'Deployment')).toBe('kubernetes:apps/v1:Deployment');
    expect(pulumiTypeToken('example.dockyard.dev/v1', 'PodService')).toBe('kubernetes:example.dockyard.dev/v1:PodService');
  });

  test('resource names: <app>-<namespace>/<name>, or <app>-<name> without namespace', () => {
    const all = objects();
    expect(resourceName('shop', find(all, 'Deployment'))).toBe('shop-shop/web');
    expect(resourceName('shop', find(all, 'Namespace'))).toBe('shop-shop');
  });

  test('order: Namespace, CRD, ConfigMap/Secret, then workloads, chart order kept inside a rank', () => {
    const kinds = orderObjects(objects()).map((o) => o.kind);
    expect(kinds).toEqual(['Namespace', 'CustomResourceDefinition', 'ConfigMap', 'Secret', 'Deployment', 'Service', 'PodService']);
    expect(rankOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' })).toBe(2);
  });

  test('order: inside a rank, what an object names comes first (Ingress after its Service, RoleBinding after its ServiceAccount)', () => {
    const ing: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } };
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } };
    const rb: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'robot' }] };
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' } };
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } };
    expect(orderObjects([ing, svc, rb, role, sa]).map((o) => o.kind)).toEqual(['Role', 'ServiceAccount', 'RoleBinding', 'Service', 'Ingress']);
  });

  test('dependencies: namespace, referenced ConfigMap and Secret, defining CRD', () => {
    const all = objects();
    const deps = dependenciesOf(find(all, 'Deployment'), all);
    expect(deps).toEqual([objectKey(find(all, 'ConfigMap')), objectKey(find(all, 'Namespace')), objectKey(find(all, 'Secret'))].sort());
    expect(dependenciesOf(find(all, 'PodService'), all)).toEqual([objectKey(find(all, 'CustomResourceDefinition')), objectKey(find(all, 'Namespace'))].sort());
    expect(dependenciesOf(find(all, 'Namespace'), all)).toEqual([]);
  });

  test('dependencies: volumes, projected sources, service account, Ingress backends; refs outside the set add nothing', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'files' } };
    const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } };
    const sec: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' } };
    const pod: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: {
        serviceAccountName: 'robot', containers: [{ name: 'c', image: 'x' }],
        volumes: [{ name: 'a', configMap: { name: 'files' } }, { name: 'b', projected: { sources: [{ secret: { name: 'tls' } }] } }, { name: 'c', configMap: { name: 'elsewhere' } }],
      },
    };
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } };
    const ing: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } };
    const all = [cm, sa, sec, pod, svc, ing];
    expect(dependenciesOf(pod, all)).toEqual([objectKey(cm), objectKey(sa), objectKey(sec)].sort());
    expect(dependenciesOf(ing, all)).toEqual([objectKey(svc)]);
  });

  test('a ConfigMap in another namespace is not a dependency (pods only see their own namespace)', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'prod' } };
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'dev' }, spec: { containers: [{ name: 'c', image: 'x', envFrom: [{ configMapRef: { name: 'cfg' } }] }] } };
    expect(dependenciesOf(pod, [cm, pod])).toEqual([]);
  });

  test('kind: a LoadBalancer Service becomes NodePort without LB-only fields, with a note; other targets keep it', () => {
    const svc = find(objects(), 'Service');
    const kind = adaptForTarget(svc, 'kind');
    expect((kind.object.spec as any).type).toBe('NodePort');
    expect((kind.object.spec as any).loadBalancerSourceRanges).toBeUndefined();
    expect((kind.object.spec as any).ports).toEqual([{ port: 80, targetPort: 4000 }]);
    expect(kind.note).toMatch(/^Service\/shop\/web-service: type LoadBalancer became NodePort on kind/);
    expect((svc.spec as any).type).toBe('LoadBalancer'); // input untouched
    expect(adaptForTarget(svc, 'gke')).toEqual({ object: svc });
    expect(adaptForTarget(svc, 'kubeconfig')).toEqual({ object: svc });
  });

  test('service endpoint: external IP and URL from status; node ports from the spec the cluster returned', () => {
    const svc = find(objects(), 'Service');
    const ep = serviceEndpoint(svc, { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '34.1.2.3' }] } });
    expect(ep).toEqual({ service: 'Service/shop/web-service', type: 'LoadBalancer', ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }], ip: '34.1.2.3', url: 'http://34.1.2.3' });
    const pending = serviceEndpoint(svc, undefined, {});
    expect(pending.ip).toBeUndefined();
    expect(pending.url).toBeUndefined();
    expect(serviceEndpoint(svc, { ports: [{ port: 8080 }] }, { loadBalancer: { ingress: [{ hostname: 'lb.example' }] } }).url).toBe('http://lb.example:8080');
  });

  test('checkObjects names the object and the fix', () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n' } };
    expect(() => checkObjects('KubernetesApp a', [a, { ...a }])).toThrow(/^\[KubernetesApp a ConfigMap\/n\/x\] appears twice \(v1\)\.? Fix: give one of them another name or namespace$/);
    expect(() => checkObjects('KubernetesApp a', [{ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'p-' } }])).toThrow(/Pod\/<no name>\] has no metadata.name .* Fix: give the object a metadata.name/);
  });
});

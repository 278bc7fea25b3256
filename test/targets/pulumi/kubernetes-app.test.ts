import { byName, installMocks, isSecret, ofType, registered, resetRecords, setStateFor, settle, valueOf } from './harness';
installMocks();
// Components are imported after the mocks are set, as Pulumi's testing guide asks.
import { KubernetesApp, protectSecret } from '../../../lib/targets/pulumi/kubernetes-app';
import { DockyardError } from '../../../lib/core/errors';
import { KubeObject } from '../../../lib/core/manifests';
import { shopChart } from './fixtures';

const COMPONENT = 'dockyard:pulumi:KubernetesApp';

beforeEach(() => { resetRecords(); setStateFor(undefined); });

describe('KubernetesApp', () => {
  test('GIVEN a chart WHEN deployed to a kubeconfig THEN each object is a typed resource under the component, on its provider', async () => {
    const app = new KubernetesApp('shop', { chart: shopChart(), target: 'kubeconfig', kubeconfig: '/home/me/.kube/config', context: 'prod' });
    await settle();
    const component = ofType(COMPONENT)[0];
    const provider = byName('shop-k8s');
    expect(provider.type).toBe('pulumi:providers:kubernetes');
    expect(provider.inputs).toMatchObject({ kubeconfig: '/home/me/.kube/config', context: 'prod' });
    expect(provider.parent).toBe(component.urn);

    const children = registered.filter((r) => r.parent === component.urn && r.type.startsWith('kubernetes:'));
    // Resources reach the engine as their inputs resolve, so compare as a set; the program's own
    // order is app.objects (rank order), and dependsOn (next test) is what the engine honours.
    expect(app.objects.map((o) => o.kind)).toEqual(['Namespace', 'CustomResourceDefinition', 'ConfigMap', 'Secret', 'Deployment', 'Service', 'PodService']);
    expect(children.map((r) => [r.type, r.name]).sort()).toEqual([
      ['kubernetes:core/v1:Namespace', 'shop-shop'],
      ['kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition', 'shop-podservices.example.dockyard.dev'],
      ['kubernetes:core/v1:ConfigMap', 'shop-shop/web-config'],
      ['kubernetes:core/v1:Secret', 'shop-shop/web-secret'],
      ['kubernetes:apps/v1:Deployment', 'shop-shop/web'],
      ['kubernetes:core/v1:Service', 'shop-shop/web-service'],
      ['kubernetes:example.dockyard.dev/v1:PodService', 'shop-shop/hello'],
    ].sort());
    for (const c of children) expect(c.provider.startsWith(`${provider.urn}::`)).toBe(true);
    // Names are kept exactly (no Pulumi auto-naming suffix), so the YAML target and this one agree.
    expect(byName('shop-shop/web').inputs.metadata).toEqual({ name: 'web', namespace: 'shop' });
    expect(byName('shop-shop/web').inputs.spec.replicas).toBe(2);
    expect(byName('shop-shop/hello').inputs).toMatchObject({ apiVersion: 'example.dockyard.dev/v1', kind: 'PodService', spec: { image: 'nginx', port: 80 } });
    expect(Object.keys(app.resources)).toHaveLength(7);
    expect(app.resource('Deployment/shop/web')).toBeDefined();
  });

  test('dependsOn: the Deployment waits for its Namespace, ConfigMap and Secret; the custom resource for its CRD', async () => {
    new KubernetesApp('shop', { chart: shopChart(), target: 'kubeconfig' });
    await settle();
    const urn = (n: string) => byName(n).urn;
    expect(byName('shop-shop/web').dependencies.sort()).toEqual([urn('shop-shop'), urn('shop-shop/web-config'), urn('shop-shop/web-secret')].sort());
    expect(byName('shop-shop/hello').dependencies.sort()).toEqual([urn('shop-shop'), urn('shop-podservices.example.dockyard.dev')].sort());
    expect(byName('shop-shop').dependencies).toEqual([]);
    // Registration order follows the ranks.
    expect(byName('shop-shop').seq).toBeLessThan(byName('shop-shop/web-config').seq);
    expect(byName('shop-shop/web-secret').seq).toBeLessThan(byName('shop-shop/web').seq);
  });

  test('secrets: Secret data is sent as a Pulumi secret and the resource output is secret', async () => {
    const app = new KubernetesApp('shop', { chart: shopChart(), target: 'kubeconfig' });
    await settle();
    const secret = byName('shop-shop/web-secret');
    expect(secret.secretPaths).toContain('stringData');
    expect(secret.inputs.stringData).toEqual({ key: 's3cr3t-value' });
    const res = app.resource('Secret/shop/web-secret') as any;
    expect(await isSecret(res.stringData)).toBe(true);
    // Nothing else carries the value in clear.
    for (const r of registered.filter((x) => x.name !== 'shop-shop/web-secret')) expect(JSON.stringify(r.inputs)).not.toContain('s3cr3t-value');
    const wrapped = protectSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==' } }) as any;
    expect(await isSecret(wrapped.data)).toBe(true);
  });

  test('kind: the LoadBalancer Service is registered as NodePort, the note is an output, endpoints carry node ports', async () => {
    setStateFor((a) => (a.type === 'kubernetes:core/v1:Service' ? { spec: { ...a.inputs.spec, ports: [{ port: 80, targetPort: 4000, nodePort: 30080, protocol: 'TCP' }] } } : undefined));
    const app = new KubernetesApp('shop', { chart: shopChart(), target: 'kind' });
    await settle();
    expect(byName('shop-k8s').inputs.context).toBe('kind-kind');
    const svc = byName('shop-shop/web-service');
    expect(svc.inputs.spec.type).toBe('NodePort');
    expect(svc.inputs.spec.loadBalancerSourceRanges).toBeUndefined();
    expect(app.notes).toEqual([expect.stringMatching(/^Service\/shop\/web-service: type LoadBalancer became NodePort on kind/)]);
    expect(await valueOf(app.endpoints)).toEqual({
      'Service/shop/web-service': { service: 'Service/shop/web-service', type: 'NodePort', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
    });
  });

  test('gke: the Service stays LoadBalancer and the endpoint carries the external IP', async () => {
    setStateFor((a) => (a.type === 'kubernetes:core/v1:Service' ? { status: { loadBalancer: { ingress: [{ ip: '34.120.0.7' }] } } } : undefined));
    const app = new KubernetesApp('shop', { chart: shopChart(), target: 'gke', context: 'gke_p_europe-west1-b_c' });
    await settle();
    expect(byName('shop-shop/web-service').inputs.spec.type).toBe('LoadBalancer');
    expect(app.notes).toEqual([]);
    const ep = (await valueOf(app.endpoints))['Service/shop/web-service'];
    expect(ep).toMatchObject({ type: 'LoadBalancer', ip: '34.120.0.7', url: 'http://34.120.0.7' });
    expect(ofType('gcp:container/cluster:Cluster')).toHaveLength(0);
  });

  test('gke with cluster: Cluster -> NodePool -> secret kubeconfig -> provider (after the pool) -> app objects', async () => {
    setStateFor((a) => (a.type === 'gcp:container/cluster:Cluster'
      ? { name: 'rails', project: 'my-proj', endpoint: '35.1.2.3', masterAuth: { clusterCaCertificate: 'Q0EtREFUQQ==' } }
      : undefined));
    const app = new KubernetesApp('shop', { chart: shopChart(), target: 'gke', cluster: { location: 'europe-west1-b', clusterName: 'rails', nodeCount: 2 } });
    await settle();
    const gke = ofType('dockyard:pulumi:GkeCluster')[0];
    expect(gke.parent).toBe(ofType(COMPONENT)[0].urn);
    const cluster = byName('shop-gke-cluster');
    expect(cluster.type).toBe('gcp:container/cluster:Cluster');
    expect(cluster.parent).toBe(gke.urn);
    expect(cluster.inputs).toMatchObject({ name: 'rails', location: 'europe-west1-b', initialNodeCount: 1, removeDefaultNodePool: true, deletionProtection: false });
    const pool = byName('shop-gke-nodes');
    expect(pool.type).toBe('gcp:container/nodePool:NodePool');
    expect(pool.inputs).toMatchObject({ cluster: 'rails', location: 'europe-west1-b', nodeCount: 2, nodeConfig: { machineType: 'e2-medium' } });
    const provider = byName('shop-gke-k8s');
    expect(provider.dependencies).toContain(pool.urn);
    expect(provider.secretPaths).toContain('kubeconfig');
    expect(provider.inputs.kubeconfig).toContain('server: https://35.1.2.3');
    expect(provider.inputs.kubeconfig).toContain('certificate-authority-data: Q0EtREFUQQ==');
    expect(provider.inputs.kubeconfig).toContain('current-context: gke_my-proj_europe-west1-b_rails');
    expect(provider.inputs.kubeconfig).toContain('command: gke-gcloud-auth-plugin');
    expect(byName('shop-shop/web').provider.startsWith(`${provider.urn}::`)).toBe(true);
    expect(ofType('pulumi:providers:kubernetes')).toHaveLength(1);
    expect(await isSecret(app.kubeconfig!)).toBe(true);
  });

  test('a provider passed in is used as is', async () => {
    const { Provider } = await import('@pulumi/kubernetes/provider');
    const mine = new Provider('mine', { context: 'x' });
    new KubernetesApp('shop', { objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }], target: 'kubeconfig', provider: mine });
    await settle();
    expect(ofType('pulumi:providers:kubernetes').map((r) => r.name)).toEqual(['mine']);
    expect(byName('shop-c').provider.startsWith(`${byName('mine').urn}::`)).toBe(true);
  });

  test('user mistakes are DockyardErrors that name the component and the fix', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    const bad = (args: any, msg: RegExp) => {
      let err: unknown;
      try { new KubernetesApp('a', args); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(DockyardError);
      expect((err as Error).message).toMatch(msg);
    };
    bad({ objects: [cm], target: 'docker' }, /^\[KubernetesApp a\] target "docker" is not one of gke, kind, kubeconfig\.? Fix: use gke, kind or kubeconfig \(the Docker host has its own component, DockerApp\)/);
    bad({ objects: [cm], target: 'kind', cluster: { location: 'x' } }, /cluster creation is only for GKE, but the target is kind\.? Fix:/);
    bad({ target: 'kind' }, /has nothing to deploy .* Fix: pass chart/);
    bad({ objects: [cm], target: 'gke', cluster: { location: '' } }, /\[GkeCluster a-gke\] has no location\.? Fix: set location/);
    bad({ objects: [cm], target: 'gke', cluster: { location: 'z', nodeCount: 0 } }, /nodeCount 0 is not a positive whole number/);
  });
});

describe('KubernetesApp validates a chart as synth does', () => {
  test('a typo in a chart fails before anything is registered, naming the construct path and the field', async () => {
    const { ApiObject, App, Chart } = await import('cdk8s');
    const chart = new Chart(new App(), 'typo');
    new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], volumes: [{ name: 'v', condigMap: { name: 'x' } }] } });
    resetRecords();
    let err: unknown;
    try { new KubernetesApp('typo', { chart, target: 'kind' }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DockyardError);
    expect((err as DockyardError).problems[0].where).toBe('typo/pod');
    expect((err as DockyardError).problems[0].message).toMatch(/^Pod\/p: spec\.volumes\[0\]\.condigMap: /);
    await settle();
    expect(registered.filter((r) => r.type.startsWith('kubernetes:'))).toEqual([]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { byName, installMocks, isSecret, ofType, registered, resetRecords, setStateFor, settle, valueOf } from './harness';
installMocks();
import { deploy, isModulePath, loadCharts } from '../../../apps/pulumi/program';
import { readSettings } from '../../../apps/pulumi/settings';
import { DockyardError } from '../../../lib/core/errors';

/** Runs the program body as `pulumi up` would, with the given stack config. */
function run(cfg: Record<string, string>) {
  const settings = readSettings((k) => cfg[k], 'dev');
  return deploy(settings, loadCharts(settings.apps));
}

beforeEach(() => { resetRecords(); setStateFor(undefined); });

describe('the Pulumi program (apps/pulumi), one test per target', () => {
  test('kind: nginx-webapp (journey 1) on the kind-kind context; web-service becomes NodePort', async () => {
    const out = run({ 'dockyard:target': 'kind' });
    await settle();
    expect(out.charts).toEqual(['nginx-webapp']);
    expect(byName('k8s').inputs.context).toBe('kind-kind');
    expect(byName('dockyard-web-controller').type).toBe('kubernetes:core/v1:ReplicationController');
    expect(byName('dockyard-web-service').inputs.spec.type).toBe('NodePort');
    expect(out.notes).toEqual([expect.stringContaining('Service/web-service: type LoadBalancer became NodePort on kind')]);
    expect(Object.keys(await valueOf(out.endpoints!))).toEqual(['Service/web-service']);
    expect(out.published).toBeUndefined();
  });

  test('kubeconfig: several apps, kubeconfig and context from kubernetes:* config', async () => {
    const out = run({ 'dockyard:target': 'kubeconfig', 'dockyard:apps': 'configmap-site,podservice', 'kubernetes:kubeconfig': '/k/config', 'kubernetes:context': 'staging' });
    await settle();
    expect(out.charts).toEqual(['configmap-site', 'podservice']);
    expect(byName('k8s').inputs).toMatchObject({ kubeconfig: '/k/config', context: 'staging' });
    expect(byName('dockyard-site-reader', 'kubernetes:core/v1:Pod').dependencies).toEqual([expect.stringContaining('ConfigMap')]);
    expect(byName('dockyard-hello', 'kubernetes:core/v1:Pod').inputs.spec.containers[0].image).toBe('nginx:1.27');
    expect(ofType('kubernetes:networking.k8s.io/v1:Ingress')).toHaveLength(1);
  });

  test('gke with cluster: rails-gke (journey 2) with its secrets from secret config, external IP exported', async () => {
    setStateFor((a) => (a.type === 'gcp:container/cluster:Cluster'
      ? { name: 'rails', project: 'p1', endpoint: '35.0.0.1', masterAuth: { clusterCaCertificate: 'Q0E=' } }
      : a.type === 'kubernetes:core/v1:Service' ? { status: { loadBalancer: { ingress: [{ ip: '34.1.1.1' }] } } } : undefined));
    const out = run({
      'dockyard:target': 'gke', 'dockyard:apps': 'rails-gke', 'gcp:zone': 'us-central1-a',
      'dockyard:cluster': JSON.stringify({ clusterName: 'rails', nodeCount: 3 }),
      'dockyard:secrets': JSON.stringify({ 'rails-secrets': { DATABASE_URL: 'postgres://rails:pw-123@db/rails', SECRET_KEY_BASE: 'kb-456' } }),
    });
    await settle();
    const pool = byName('gke-nodes');
    expect(byName('gke-cluster').inputs).toMatchObject({ name: 'rails', location: 'us-central1-a' });
    expect(pool.inputs.nodeCount).toBe(3);
    const provider = byName('gke-k8s');
    expect(provider.dependencies).toContain(pool.urn);
    const secret = byName('dockyard-rails-secrets');
    expect(secret.type).toBe('kubernetes:core/v1:Secret');
    expect(secret.secretPaths).toContain('stringData');
    expect(secret.provider.startsWith(`${provider.urn}::`)).toBe(true);
    const rc = byName('dockyard-rails', 'kubernetes:core/v1:ReplicationController');
    expect(rc.dependencies).toContain(secret.urn);
    expect(rc.inputs.spec.replicas).toBe(4);
    // No secret value travels in clear in any other resource.
    for (const r of registered.filter((x) => x !== secret)) expect(JSON.stringify(r.inputs)).not.toMatch(/pw-123|kb-456/);
    expect(byName('dockyard-rails', 'kubernetes:core/v1:Service').inputs.spec.type).toBe('LoadBalancer');
    expect((await valueOf(out.endpoints!))['Service/rails']).toMatchObject({ ip: '34.1.1.1', url: 'http://34.1.1.1' });
    expect(await isSecret(out.kubeconfig!)).toBe(true);
  });

  test('docker: rabbitmq (journey 3) on docker:host, project from config, published ports exported', async () => {
    const out = run({ 'dockyard:target': 'docker', 'dockyard:apps': 'rabbitmq', 'docker:host': 'tcp://127.0.0.1:2375', 'dockyard:project': 'itest', 'dockyard:publishAddress': '127.0.0.1' });
    await settle();
    expect(byName('itest-docker').inputs.host).toBe('tcp://127.0.0.1:2375');
    const containers = ofType('docker:index/container:Container');
    expect(containers.map((c) => c.inputs.name)).toEqual(['itest-integration-rabbitmq-1']);
    expect(ofType('docker:index/network:Network').map((n) => n.inputs.name)).toEqual(['itest-integration']);
    expect(out.published!.map((p) => p.service)).toEqual(['Service/integration/rabbitmq']);
    expect(out.published![0].bindings.every((b) => b.startsWith('127.0.0.1:'))).toBe(true);
    expect(ofType('pulumi:providers:kubernetes')).toEqual([]);
    expect(out.endpoints).toBeUndefined();
  });

  test('a user module path: default or build export, resolved from the project folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-app-'));
    fs.writeFileSync(path.join(dir, 'app.js'), `const { Chart, ApiObject } = require(${JSON.stringify(require.resolve('cdk8s'))});
exports.build = (app) => { const c = new Chart(app, 'mine'); new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }); };`);
    fs.writeFileSync(path.join(dir, 'none.js'), 'exports.x = 1;');
    expect(isModulePath('./app.js')).toBe(true);
    expect(isModulePath('rails-gke')).toBe(false);
    expect(loadCharts(['./app.js'], dir).map((c) => c.node.id)).toEqual(['mine']);
    expect(() => loadCharts(['./none.js'], dir)).toThrow(/exports no default or build function/);
    expect(() => loadCharts(['./missing.ts'], dir)).toThrow(/module "\.\/missing\.ts" was not found/);
    expect(() => loadCharts(['wordpress'], dir)).toThrow(DockyardError);
    expect(() => loadCharts(['wordpress'], dir)).toThrow(/"wordpress" is not an app this program knows \(nginx-webapp, rails-gke/);
  });
});

import { readSettings } from '../../../apps/pulumi/settings';
import { externalSecretObjects, undefinedSecrets } from '../../../lib/targets/pulumi/external-secrets';
import { DockyardError } from '../../../lib/core/errors';
import { KubeObject } from '../../../lib/core/manifests';

const lookup = (cfg: Record<string, string>) => (k: string) => cfg[k];
const problemsOf = (fn: () => unknown) => {
  try { fn(); } catch (e) { if (e instanceof DockyardError) return e.problems; throw e; }
  throw new Error('expected a DockyardError');
};

describe('readSettings (stack config)', () => {
  test('kind with defaults', () => {
    expect(readSettings(lookup({ 'dockyard:target': 'kind' }), 'dev')).toEqual({
      target: 'kind', apps: ['nginx-webapp'], kubeconfig: undefined, context: undefined, cluster: undefined,
      dockerHost: undefined, project: 'dev', publishAddress: undefined, skipUnsupported: false, secrets: {},
    });
  });

  test('apps as a comma list or a JSON list; docker settings', () => {
    const s = readSettings(lookup({ 'dockyard:target': 'docker', 'dockyard:apps': 'rabbitmq, ./src/app.ts', 'docker:host': 'ssh://me@box', 'dockyard:publishAddress': '127.0.0.1', 'dockyard:skipUnsupported': 'true' }), 'My_Stack');
    expect(s).toMatchObject({ target: 'docker', apps: ['rabbitmq', './src/app.ts'], dockerHost: 'ssh://me@box', publishAddress: '127.0.0.1', skipUnsupported: true, project: 'my-stack' });
    expect(readSettings(lookup({ 'dockyard:target': 'kind', 'dockyard:apps': '["a","b"]' }), 's').apps).toEqual(['a', 'b']);
  });

  test('GKE cluster: location falls back to gcp:zone, numbers may arrive as strings', () => {
    const s = readSettings(lookup({ 'dockyard:target': 'gke', 'dockyard:cluster': '{"nodeCount":"4","clusterName":"rails"}', 'gcp:zone': 'europe-west1-b', 'gcp:project': 'p1' }), 's');
    expect(s.cluster).toEqual({ location: 'europe-west1-b', clusterName: 'rails', project: 'p1', nodeCount: 4 });
  });

  test('secrets are read as a map of maps', () => {
    const s = readSettings(lookup({ 'dockyard:target': 'gke', 'dockyard:secrets': '{"rails-secrets":{"DATABASE_URL":"postgres://u:pw@db/app","SECRET_KEY_BASE":"abc"}}' }), 's');
    expect(s.secrets).toEqual({ 'rails-secrets': { DATABASE_URL: 'postgres://u:pw@db/app', SECRET_KEY_BASE: 'abc' } });
  });

  test('every mistake at once, each with the command that fixes it', () => {
    const problems = problemsOf(() => readSettings(lookup({ 'dockyard:target': 'minikube', 'dockyard:cluster': '{"nodeCount":0,"zone":"x"}', 'dockyard:secrets': '{"s":"flat"}' }), 's'));
    expect(problems).toEqual([
      { where: 'dockyard:target', message: '"minikube" is not one of gke, kind, kubeconfig, docker', fix: 'pulumi config set dockyard:target kind (or gke, kubeconfig, docker)' },
      { where: 'dockyard:cluster', message: 'creates a GKE cluster, but the target is minikube', fix: 'pulumi config set dockyard:target gke, or pulumi config rm dockyard:cluster' },
      { where: 'dockyard:cluster.location', message: 'is not set, and neither is gcp:zone or gcp:region', fix: "pulumi config set gcp:zone europe-west1-b (or --path 'dockyard:cluster.location')" },
      { where: 'dockyard:cluster.nodeCount', message: '"0" is not a positive whole number', fix: "pulumi config set --path 'dockyard:cluster.nodeCount' 3" },
      { where: 'dockyard:cluster.zone', message: 'is not a cluster setting', fix: expect.stringContaining('location, clusterName') },
      { where: 'dockyard:secrets.s', message: 'is not a map of keys to values', fix: "pulumi config set --secret --path 'dockyard:secrets.s.KEY' <value>" },
    ]);
    expect(problemsOf(() => readSettings(lookup({}), 's'))[0]).toMatchObject({ where: 'dockyard:target', message: 'is not set' });
  });
});

describe('externalSecretObjects (values for AppSecret.fromExisting)', () => {
  const deployment = (ns?: string): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rails', ...(ns ? { namespace: ns } : {}) },
    spec: { template: { spec: { containers: [{ name: 'rails', image: 'r', env: [
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'rails-secrets', key: 'DATABASE_URL' } } },
      { name: 'SECRET_KEY_BASE', valueFrom: { secretKeyRef: { name: 'rails-secrets', key: 'SECRET_KEY_BASE' } } },
    ] }] } } },
  });

  test('GIVEN values for a referenced Secret THEN a Secret is made in the namespace of its readers', () => {
    const out = externalSecretObjects([deployment('prod')], { 'rails-secrets': { DATABASE_URL: 'postgres://x', SECRET_KEY_BASE: 'k' } });
    expect(out).toEqual([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rails-secrets', namespace: 'prod' }, type: 'Opaque', stringData: { DATABASE_URL: 'postgres://x', SECRET_KEY_BASE: 'k' } }]);
    expect(undefinedSecrets([deployment('prod'), ...out])).toEqual([]);
  });

  test('a missing key, a name no one reads, a Secret the app already defines: all reported', () => {
    const own: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mine' }, data: {} };
    const reader: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', envFrom: [{ secretRef: { name: 'mine' } }] }] } };
    const problems = problemsOf(() => externalSecretObjects([deployment(), own, reader], { 'rails-secrets': { DATABASE_URL: 'x' }, 'rails-secret': { A: 'b' }, mine: { A: 'b' } }));
    expect(problems).toEqual([
      { where: 'dockyard:secrets.mine', message: 'Secret/mine is already defined by the app', fix: expect.stringContaining('AppSecret.fromExisting') },
      { where: 'dockyard:secrets.rails-secret', message: 'no workload reads a Secret named "rails-secret"', fix: 'fix the name (the workloads read: rails-secrets, mine), or remove it' },
      { where: 'Deployment/rails', message: 'reads key "SECRET_KEY_BASE" of Secret "rails-secrets", which has no value in dockyard:secrets', fix: "pulumi config set --secret --path 'dockyard:secrets.rails-secrets.SECRET_KEY_BASE' <value>" },
    ]);
  });

  test('undefinedSecrets names the Secret and its readers', () => {
    expect(undefinedSecrets([deployment()])).toEqual([{ name: 'rails-secrets', namespace: '', readers: ['Deployment/rails'] }]);
  });
});

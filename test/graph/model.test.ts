import { App } from 'cdk8s';
import { buildExamples } from '../../apps/index';
import { renderCharts } from '../../lib/core/synth';
import { parseManifests, KubeObject } from '../../lib/core/manifests';
import { buildGraph, Graph, nodeId, namespaceOf } from '../../lib/graph/model';
import { graphOfApp } from '../../lib/graph/from-app';
import { graphOfApp as graphOfAppFromIndex } from '../../lib/graph';
import { ingressRefs, podSpecRefs, podTemplateOf, selectorMatches } from '../../lib/graph/refs';

function examples(names?: string[]): Graph {
  const app = new App();
  buildExamples(app, names);
  return graphOfApp(app);
}

function edge(g: Graph, from: string, to: string) {
  return g.edges.find((e) => e.from === from && e.to === to);
}

/** True when the edges have no cycle (depth-first search with colours). */
function acyclic(g: Graph): boolean {
  const out = new Map<string, string[]>();
  for (const e of g.edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const state = new Map<string, 1 | 2>();
  const visit = (n: string): boolean => {
    if (state.get(n) === 1) return false;
    if (state.get(n) === 2) return true;
    state.set(n, 1);
    const ok = (out.get(n) ?? []).every(visit);
    state.set(n, 2);
    return ok;
  };
  return g.nodes.every((n) => visit(n.id));
}

const pod = (name: string, ns: string | undefined, labels: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(ns ? { namespace: ns } : {}), labels }, spec: { containers: [{ name, image: 'busybox:1.36' }], ...spec },
});

describe('graph of the example apps', () => {
  test('GIVEN nginx-webapp THEN web-service selects web-controller, both grouped under the WebApp construct', () => {
    const g = examples(['nginx-webapp']);
    expect(g.nodes.map((n) => n.id)).toEqual(['ReplicationController/default/web-controller', 'Service/default/web-service']);
    expect(g.edges).toEqual([{ from: 'Service/default/web-service', to: 'ReplicationController/default/web-controller', relation: 'selects', label: '', missing: false }]);
    expect(g.groups).toEqual([{ id: 'default|construct:nginx-webapp/web', label: 'WebApp nginx-webapp/web', area: 'default' }]);
    expect(g.nodes.every((n) => n.group === 'default|construct:nginx-webapp/web')).toBe(true);
    expect(g.warnings).toEqual([]);
  });

  test('GIVEN rabbitmq THEN the Deployment reads the Secret by key and the ConfigMap by envFrom, all in namespace integration', () => {
    const g = examples(['rabbitmq']);
    const secret = g.nodes.find((n) => n.kind === 'Secret')!;
    const config = g.nodes.find((n) => n.kind === 'ConfigMap')!;
    expect(secret.namespace).toBe('integration');
    expect(edge(g, 'Deployment/integration/rabbitmq', secret.id)).toMatchObject({ relation: 'reads', label: 'RABBITMQ_DEFAULT_PASS', missing: false });
    expect(edge(g, 'Deployment/integration/rabbitmq', config.id)).toMatchObject({ relation: 'reads', label: 'envFrom' });
    expect(edge(g, 'Service/integration/rabbitmq', 'Deployment/integration/rabbitmq')).toMatchObject({ relation: 'selects' });
    expect(g.nodes.find((n) => n.kind === 'Namespace')).toMatchObject({ id: 'Namespace/integration', namespace: undefined, shape: 'namespace' });
    expect(g.warnings).toEqual([]);
  });

  test('GIVEN configmap-site THEN one edge carries both ways the pod reads the ConfigMap (env key and volume)', () => {
    const g = examples(['configmap-site']);
    expect(edge(g, 'Pod/default/site-reader', 'ConfigMap/default/site-47e7259d')).toMatchObject({ label: 'url, volume' });
  });

  test('GIVEN podservice THEN Ingress routes to the Service by host/path, and the three children share the PodService group', () => {
    const g = examples(['podservice']);
    expect(edge(g, 'Ingress/default/hello', 'Service/default/hello')).toMatchObject({ relation: 'routes', label: 'podservice.local/' });
    expect(edge(g, 'Service/default/hello', 'Pod/default/hello')).toMatchObject({ relation: 'selects' });
    expect(g.groups).toEqual([{ id: 'default|construct:podservice/hello', label: 'PodService podservice/hello', area: 'default' }]);
    expect(g.nodes.map((n) => n.group)).toEqual(Array(3).fill('default|construct:podservice/hello'));
  });

  test('GIVEN rails-gke THEN the externally created Secret is a missing node with one warning at the construct path', () => {
    const g = examples(['rails-gke']);
    expect(g.nodes.find((n) => n.id === 'Secret/default/rails-secrets')).toMatchObject({ missing: true, shape: 'secret' });
    expect(edge(g, 'ReplicationController/default/rails', 'Secret/default/rails-secrets')).toMatchObject({ label: 'DATABASE_URL, SECRET_KEY_BASE', missing: true });
    expect(g.warnings).toHaveLength(1);
    expect(g.warnings[0].where).toBe('rails-gke/rails/Resource');
    expect(g.warnings[0].message).toContain('reads Secret "rails-secrets", which is not in the given manifests');
    expect(g.warnings[0].fix).toContain('create Secret rails-secrets in namespace default');
  });

  test('GIVEN every example THEN the graph is acyclic, deterministic and exported from the package index', () => {
    const a = examples();
    expect(acyclic(a)).toBe(true);
    expect(JSON.stringify(examples())).toBe(JSON.stringify(a));
    expect(graphOfAppFromIndex).toBe(graphOfApp);
    const app = new App();
    buildExamples(app);
    const objects = renderCharts(app).flatMap((c) => c.objects);
    expect(a.nodes.filter((n) => !n.missing).map((n) => n.id)).toEqual(objects.map((o) => nodeId(o.object)).sort());
    // Every Service of the examples selects its workload: one edge each.
    expect(a.edges.filter((e) => e.relation === 'selects')).toHaveLength(objects.filter((o) => o.object.kind === 'Service').length);
  });
});

describe('graph edge cases (hand-made manifests)', () => {
  test('GIVEN a Service whose selector matches nothing THEN a warning at the selector line, and no edge', () => {
    const objs = parseManifests([
      'apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec:', '  selector:', '    app: wbe', '  ports: [{port: 80}]', '---',
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  selector: {matchLabels: {app: web}}',
      '  template:', '    metadata: {labels: {app: web}}', '    spec: {containers: [{name: web, image: "nginx:1.27"}]}',
    ].join('\n'), 'app.yaml');
    const g = buildGraph(objs);
    expect(g.edges).toEqual([]);
    expect(g.warnings).toEqual([{
      where: 'app.yaml:5',
      message: 'Service/default/web: selector app=wbe matches no workload in the given manifests, so the Service has no endpoints.',
      fix: 'make the selector equal to the pod template labels of the workload it should reach',
    }]);
  });

  test('GIVEN a Service selecting pods of another namespace THEN the warning names that workload and no edge is drawn', () => {
    const g = buildGraph([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'web' }, spec: { selector: { app: 'db' } } },
      pod('db', 'data', { app: 'db' }),
    ]);
    expect(g.edges).toEqual([]);
    expect(g.warnings[0].message).toBe('Service/web/db: selector app=db matches no pods in namespace web, only Pod/data/db in another namespace, which a Service never reaches.');
  });

  test('GIVEN a pod reading a ConfigMap that lives in another namespace THEN an edge to a missing node in the pod namespace, and a warning', () => {
    const objs = parseManifests([
      'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: settings, namespace: prod}', 'data: {url: x}', '---',
      'apiVersion: v1', 'kind: Pod', 'metadata: {name: app, namespace: dev}', 'spec:', '  containers:', '  - name: app', '    image: busybox:1.36',
      '    env:', '    - name: URL', '      valueFrom:', '        configMapKeyRef: {name: settings, key: url}',
    ].join('\n'), 'ns.yaml');
    const g = buildGraph(objs);
    expect(g.nodes.map((n) => [n.id, n.missing])).toEqual([['ConfigMap/dev/settings', true], ['ConfigMap/prod/settings', false], ['Pod/dev/app', false]]);
    expect(g.edges).toEqual([{ from: 'Pod/dev/app', to: 'ConfigMap/dev/settings', relation: 'reads', label: 'url', missing: true }]);
    expect(g.warnings).toEqual([{
      where: 'ns.yaml:16',
      message: 'Pod/dev/app reads ConfigMap "settings", which is in namespace prod but not in dev: a Pod only sees ConfigMaps of its own namespace.',
      fix: 'create ConfigMap settings in namespace dev too, or move Pod app to namespace prod',
    }]);
  });

  test('GIVEN an Ingress to a missing Service THEN a dashed edge and a warning suggesting the near name', () => {
    const g = buildGraph([
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { rules: [{ host: 'a.example', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'web-svc', port: { number: 80 } } } }] } }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-svx' }, spec: { selector: { app: 'web' } } },
      pod('web', undefined, { app: 'web' }),
    ]);
    expect(edge(g, 'Ingress/default/web', 'Service/default/web-svc')).toEqual({ from: 'Ingress/default/web', to: 'Service/default/web-svc', relation: 'routes', label: 'a.example/api', missing: true });
    expect(g.nodes.find((n) => n.id === 'Service/default/web-svc')).toMatchObject({ missing: true, shape: 'service' });
    expect(g.warnings).toHaveLength(1);
    expect(g.warnings[0]).toMatchObject({ where: 'Ingress/web' });
    expect(g.warnings[0].message).toBe('Ingress/default/web routes to Service "web-svc", which is not in the given manifests (drawn dashed). Did you mean "web-svx"?');
  });

  test('GIVEN objects in several namespaces, in any order THEN the same sorted graph', () => {
    const objs: KubeObject[] = [
      pod('a', 'zeta', { app: 'a' }), pod('a', 'alpha', { app: 'a' }), pod('b', undefined, { app: 'b' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'zeta' }, spec: { selector: { app: 'a' } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'alpha' }, spec: { selector: { app: 'a' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'zeta' } },
    ];
    const g = buildGraph(objs);
    expect(JSON.stringify(buildGraph([...objs].reverse()))).toBe(JSON.stringify(g));
    expect(g.nodes.map((n) => n.id)).toEqual(['Namespace/zeta', 'Pod/alpha/a', 'Pod/default/b', 'Pod/zeta/a', 'Service/alpha/a', 'Service/zeta/a']);
    expect(g.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['Service/alpha/a -> Pod/alpha/a', 'Service/zeta/a -> Pod/zeta/a']);
    expect(g.warnings).toEqual([]);
  });

  test('GIVEN an optional missing ConfigMap THEN a dashed node but no warning', () => {
    const g = buildGraph([pod('p', undefined, {}, { volumes: [{ name: 'c', configMap: { name: 'extra', optional: true } }] })]);
    expect(g.edges).toEqual([{ from: 'Pod/default/p', to: 'ConfigMap/default/extra', relation: 'reads', label: 'volume', missing: true }]);
    expect(g.warnings).toEqual([]);
  });

  test('GIVEN children with ownerReferences to a PodService object THEN owns edges, and parent and children grouped by the PodService label', () => {
    const labels = { app: 'hello', 'dockyard.io/podservice': 'hello' };
    const owner = [{ apiVersion: 'dockyard.io/v1', kind: 'PodService', name: 'hello', uid: 'u1' }];
    const g = buildGraph([
      { apiVersion: 'dockyard.io/v1', kind: 'PodService', metadata: { name: 'hello', namespace: 'apps' }, spec: { image: 'nginx:1.27', port: 80 } },
      { ...pod('hello', 'apps', labels), metadata: { name: 'hello', namespace: 'apps', labels, ownerReferences: owner } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello', namespace: 'apps', labels, ownerReferences: owner }, spec: { selector: labels } },
    ]);
    expect(g.edges.map((e) => `${e.from} ${e.relation} ${e.to}`)).toEqual([
      'PodService/apps/hello owns Pod/apps/hello',
      'PodService/apps/hello owns Service/apps/hello',
      'Service/apps/hello selects Pod/apps/hello',
    ]);
    expect(g.nodes.find((n) => n.kind === 'PodService')).toMatchObject({ shape: 'parent', group: 'apps|podservice:hello' });
    expect(g.nodes.find((n) => n.kind === 'Pod')!.group).toBe('apps|podservice:hello');
    expect(g.groups).toEqual([{ id: 'apps|podservice:hello', label: 'PodService hello', area: 'apps' }]);
    expect(acyclic(g)).toBe(true);
  });

  test('GIVEN the same object twice THEN one node and a warning', () => {
    const g = buildGraph([pod('p', undefined, {}), pod('p', 'default', {})]);
    expect(g.nodes).toHaveLength(1);
    expect(g.warnings[0].message).toBe('Pod/default/p is defined more than once; the graph shows the first.');
  });
});

describe('reference readers', () => {
  test('podSpecRefs reads env keys, envFrom, volumes with one item, projected sources and pull secrets', () => {
    const refs = podSpecRefs({
      initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 's1' } }] }],
      containers: [{ name: 'c', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c1', key: 'a' } } }, { name: 'B', value: 'b' }] }],
      volumes: [
        { name: 'v1', secret: { secretName: 's2', items: [{ key: 'tls.crt', path: 'crt' }] } },
        { name: 'v2', projected: { sources: [{ configMap: { name: 'c2' } }, { secret: { name: 's3', optional: true } }] } },
      ],
      imagePullSecrets: [{ name: 'regcred' }],
    });
    expect(refs.map((r) => `${r.kind}:${r.name}:${r.label}:${r.optional}`)).toEqual([
      'Secret:s1:envFrom:false', 'ConfigMap:c1:a:false', 'Secret:s2:tls.crt:false', 'ConfigMap:c2:volume:false', 'Secret:s3:volume:true', 'Secret:regcred:imagePullSecret:false',
    ]);
    expect(refs[1].fieldPath).toEqual(['containers', 0, 'env', 0, 'valueFrom', 'configMapKeyRef']);
  });

  test('podTemplateOf: a ReplicationController without template labels uses its selector; a CronJob its job template', () => {
    expect(podTemplateOf({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'r' }, spec: { selector: { name: 'nginx' }, template: { spec: {} } } })!.labels).toEqual({ name: 'nginx' });
    const cron = podTemplateOf({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { job: 'c' } }, spec: { containers: [] } } } } } })!;
    expect(cron.labels).toEqual({ job: 'c' });
    expect(cron.specPath).toEqual(['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    expect(podTemplateOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
  });

  test('ingressRefs reads the default backend, the old serviceName form and TLS secrets', () => {
    const refs = ingressRefs({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: {
      defaultBackend: { service: { name: 'fallback' } }, rules: [{ http: { paths: [{ backend: { serviceName: 'old' } }] } }], tls: [{ secretName: 'cert' }],
    } });
    expect(refs.map((r) => `${r.kind}:${r.name}:${r.label}`)).toEqual(['Service:fallback:default', 'Service:old:*/', 'Secret:cert:tls']);
  });

  test('selectorMatches, nodeId and namespaceOf follow Kubernetes', () => {
    expect(selectorMatches({ app: 'a' }, { app: 'a', tier: 'x' })).toBe(true);
    expect(selectorMatches({ app: 'a', tier: 'y' }, { app: 'a', tier: 'x' })).toBe(false);
    expect(nodeId({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', namespace: 'ignored' } })).toBe('Namespace/dev');
    expect(nodeId({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })).toBe('Secret/default/s');
    expect(namespaceOf({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } })).toBeUndefined();
  });
});

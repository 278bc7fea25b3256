import { App } from 'cdk8s';
import { buildExamples } from '../../apps/index';
import { KubeObject } from '../../lib/core/manifests';
import { graphOfApp } from '../../lib/graph/from-app';
import { buildGraph, Graph } from '../../lib/graph/model';
import { toMermaid, mermaidShape } from '../../lib/graph/mermaid';
import { toDot, dotString } from '../../lib/graph/dot';

function example(name: string): Graph {
  const app = new App();
  buildExamples(app, [name]);
  return graphOfApp(app);
}

/** Two namespaces, a missing cross-namespace ConfigMap and an Ingress: every drawing feature at once. */
const mixed: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'prod' }, data: { url: 'x' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'dev', labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36', env: [{ name: 'U', valueFrom: { configMapKeyRef: { name: 'settings', key: 'url' } } }] }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: 'dev' }, spec: { selector: { app: 'app' }, ports: [{ port: 80 }] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'app', namespace: 'dev' }, spec: { rules: [{ host: 'a"b.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] } }] } },
];

describe('Mermaid', () => {
  test('GIVEN nginx-webapp THEN the snapshot, and a construct subgraph inside the namespace subgraph', () => {
    const text = toMermaid(example('nginx-webapp'));
    expect(text).toMatchSnapshot();
    const lines = text.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines[1]).toBe('  subgraph ns_default["namespace default"]');
    expect(lines[2]).toBe('    subgraph g_default_construct_nginx_webapp_web["WebApp nginx-webapp/web"]');
    expect(text).toContain('      n_ReplicationController_default_web_controller("ReplicationController<br/>web-controller")');
    expect(text).toContain('      n_Service_default_web_service(["Service<br/>web-service"])');
    expect(text).toContain('  n_Service_default_web_service --> n_ReplicationController_default_web_controller\n');
  });

  test('GIVEN rabbitmq THEN the snapshot, with cylinders for ConfigMap/Secret and key labels on edges', () => {
    const text = toMermaid(example('rabbitmq'));
    expect(text).toMatchSnapshot();
    expect(text).toContain('subgraph ns_integration["namespace integration"]');
    expect(text).toMatch(/n_Secret_integration_rabbitmq_auth_[0-9a-f]+\[\("Secret<br\/>rabbitmq-auth-[0-9a-f]+"\)\]/);
    expect(text).toMatch(/n_Deployment_integration_rabbitmq -->\|"RABBITMQ_DEFAULT_PASS"\| n_Secret_integration_rabbitmq_auth_/);
    expect(text).toMatch(/n_Deployment_integration_rabbitmq -->\|"envFrom"\| n_ConfigMap_integration_rabbitmq_settings_/);
  });

  test('GIVEN a missing cross-namespace ConfigMap and an Ingress THEN dashed edge, missing class, hexagon, escaped quotes', () => {
    const text = toMermaid(buildGraph(mixed));
    expect(text).toContain('  subgraph ns_dev["namespace dev"]');
    expect(text).toContain('  subgraph ns_prod["namespace prod"]');
    expect(text).toContain('    n_ConfigMap_dev_settings[("ConfigMap<br/>settings<br/>(missing)")]');
    expect(text).toContain('  n_Pod_dev_app -.->|"url"| n_ConfigMap_dev_settings\n');
    expect(text).toContain('  class n_ConfigMap_dev_settings missing\n');
    expect(text).toContain('    n_Ingress_dev_app{{"Ingress<br/>app"}}');
    expect(text).toContain('  n_Ingress_dev_app -->|"a#quot;b.example/"| n_Service_dev_app\n');
    expect(text).toContain('    n_Namespace_dev[/"Namespace<br/>dev"/]');
    // Every subgraph is closed.
    expect(text.match(/subgraph /g)!.length).toBe(text.match(/^\s*end$/gm)!.length);
  });

  test('GIVEN the same objects twice, in another order THEN byte-identical text', () => {
    expect(toMermaid(buildGraph([...mixed].reverse()))).toBe(toMermaid(buildGraph(mixed)));
    expect(toMermaid(example('rabbitmq'))).toBe(toMermaid(example('rabbitmq')));
  });

  test('mermaidShape maps each shape to its Mermaid syntax', () => {
    expect(mermaidShape('workload', 'x')).toBe('("x")');
    expect(mermaidShape('service', 'x')).toBe('(["x"])');
    expect(mermaidShape('config', 'x')).toBe('[("x")]');
    expect(mermaidShape('ingress', 'x')).toBe('{{"x"}}');
    expect(mermaidShape('other', 'x')).toBe('["x"]');
  });
});

describe('DOT', () => {
  test('GIVEN podservice THEN the snapshot, a cluster per namespace and per construct', () => {
    const text = toDot(example('podservice'));
    expect(text).toMatchSnapshot();
    expect(text).toMatch(/^digraph dockyard \{\n  rankdir=LR;/);
    expect(text).toContain('  subgraph cluster_0 {\n    label="namespace default";');
    expect(text).toContain('    subgraph cluster_1 {\n      label="PodService podservice/hello"; style="dashed";');
    expect(text).toContain('      "Ingress/default/hello" [label="Ingress\\nhello", shape=hexagon');
    expect(text).toContain('  "Ingress/default/hello" -> "Service/default/hello" [label="podservice.local/"];');
    expect(text).toContain('  "Service/default/hello" -> "Pod/default/hello";');
  });

  test('GIVEN a missing node THEN it and its edge are dashed; quotes are escaped', () => {
    const text = toDot(buildGraph(mixed));
    expect(text).toContain('"ConfigMap/dev/settings" [label="ConfigMap\\nsettings\\n(missing)", shape=cylinder, style="dashed"');
    expect(text).toContain('  "Pod/dev/app" -> "ConfigMap/dev/settings" [label="url", style="dashed", color="#9e9e9e"];');
    expect(text).toContain('[label="a\\"b.example/"]');
    expect(toDot(buildGraph([...mixed].reverse()))).toBe(text);
    expect(dotString('a\\b"c\nd')).toBe('"a\\\\b\\"c\\nd"');
  });
});

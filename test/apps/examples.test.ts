import { App } from 'cdk8s';
import { buildExamples } from '../../apps';
import { METACONTROLLER_SCHEMAS, renderApp, toYaml, validateObjects, KubeObject } from '../../lib';

function render(): Map<string, KubeObject[]> {
  const app = new App({ outdir: '/tmp/unused' });
  buildExamples(app);
  return new Map(renderApp(app).map((o) => [o.chart.node.id, o.objects.map((x) => x.object)]));
}

describe('example apps', () => {
  const charts = render();
  const get = (chart: string, kind: string, name?: string): any => charts.get(chart)!.find((o) => o.kind === kind && (!name || o.metadata?.name === name));

  test('six charts, every object schema-valid', () => {
    expect([...charts.keys()]).toEqual(['nginx-webapp', 'rails-gke', 'rabbitmq', 'configmap-site', 'podservice', 'podservice-controller']);
    for (const objs of charts.values()) expect(validateObjects(objs, [], METACONTROLLER_SCHEMAS)).toEqual([]);
  });

  test.each([...render().entries()])('%s YAML snapshot', (_name, objs) => {
    expect(toYaml(objs)).toMatchSnapshot();
  });

  test('nginx-webapp: RC web-controller with 2 nginx pods labelled name=nginx, Service web-service on 80', () => {
    const rc = get('nginx-webapp', 'ReplicationController', 'web-controller');
    expect(rc.spec.replicas).toBe(2);
    expect(rc.spec.template.metadata.labels).toEqual({ name: 'nginx' });
    expect(rc.spec.template.spec.containers[0].image).toMatch(/^nginx:/);
    const svc = get('nginx-webapp', 'Service', 'web-service');
    expect(svc.spec.selector).toEqual({ name: 'nginx' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 80 });
  });

  test('rails-gke: 4 replicas, passenger command, LB 80 -> 4000, secrets only by reference', () => {
    const rc = get('rails-gke', 'ReplicationController');
    const c = rc.spec.template.spec.containers[0];
    expect(rc.spec.replicas).toBe(4);
    expect(c.command).toEqual(['passenger', 'start', '-p', '4000', '-e', 'production']);
    expect(get('rails-gke', 'Service').spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 80, targetPort: 4000 }] });
    for (const n of ['DATABASE_URL', 'SECRET_KEY_BASE']) {
      const e = c.env.find((x: any) => x.name === n);
      expect(e.value).toBeUndefined();
      expect(e.valueFrom.secretKeyRef).toEqual({ name: 'rails-secrets', key: n });
    }
    expect(JSON.stringify(charts.get('rails-gke'))).not.toMatch(/postgres:\/\//);
    expect(charts.get('rails-gke')!.some((o) => o.kind === 'Secret')).toBe(false);
  });

  test('rabbitmq: hostname, user/vhost from config, password from a secret, ports 5672 and 15672, own namespace', () => {
    const d = get('rabbitmq', 'Deployment');
    const spec = d.spec.template.spec;
    expect(spec.hostname).toBe('my-rabbit');
    expect(spec.containers[0].ports.map((p: any) => p.containerPort)).toEqual([5672, 15672]);
    expect(spec.containers[0].env).toEqual([{ name: 'RABBITMQ_DEFAULT_PASS', valueFrom: { secretKeyRef: { name: get('rabbitmq', 'Secret').metadata.name, key: 'RABBITMQ_DEFAULT_PASS' } } }]);
    expect(get('rabbitmq', 'ConfigMap').data).toEqual({ RABBITMQ_DEFAULT_USER: 'app', RABBITMQ_DEFAULT_VHOST: 'tests' });
    expect(charts.get('rabbitmq')!.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata?.namespace === 'integration')).toBe(true);
  });

  test('configmap-site: ConfigMap site with url, mounted at /tmp and read as env', () => {
    const cm = get('configmap-site', 'ConfigMap');
    expect(cm.metadata.name).toMatch(/^site-[0-9a-f]{8}$/);
    expect(cm.data).toEqual({ url: 'https://example.org/' });
    const c = get('configmap-site', 'Pod').spec.containers[0];
    expect(c.env[0].valueFrom.configMapKeyRef).toEqual({ name: cm.metadata.name, key: 'url' });
    expect(c.volumeMounts[0].mountPath).toBe('/tmp');
    expect(c.securityContext).toMatchObject({ runAsUser: 65534, runAsNonRoot: true, allowPrivilegeEscalation: false });
  });

  test('podservice: Pod, Service and an Ingress for podservice.local', () => {
    expect(charts.get('podservice')!.map((o) => o.kind)).toEqual(['Pod', 'Service', 'Ingress']);
    expect(get('podservice', 'Ingress').spec.rules[0].host).toBe('podservice.local');
  });
});

import { formatFieldPath } from '../../lib/core/field-path';
import { ApiObject, App, Chart } from 'cdk8s';
import { apiRuleProblems, configKeyProblem, envNameProblem, hostNameProblem, ianaSvcNameProblem, localPathProblem } from '../../lib/core/api-rules';
import { validateObject } from '../../lib/core/schema';
import { AppConfig, PodService, WebApp } from '../../lib';
import { chartsToJson } from '../../lib/core/render';
import { renderApp } from '../../lib/core/synth';
import { DOCKER_FLAGS, loadAndPlan, parseDockerArgs } from '../../lib/targets/docker/cli';
import { parseFlags } from '../../lib/cli/args';

const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec } });
const container = (c: Record<string, unknown>) => pod({ containers: [{ name: 'web', image: 'nginx:1.27', ...c }] });
const paths = (o: Record<string, unknown>) => apiRuleProblems(o).map((p) => formatFieldPath(p.fieldPath));
const deployment = (selector: unknown, labels: unknown) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } });
const service = (spec: Record<string, unknown>, name = 'web') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ...spec } });

describe('API-server rules beyond the schema', () => {
  test('GIVEN what Dockyard constructs make THEN no rule fires', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const cfg = new AppConfig(chart, 'cfg', { data: { 'app.properties': 'a=1' } });
    new WebApp(chart, 'web', { image: 'nginx:1.27', port: 8080, replicas: 2, env: { DB_HOST: 'db' }, mounts: [{ source: cfg, path: '/etc/app', keys: ['app.properties'] }] });
    new PodService(chart, 'ps', { image: 'nginx:1.27', port: 80, host: 'podservice.local' });
    const objects = chartsToJson([chart]).flat().map((r: any) => r.object);
    expect(objects.length).toBeGreaterThan(3);
    expect(objects.flatMap((o: any) => apiRuleProblems(o))).toEqual([]);
  });

  test('container names are DNS labels, unique across containers, initContainers and ephemeralContainers', () => {
    expect(paths(container({ name: 'Web_1' }))).toEqual(['spec.containers[0].name']);
    expect(paths(pod({ initContainers: [{ name: 'web', image: 'x' }] }))).toEqual(['spec.containers[0].name']);
    expect(paths(pod({ ephemeralContainers: [{ name: 'web', image: 'x' }] }))).toEqual(['spec.ephemeralContainers[0].name']);
    expect(paths(pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] }))).toEqual([]);
  });

  test('container ports 1-65535, hostPort 0 means unset, names are IANA service names unique in the container', () => {
    expect(paths(container({ ports: [{ containerPort: 0 }, { containerPort: 65536 }, { containerPort: 65535, hostPort: 0 }] }))).toEqual(['spec.containers[0].ports[0].containerPort', 'spec.containers[0].ports[1].containerPort']);
    expect(paths(container({ ports: [{ containerPort: 80, hostPort: 70000 }] }))).toEqual(['spec.containers[0].ports[0].hostPort']);
    expect(paths(container({ ports: [{ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }] }))).toEqual(['spec.containers[0].ports[1].name']);
    for (const bad of ['http-web-frontend', '8080', 'Http', '-http', 'ht--tp', 'h_t']) expect([bad, ianaSvcNameProblem(bad)]).toEqual([bad, expect.any(String)]);
    for (const ok of ['http', 'h2c', 'metrics-9090', 'a23456789012345']) expect(ianaSvcNameProblem(ok)).toBeUndefined();
  });

  test('probe ports are port numbers or IANA names', () => {
    expect(paths(container({ readinessProbe: { httpGet: { port: 'Http_Port' } }, livenessProbe: { tcpSocket: { port: 0 } }, startupProbe: { grpc: { port: 9090 } } })))
      .toEqual(['spec.containers[0].livenessProbe.tcpSocket.port', 'spec.containers[0].readinessProbe.httpGet.port']);
  });

  test('env names: any printable ASCII except "=" (Kubernetes 1.33); keys of valueFrom refs and envFrom prefixes', () => {
    for (const ok of ['DB_HOST', 'my.var', '1ST', 'a b!']) expect(envNameProblem(ok)).toBeUndefined();
    for (const bad of ['', 'A=B', 'tab\there', 'é']) expect([bad, envNameProblem(bad)]).toEqual([bad, expect.any(String)]);
    expect(paths(container({ env: [{ name: 'A=B', value: '1' }, { name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'a/b' } } }], envFrom: [{ prefix: 'X=', configMapRef: { name: 'c' } }] })))
      .toEqual(['spec.containers[0].env[0].name', 'spec.containers[0].env[1].valueFrom.secretKeyRef.key', 'spec.containers[0].envFrom[0].prefix']);
  });

  test('volume names are DNS labels and unique; mounts and devices name an existing volume, mount paths are unique, subPath stays inside', () => {
    expect(paths(pod({ volumes: [{ name: 'Data', emptyDir: {} }, { name: 'x', emptyDir: {} }, { name: 'x', emptyDir: {} }] }))).toEqual(['spec.volumes[0].name', 'spec.volumes[2].name']);
    expect(paths(pod({ volumes: [{ name: 'a', emptyDir: {} }], containers: [{ name: 'web', image: 'x', volumeMounts: [{ name: 'a', mountPath: '/d' }, { name: 'b', mountPath: '/d', subPath: '../x' }], volumeDevices: [{ name: 'c', devicePath: '/dev/x' }] }] })))
      .toEqual(['spec.containers[0].volumeMounts[1].name', 'spec.containers[0].volumeMounts[1].mountPath', 'spec.containers[0].volumeMounts[1].subPath', 'spec.containers[0].volumeDevices[0].name']);
  });

  test('items[].path is relative without "..", keys are config keys, modes 0-0777, in every volume source', () => {
    expect(localPathProblem('a/b..c/..d')).toBeUndefined();
    for (const bad of ['/etc/x', '../x', 'a/../../b', '..']) expect([bad, localPathProblem(bad)]).toEqual([bad, expect.any(String)]);
    expect(paths(pod({ volumes: [
      { name: 'a', configMap: { name: 'c', items: [{ key: 'k', path: '../x' }] } },
      { name: 'b', secret: { secretName: 's', defaultMode: 0o1000, items: [{ key: '..k', path: 'x' }] } },
      { name: 'c', projected: { sources: [{ configMap: { name: 'c', items: [{ key: 'k', path: '/abs', mode: -1 }] } }] } },
    ] }))).toEqual([
      'spec.volumes[0].configMap.items[0].path', 'spec.volumes[1].secret.defaultMode', 'spec.volumes[1].secret.items[0].key',
      'spec.volumes[2].projected.sources[0].configMap.items[0].path', 'spec.volumes[2].projected.sources[0].configMap.items[0].mode',
    ]);
  });

  test('ConfigMap and Secret keys: at most 253 of [-._a-zA-Z0-9], not "." or "..", no key in both data and binaryData', () => {
    for (const bad of ['', '.', '..', '..x', 'a/b', 'a b', 'k'.repeat(254)]) expect([bad, configKeyProblem(bad)]).toEqual([bad, expect.any(String)]);
    for (const ok of ['.env', 'app.properties', 'a-b_c', 'k'.repeat(253)]) expect(configKeyProblem(ok)).toBeUndefined();
    expect(paths({ kind: 'ConfigMap', data: { 'a/b': '1', x: '1' }, binaryData: { x: 'AA==' } })).toEqual(['data.a/b', 'binaryData.x']);
    expect(paths({ kind: 'Secret', data: { '..': 'AA==' }, stringData: { 'a b': 'x' } })).toEqual(['data...', 'stringData.a b']);
  });

  test('workload selectors must select their template; empty selectors and bad expressions are refused', () => {
    expect(paths(deployment({ matchLabels: { app: 'web' } }, { app: 'web', tier: 'x' }))).toEqual([]);
    expect(paths(deployment({ matchLabels: { app: 'web' } }, { app: 'api' }))).toEqual(['spec.template.metadata.labels']);
    expect(paths(deployment({}, { app: 'web' }))).toEqual(['spec.selector']);
    expect(paths(deployment({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }, { key: 'app', operator: 'Exists' }] }, { app: 'web' }))).toEqual([]);
    expect(paths(deployment({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, { app: 'web' }))).toEqual(['spec.template.metadata.labels']);
    expect(paths(deployment({ matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] }, { app: 'web' }))).toEqual(['spec.selector.matchExpressions[0].values']);
    for (const kind of ['ReplicaSet', 'StatefulSet', 'DaemonSet']) expect(paths({ ...deployment({ matchLabels: { a: 'b' } }, {}), kind })).toEqual(['spec.template.metadata.labels']);
    const job = { ...deployment({ matchLabels: { a: 'b' } }, { a: 'c' }), apiVersion: 'batch/v1', kind: 'Job' };
    expect(paths(job)).toEqual(['spec.template.metadata.labels']);
    expect(paths({ ...job, spec: { ...job.spec, selector: undefined } })).toEqual([]);
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'r' }, spec: { selector: { name: 'nginx' }, template: { metadata: { labels: { name: 'nginx' } }, spec: { containers: [{ name: 'n', image: 'nginx' }] } } } };
    expect(paths(rc)).toEqual([]);
    expect(paths({ ...rc, spec: { ...rc.spec, selector: { name: 'other' } } })).toEqual(['spec.template.metadata.labels']);
  });

  test('labels below metadata (templates, selectors) have valid keys and values', () => {
    expect(paths(deployment({ matchLabels: { 'bad key': 'x' } }, { 'bad key': 'x', role: 'web app', 'example.com/ok': 'v' })))
      .toEqual(['spec.template.metadata.labels.bad key', 'spec.template.metadata.labels.role', 'spec.selector.matchLabels.bad key']);
    expect(paths(service({ selector: { app: '-web' }, ports: [{ port: 80 }] }))).toEqual(['spec.selector.app']);
  });

  test('Service: name is a DNS-1035 label, ports 1-65535, targetPort a port or IANA name, nodePort in 30000-32767 on NodePort/LoadBalancer, names required and unique with several ports', () => {
    expect(paths(service({ ports: [{ port: 80 }] }, '1web'))).toEqual(['metadata.name']);
    expect(paths(service({ ports: [{ port: 80, targetPort: 0 }, { port: 0, name: 'b' }] }))).toEqual(['spec.ports[0].name', 'spec.ports[1].port']);
    expect(paths(service({ ports: [{ port: 80, targetPort: 65536 }] }))).toEqual(['spec.ports[0].targetPort']);
    expect(paths(service({ ports: [{ port: 80, targetPort: 'Http' }] }))).toEqual(['spec.ports[0].targetPort']);
    expect(paths(service({ type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }))).toEqual(['spec.ports[0].nodePort']);
    expect(paths(service({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([]);
    expect(paths(service({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual(['spec.ports[0].nodePort']);
    expect(paths(service({ ports: [{ port: 80, name: 'http' }, { port: 81, name: 'http' }, { port: 82, name: 'Web' }] }))).toEqual(['spec.ports[1].name', 'spec.ports[2].name']);
  });

  test('Ingress hosts are DNS names, not IP addresses; CronJob names are at most 52 characters', () => {
    for (const bad of ['10.0.0.1', '::1', '[fe80::1]', 'Shop.example.com', 'a..b']) expect([bad, hostNameProblem(bad)]).toEqual([bad, expect.any(String)]);
    expect(hostNameProblem('::ffff:127.0.0.1')).toContain('IP address');
    expect(hostNameProblem('example.com:8080')).not.toContain('IP address');
    for (const ok of ['shop.example.com', '*.example.com', 'podservice.local', '1.example.com']) expect(hostNameProblem(ok)).toBeUndefined();
    expect(paths({ kind: 'Ingress', spec: { rules: [{ host: '127.0.0.1' }, { host: 'ok.example' }] } })).toEqual(['spec.rules[0].host']);
    expect(paths({ kind: 'CronJob', metadata: { name: 'c'.repeat(53) } })).toEqual(['metadata.name']);
  });

  test('GIVEN malformed input THEN no rule throws (the schema reports the types)', () => {
    for (const spec of [null, 1, [], { containers: 'x' }, { containers: [null, 1, { ports: 'x', env: {}, volumeMounts: [null] }] }, { volumes: [{ name: 1, configMap: { items: [null] } }] }]) {
      expect(() => apiRuleProblems({ apiVersion: 'v1', kind: 'Pod', spec } as any)).not.toThrow();
      expect(() => apiRuleProblems({ kind: 'Deployment', spec: { selector: { matchExpressions: [null, { key: 1 }] }, template: spec } } as any)).not.toThrow();
    }
  });

  test('GIVEN validateObject THEN it reports these problems with the fix after the message', () => {
    const issues = validateObject(container({ name: 'Web_1' }) as any);
    expect(issues).toEqual([{ where: 'Pod/p', fieldPath: ['spec', 'containers', 0, 'name'], message: expect.stringMatching(/^container name "Web_1" must be lowercase .*; name the container like "web"/) }]);
  });
});

describe('the rules run in every gate', () => {
  const badPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'Web_1', image: 'nginx:1.27', ports: [{ containerPort: 70000 }] }] } };

  test('GIVEN a synth with such an object THEN it fails naming the construct path, the field and the fix', () => {
    const app = new App();
    new ApiObject(new Chart(app, 'c'), 'pod', badPod);
    expect(() => renderApp(app)).toThrow(/\[c\/pod\] Pod\/p: spec\.containers\[0\]\.name: container name "Web_1" .*name the container like "web"/);
    expect(() => renderApp(app)).toThrow('spec.containers[0].ports[0].containerPort: 70000 is not a valid port number');
  });

  test('GIVEN a Docker deploy of such a manifest THEN it is refused before anything is planned', async () => {
    const io = { out: () => undefined, err: () => undefined, stdin: () => JSON.stringify(badPod), env: { DOCKYARD_MANIFEST_CACHE: 'off' } };
    const args = parseDockerArgs('deploy', parseFlags(['--docker', '--project', 't', '-'], DOCKER_FLAGS, 'dockyard deploy --docker -'), 'dockyard deploy --docker -', io);
    await expect(loadAndPlan(args, io)).rejects.toThrow(/nothing was deployed[\s\S]*container name "Web_1"/);
  });
});

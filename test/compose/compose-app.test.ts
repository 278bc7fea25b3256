import * as fs from 'node:fs';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { ComposeApp, ComposeAppProps } from '../../lib/compose/compose-app';
import { DockyardError } from '../../lib/core/errors';
import { KubeObject } from '../../lib/core/manifests';
import { validateObjects } from '../../lib/core/schema';
import { toYaml } from '../../lib/core/synth';
import { Testing } from '../../lib/pipeline/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const fx = (...p: string[]) => path.relative(ROOT, path.join(__dirname, 'fixtures', ...p));

function convert(props: ComposeAppProps): { chart: Chart; app: ComposeApp; objects: KubeObject[]; yaml: string } {
  const chart = Testing.chart();
  const app = new ComposeApp(chart, 'stack', { env: {}, ...props });
  const objects = Testing.synth(chart, { policy: false }); // the mapping is under test; policy verdicts have their own tests
  return { chart, app, objects, yaml: toYaml(objects) };
}

/** Compares with test/compose/golden/<name>; UPDATE_GOLDEN=1 rewrites it. Absolute paths become <root>. */
function golden(name: string, text: string): void {
  const file = path.join(__dirname, 'golden', name);
  const normalized = text.split(ROOT).join('<root>');
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, normalized);
  expect(normalized).toBe(fs.readFileSync(file, 'utf8'));
}

const warningLines = (app: ComposeApp) => app.warnings.map((w) => `${w.where.replace(/^.*\//, '')} ${w.message}`);

describe('ComposeApp golden files', () => {
  test.each([
    ['issue example (v3)', 'issue-example', [fx('issue-example.yml')]],
    ['compose v2.4', 'v2', [fx('v2', 'docker-compose.yml')]],
    ['compose v3.8 with deploy keys', 'v3', [fx('v3', 'docker-compose.yml')]],
    ['compose spec without version', 'spec', [fx('spec', 'compose.yaml')]],
    ['two files merged', 'multi', [fx('multi', 'compose.yml'), fx('multi', 'compose.prod.yml')]],
  ])('%s', (_n, name, files) => {
    const { app, objects, yaml } = convert({ files });
    expect(validateObjects(objects)).toEqual([]);
    golden(`${name}.k8s.yaml`, yaml);
    golden(`${name}.warnings.txt`, app.warnings.map((w) => `${w.where} ${w.message}`).join('\n') + '\n');
  });
});

describe('the issue example', () => {
  const { app, objects } = convert({ files: [fx('issue-example.yml')] });

  test('every key converts; the warnings are depends_on and what changes meaning', () => {
    expect(warningLines(app)).toEqual([
      'issue-example.yml:8:23 services.cache.deploy.placement.constraints.0: Kubernetes has no Swarm managers; "node.role == manager" becomes the control-plane nodes ("node-role.kubernetes.io/control-plane Exists" plus a toleration of their NoSchedule taint); managed clusters (GKE, EKS, AKS) have none to schedule on, so there label a node and use node.labels instead',
      'issue-example.yml:12:5 services.web.depends_on: Kubernetes starts every workload at once and has no start order; depends_on is dropped (give the dependent service a readiness probe and let it retry)',
      'issue-example.yml:19:24 services.web.deploy.restart_policy.condition: a Deployment of 2 replicas always restarts its pods; condition "on-failure" (no restart after a clean exit) is not kept',
      'issue-example.yml:19:59 services.web.deploy.restart_policy.max_attempts: Kubernetes has no limit on container restarts; max_attempts 3 is dropped (the kubelet keeps restarting with back-off)',
    ]);
  });

  test('services are sorted; web is a Deployment of 2 with the rolling update, limits and a LoadBalancer', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['Deployment/cache', 'Service/cache', 'Deployment/web', 'Service/web']);
    const web = Testing.find(objects, 'Deployment', 'web') as any;
    expect(web.spec.replicas).toBe(2);
    expect(web.spec.minReadySeconds).toBe(10);
    expect(web.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(web.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' } });
    expect(web.spec.template.spec.restartPolicy).toBeUndefined();
    const svc = Testing.find(objects, 'Service', 'web') as any;
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
  });

  test('cache: unpublished port -> ClusterIP, node.role == manager -> control-plane affinity and toleration, no resources', () => {
    const cache = Testing.find(objects, 'Deployment', 'cache') as any;
    expect(cache.spec.replicas).toBe(1);
    expect(cache.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] },
    ]);
    expect(cache.spec.template.spec.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect((Testing.find(objects, 'Deployment', 'web') as any).spec.template.spec.tolerations).toBeUndefined();
    expect(cache.spec.template.spec.containers[0].resources).toBeUndefined();
    expect((Testing.find(objects, 'Service', 'cache') as any).spec.type).toBe('ClusterIP');
  });
});

describe('mapping through the constructs', () => {
  test('v2: env_file + environment in one ConfigMap read with envFrom; restart "no" is a Pod; named volume is a claim', () => {
    const { objects } = convert({ files: [fx('v2', 'docker-compose.yml')] });
    const cm = objects.find((o) => o.kind === 'ConfigMap') as any;
    expect(cm.metadata.name).toMatch(/^app-env-[0-9a-f]{8}$/);
    expect(cm.data).toEqual({ DATABASE_HOST: 'db', LOG_LEVEL: 'info', RAILS_ENV: 'production' });
    const app = Testing.find(objects, 'Deployment', 'app') as any;
    const c = app.spec.template.spec.containers[0];
    expect(c.envFrom).toEqual([{ configMapRef: { name: cm.metadata.name } }]);
    expect(c.args).toEqual(['bundle', 'exec', 'puma', '-p', '3000']);
    expect(c.workingDir).toBe('/srv/app');
    // Docker's default capabilities stay (no "drop ALL"), and its default seccomp profile is RuntimeDefault.
    expect(c.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext.capabilities).toBeUndefined(); // no "drop ALL": the runtime's default set, as Compose gives
    expect(c.resources).toEqual({ limits: { cpu: '1500m', memory: '256Mi' }, requests: { memory: '128Mi' } });
    // ./public is a small relative folder: a ConfigMap holding its files (a cluster has no copy of it).
    const pub = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name?.startsWith('app-bind-0')) as any;
    expect(app.spec.template.spec.volumes).toEqual([{ name: 'config-0-app-bind-0', configMap: { name: pub.metadata.name } }]);
    const db = Testing.find(objects, 'Pod', 'db') as any;
    expect(db.spec.restartPolicy).toBe('Never');
    expect(db.spec.volumes).toEqual([{ name: 'vol-dbdata', persistentVolumeClaim: { claimName: 'dbdata' } }]);
    const pvc = Testing.find(objects, 'PersistentVolumeClaim', 'dbdata') as any;
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect((Testing.find(objects, 'Service', 'db') as any).spec.type).toBe('ClusterIP');
  });

  test('v3: configs and secrets become mounted files, tmpfs an in-memory emptyDir, global a DaemonSet', () => {
    const { objects } = convert({ files: [fx('v3', 'docker-compose.yml')] });
    const agent = Testing.find(objects, 'DaemonSet', 'agent') as any;
    const spec = agent.spec.template.spec;
    // Files outside /run/secrets are mounted alone (subPath), exactly where compose puts them.
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'config-0-agent-configs', mountPath: '/motd', subPath: 'motd', readOnly: true },
      { name: 'secret-1-agent-secrets', mountPath: '/run/secrets', readOnly: true },
      { name: 'secret-2-agent-secrets-1', mountPath: '/run/db/password', subPath: 'password', readOnly: true },
      { name: 'anon-0', mountPath: '/cache' },
      { name: 'tmpfs-1', mountPath: '/run' },
    ]);
    expect(spec.volumes[4]).toEqual({ name: 'tmpfs-1', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
    expect(spec.volumes[3]).toEqual({ name: 'anon-0', emptyDir: {} });
    const secret = objects.find((o) => o.kind === 'Secret') as any;
    expect(Buffer.from(secret.data['cert.pem'], 'base64').toString()).toContain('BEGIN CERTIFICATE');
    // One file sets mode 0400: the volume takes it; a secret file without a mode gets 0444 (the spec's default).
    expect(spec.volumes[1].secret).toEqual({ secretName: secret.metadata.name, defaultMode: 0o400, items: [{ key: 'api_key', path: 'api_key' }, { key: 'cert.pem', path: 'cert.pem' }] });
    // The external secret is only referenced: no object is emitted for it.
    expect(objects.filter((o) => o.kind === 'Secret')).toHaveLength(1);
    expect(spec.volumes[2].secret).toEqual({ secretName: 'agent-secrets-1', defaultMode: 0o444, items: [{ key: 'password', path: 'password' }] });
    expect(spec.containers[0].securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['CHOWN'], drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
    // No ports: a headless Service without ports (the name resolves), and the container declares none.
    expect(spec.containers[0].ports).toBeUndefined();
    expect((Testing.find(objects, 'Service', 'agent') as any).spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'agent' } });
    const proxy = Testing.find(objects, 'Deployment', 'proxy') as any;
    expect(proxy.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'config-0-proxy-configs', mountPath: '/etc/nginx/conf.d/site.conf', subPath: 'site.conf', readOnly: true }]);
    expect(proxy.spec.template.spec.volumes[0].configMap.items).toEqual([{ key: 'site.conf', path: 'site.conf' }]);
    expect(proxy.metadata.labels).toEqual({ tier: 'frontend', app: 'proxy' });
    expect(proxy.spec.template.metadata.annotations).toEqual({ 'com.example.description': 'front proxy' });
    expect(proxy.spec.template.spec.containers[0].readinessProbe).toEqual({
      exec: { command: ['wget', '-q', '-O', '-', 'http://localhost/'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3,
    });
    // start_period 1500ms -> a startup probe every 5s (compose's start_interval) for 2s, plus the retries; no liveness probe.
    expect(proxy.spec.template.spec.containers[0].startupProbe).toEqual({
      exec: { command: ['wget', '-q', '-O', '-', 'http://localhost/'] }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 4,
    });
    expect(proxy.spec.template.spec.containers[0].livenessProbe).toBeUndefined();
  });

  test('options: controller, namespace, service types, bind mounts as ConfigMaps', () => {
    const { objects } = convert({
      files: [fx('v2', 'docker-compose.yml')], controller: 'ReplicationController', namespace: 'shop', serviceTypes: { app: 'NodePort' }, bindMounts: 'configMap',
    });
    expect(objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? '-'}/${o.metadata?.name?.replace(/-[0-9a-f]{8}$/, '-#')}`)).toEqual([
      'Namespace/-/shop', 'PersistentVolumeClaim/shop/dbdata', 'ConfigMap/shop/app-env-#', 'ConfigMap/shop/app-bind-0-#', 'ConfigMap/shop/db-env-#',
      'ReplicationController/shop/app', 'Service/shop/app', 'ReplicationController/shop/db', 'Service/shop/db',
    ]);
    expect((Testing.find(objects, 'Service', 'app') as any).spec.type).toBe('NodePort');
    const bind = objects.find((o) => o.metadata?.name?.startsWith('app-bind-0')) as any;
    expect(bind.data).toEqual({ 'index.html': '<h1>hi</h1>\n' });
  });

  test('strict turns warnings into one error listing each with file:line:col', () => {
    expect.assertions(3);
    try {
      convert({ files: [fx('issue-example.yml')], strict: true });
    } catch (e) {
      expect(e).toBeInstanceOf(DockyardError);
      const problems = (e as DockyardError).problems;
      expect(problems).toHaveLength(4);
      expect(problems[1]).toEqual({
        where: `${fx('issue-example.yml')}:12:5`,
        message: 'services.web.depends_on: Kubernetes starts every workload at once and has no start order; depends_on is dropped (give the dependent service a readiness probe and let it retry)',
        fix: 'change the compose file so the key converts, or run without strict',
        fieldPath: ['services', 'web', 'depends_on'],
      });
    }
  });

  test('values that cannot convert are errors naming the key', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dockyard-compose-'));
    fs.writeFileSync(path.join(dir, 'c.yml'), 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80/icmp"]\n    volumes: ["data:/data"]\n    deploy:\n      placement:\n        constraints: [node.id == abc]\n');
    expect(() => convert({ files: [path.join(dir, 'c.yml')] })).toThrow(/c\.yml:4:13\] services\.web\.ports\.0: protocol "icmp" is not tcp, udp or sctp/);
    try { convert({ files: [path.join(dir, 'c.yml')] }); } catch (e) {
      expect((e as DockyardError).problems.map((p) => p.where.replace(/^.*\//, ''))).toEqual(['c.yml:4:13', 'c.yml:5:15', 'c.yml:8:23']);
    }
  });
});

describe('names', () => {
  const write = (text: string) => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dockyard-compose-'));
    fs.writeFileSync(path.join(dir, 'c.yml'), text);
    return path.join(dir, 'c.yml');
  };

  test('a service called web-env does not clash with the env config of web', () => {
    const file = write('services:\n  web:\n    image: a:1\n    environment: {A: "1"}\n  web-env:\n    image: b:1\n');
    const { objects, app } = convert({ files: [file] });
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name?.replace(/-[0-9a-f]{8}$/, '-#')}`)).toEqual(['ConfigMap/web-env-#', 'Deployment/web', 'Deployment/web-env', 'Service/web', 'Service/web-env']);
    expect(app.node.tryFindChild('web-env-2')).toBeDefined();
  });

  test('two services with the same Kubernetes name are an error; other names are made DNS labels with a warning', () => {
    expect(() => convert({ files: [write('services:\n  web_1:\n    image: a:1\n  web-1:\n    image: b:1\n')] })).toThrow(/services "web-1" and "web_1" both become the Kubernetes name "web-1". Fix: rename one of them/);
    const { app, objects } = convert({ files: [write('services:\n  Api_Server:\n    image: a:1\n')] });
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['Deployment/api-server', 'Service/api-server']);
    expect(app.warnings[0].message).toBe('services.Api_Server: "Api_Server" is not a DNS-1123 label; the Kubernetes objects are named "api-server"');
  });

  test('ports 8080:80 and 8081:80: the Service "web" answers on 80 as in compose, "web-published" on 8080 and 8081, the container declares 80/TCP once', () => {
    const { objects } = convert({ files: [write('services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80", "8081:80"]\n')] });
    const web = Testing.find(objects, 'Deployment', 'web') as any;
    expect(web.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect((Testing.find(objects, 'Service', 'web') as any).spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, targetPort: 80 }] });
    const pub = Testing.find(objects, 'Service', 'web-published') as any;
    expect(pub.spec.type).toBe('LoadBalancer');
    expect(pub.spec.selector).toEqual({ app: 'web' });
    expect(pub.spec.ports.map((p: any) => `${p.port}->${p.targetPort}`)).toEqual(['8080->80', '8081->80']);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('deploy.labels app: x warns at its file:line (list and dict syntax); the pods keep app: <service>', () => {
    for (const labels of ['{app: frontend, tier: web}', '["app=frontend", "tier=web"]']) {
      const file = write(`services:\n  web:\n    image: nginx:1.27\n    deploy:\n      labels: ${labels}\n`);
      const { app, objects } = convert({ files: [file] });
      const w = app.warnings.find((x) => x.message.startsWith('services.web.deploy.labels.app:'));
      expect(w?.where).toBe(`${file}:5:16`);
      const web = Testing.find(objects, 'Deployment', 'web') as any;
      expect(web.spec.template.metadata.labels).toEqual({ tier: 'web', app: 'web' });
    }
  });

  test('a service whose name starts with a digit is an error at its key (a Service name is a DNS-1035 label), with or without ports', () => {
    const file = write('services:\n  1web:\n    image: nginx:1.27\n    expose: ["80"]\n  2worker:\n    image: a:1\n');
    // Every service gets a Service now (headless without ports), so both are reported at once.
    expect(() => convert({ files: [file] })).toThrow(`[${file}:2:3] services.1web: service "1web" starts with a digit, but it gets a Kubernetes Service, whose name must start with a letter (DNS-1035 label). Fix: rename the service so it starts with a letter, like "svc-1web", and update the services that reach it by name`);
    expect(() => convert({ files: [file] })).toThrow(`[${file}:5:3] services.2worker: service "2worker" starts with a digit`);
  });
});

test('volume labels become claim labels; invalid ones are dropped with a warning', () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dockyard-compose-'));
  fs.writeFileSync(path.join(dir, 'c.yml'), 'services:\n  db:\n    image: postgres:16\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data:\n    labels: [tier=db, "bad label=x y"]\n');
  const { app, objects } = convert({ files: [path.join(dir, 'c.yml')], volumeSize: '5Gi' });
  const pvc = Testing.find(objects, 'PersistentVolumeClaim', 'data') as any;
  expect(pvc.metadata.labels).toEqual({ tier: 'db' });
  expect(pvc.spec.resources.requests.storage).toBe('5Gi');
  expect(warningLines(app)).toContain('c.yml:7:5 volumes.data.labels: "bad label" is not a valid Kubernetes label; it is dropped');
});

test('CAP_ prefixes are removed and labels without a value become empty annotations', () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dockyard-compose-'));
  fs.writeFileSync(path.join(dir, 'c.yml'), 'services:\n  ntp:\n    image: ntp:1\n    cap_add: [CAP_SYS_TIME]\n    labels: [flag, "a=b"]\n    ports: ["123:123/udp"]\n');
  const { app, objects } = convert({ files: [path.join(dir, 'c.yml')] });
  const pod = (Testing.find(objects, 'Deployment', 'ntp') as any).spec.template;
  expect(pod.spec.containers[0].securityContext.capabilities).toEqual({ add: ['SYS_TIME'] });
  expect(pod.metadata.annotations).toEqual({ a: 'b', flag: '' });
  // A UDP-only service: WebApp's main port is TCP, so 123/TCP is declared next to 123/UDP, and said so.
  expect((Testing.find(objects, 'Service', 'ntp') as any).spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['123/TCP', '123/UDP']);
  expect(warningLines(app)).toEqual(['c.yml:6:5 services.ntp.ports: no port is TCP; WebApp\'s main port is TCP, so 123/TCP is declared too']);
});

describe('WebApp gaps closed', () => {
  const write = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dockyard-compose-'));
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
    return path.join(dir, 'c.yml');
  };

  test('endpoint_mode dnsrr makes a headless ClusterIP Service; a published dnsrr service too, its published ports on their own Service', () => {
    const file = write({ 'c.yml': 'services:\n  db:\n    image: postgres:16\n    expose: ["5432"]\n    deploy: {endpoint_mode: dnsrr}\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n    deploy: {endpoint_mode: dnsrr}\n' });
    const { app, objects } = convert({ files: [file] });
    expect(validateObjects(objects)).toEqual([]);
    expect((Testing.find(objects, 'Service', 'db') as any).spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] });
    // 80:80 is one LoadBalancer doing both jobs, which cannot be headless: it keeps its virtual IP.
    expect((Testing.find(objects, 'Service', 'web') as any).spec.clusterIP).toBeUndefined();
    expect(warningLines(app)).toEqual([]);
  });

  test('configs in one folder are mounted file by file, each with its own mode; a bound file as a ConfigMap is mounted alone', () => {
    const file = write({
      'a.conf': 'a', 'b.conf': 'b', 'index.html': '<h1>x</h1>',
      'c.yml': 'services:\n  web:\n    image: nginx:1.27\n    configs:\n      - {source: a, target: /etc/nginx/conf.d/a.conf, mode: 0440}\n      - {source: b, target: /etc/nginx/conf.d/b.conf}\n    volumes: ["./index.html:/usr/share/nginx/html/index.html:ro"]\nconfigs:\n  a: {file: ./a.conf}\n  b: {file: ./b.conf}\n',
    });
    const { app, objects } = convert({ files: [file], bindMounts: 'configMap' });
    expect(validateObjects(objects)).toEqual([]);
    const spec = (Testing.find(objects, 'Deployment', 'web') as any).spec.template.spec;
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'config-0-web-configs', mountPath: '/etc/nginx/conf.d/a.conf', subPath: 'a.conf', readOnly: true },
      { name: 'config-1-web-configs', mountPath: '/etc/nginx/conf.d/b.conf', subPath: 'b.conf', readOnly: true },
      { name: 'config-2-web-bind-0', mountPath: '/usr/share/nginx/html/index.html', subPath: 'index.html', readOnly: true },
    ]);
    expect(spec.volumes[0].configMap.defaultMode).toBe(0o440);
    expect(spec.volumes[1].configMap.defaultMode).toBeUndefined();
    // One ConfigMap holds both files of the folder.
    expect(objects.filter((o) => o.kind === 'ConfigMap').map((o) => Object.keys((o as any).data))).toEqual([['a.conf', 'b.conf'], ['index.html']]);
    expect(warningLines(app).join('\n')).not.toContain('hides');
  });
});

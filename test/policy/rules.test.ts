import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubeObject, parseManifests } from '../../lib/core/manifests';
import { checkObjects, RULES } from '../../lib/policy/check';
import { imageTag } from '../../lib/policy/workload-rules';
import { isSensitiveHostPath, normalizeHostPath } from '../../lib/ir/host-paths';

/** A Deployment whose container is `container` merged over a clean one. */
function deployment(container: Record<string, unknown> = {}, pod: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...meta },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          securityContext: { runAsNonRoot: true },
          ...pod,
          containers: [{
            name: 'web', image: 'nginx:1.27',
            securityContext: { allowPrivilegeEscalation: false },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/', port: 80 } },
            ...container,
          }],
        },
      },
    },
  };
}

const rulesOf = (objects: KubeObject[]) => checkObjects(objects).findings.map((f) => f.rule);
const only = (objects: KubeObject[], rule: string) => checkObjects(objects).findings.filter((f) => f.rule === rule);
const fixture = (name: string) => parseManifests(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'), name).map((l) => l.object);

describe('policy rules', () => {
  test('GIVEN a clean workload THEN no rule fires', () => {
    expect(checkObjects(fixture('clean.yaml')).findings).toEqual([]);
    expect(rulesOf([deployment()])).toEqual([]);
  });

  test('GIVEN the deliberately bad manifest THEN every rule fires, errors first', () => {
    const report = checkObjects(fixture('every-rule.yaml'));
    expect(new Set(report.findings.map((f) => f.rule))).toEqual(new Set(RULES.map((r) => r.id)));
    expect(report.errors).toBe(9);
    expect(report.findings.slice(0, report.errors).every((f) => f.severity === 'error')).toBe(true);
  });

  test('every rule has a kebab-case id, a summary and a fix', () => {
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(r.summary.length).toBeGreaterThan(10);
      expect(r.fix.length).toBeGreaterThan(10);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  test('the docs/policy.md rule table lists every rule with its severity', () => {
    const section = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'policy.md'), 'utf8');
    const rows = [...section.matchAll(/^\| `([a-z-]+)` \| (error|warning) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(RULES.map((r) => [r.id, r.severity]));
  });

  test('image-latest-tag: no tag and :latest warn; versions and digests pass', () => {
    expect(imageTag('registry:5000/team/app')).toEqual({ tag: undefined, digest: undefined });
    expect(imageTag('registry:5000/team/app:1.2@sha256:abc')).toEqual({ tag: '1.2', digest: 'sha256:abc' });
    const [f] = only([deployment({ image: 'nginx' })], 'image-latest-tag');
    expect(f).toMatchObject({ severity: 'warning', object: 'Deployment/web', field: 'spec.template.spec.containers[0].image' });
    expect(f.message).toBe('container "web" uses image "nginx" with no tag, which means :latest');
    expect(only([deployment({ image: 'localhost:5000/app:latest' })], 'image-latest-tag')[0].message).toContain(':latest changes under you');
    expect(only([deployment({ image: 'nginx@sha256:0123' })], 'image-latest-tag')).toEqual([]);
  });

  test('resources: requests and limits are separate rules naming what is missing', () => {
    const found = checkObjects([deployment({ resources: { requests: { memory: '64Mi' } } })]).findings;
    expect(found.map((f) => [f.rule, f.message])).toEqual([
      ['resource-requests-missing', 'container "web" has no cpu request'],
      ['resource-limits-missing', 'container "web" has no cpu and memory limit'],
    ]);
  });

  test('run-as-non-root: the container overrides the pod; runAsUser 0 is root even with runAsNonRoot', () => {
    expect(only([deployment({}, { securityContext: {} })], 'run-as-non-root')).toHaveLength(1);
    expect(only([deployment({ securityContext: { allowPrivilegeEscalation: false, runAsUser: 1000 } }, { securityContext: {} })], 'run-as-non-root')).toEqual([]);
    expect(only([deployment({ securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: false } })], 'run-as-non-root')).toHaveLength(1);
    expect(only([deployment({ securityContext: { allowPrivilegeEscalation: false, runAsUser: 0 } })], 'run-as-non-root')[0].message).toBe('container "web" runs as root (runAsUser: 0)');
  });

  test('privilege-escalation: unset (defaults to true) and true both warn', () => {
    expect(only([deployment({ securityContext: {} })], 'privilege-escalation')[0].message).toContain('does not set allowPrivilegeEscalation: false');
    expect(only([deployment({ securityContext: { allowPrivilegeEscalation: true } })], 'privilege-escalation')[0].message).toContain('sets allowPrivilegeEscalation: true');
  });

  test('privileged and docker-socket are errors, decided by the shared host-access check', () => {
    const priv = only([deployment({ securityContext: { allowPrivilegeEscalation: false, privileged: true } })], 'privileged');
    expect(priv).toHaveLength(1);
    expect(priv[0]).toMatchObject({ severity: 'error', field: 'spec.template.spec.containers[0].securityContext.privileged' });
    expect(only([deployment({}, { hostIPC: true })], 'privileged')[0].field).toBe('spec.template.spec.hostIPC');
    // A host namespace is fixed by removing it, not by the rule's capability advice.
    expect(only([deployment({}, { hostPID: true })], 'privileged')[0].fix).toBe('remove hostPID: true (the pod then sees only its own processes), or pass --allow-privileged');
    expect(only([deployment({ securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['SYS_ADMIN'] } } })], 'privileged')).toHaveLength(1);
    const sock = only([deployment({}, { volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] })], 'docker-socket');
    expect(sock[0]).toMatchObject({ severity: 'error', field: 'spec.template.spec.volumes[0].hostPath.path' });
    expect(sock[0].message).toContain('Docker socket');
  });

  test('sensitive-host-path: host folders other than the socket, each mount reported once', () => {
    expect(isSensitiveHostPath('/etc/')).toBe(true);
    expect(isSensitiveHostPath('/var/lib/kubelet/pods')).toBe(true);
    expect(isSensitiveHostPath('/etcd-data')).toBe(false);
    expect(isSensitiveHostPath('/data')).toBe(false);
    const vols = [{ name: 'a', hostPath: { path: '/etc' } }, { name: 'b', hostPath: { path: '/run' } }, { name: 'c', hostPath: { path: '/srv/www' } }];
    expect(rulesOf([deployment({}, { volumes: vols })]).sort()).toEqual(['docker-socket', 'sensitive-host-path']);
  });

  test('sensitive-host-path: paths are normalized, and folders that contain a sensitive path are flagged', () => {
    for (const p of ['/run/.', '/tmp/../run', '/var/run/', '/var', '/var/lib', '/var/lib/', '/home/./', '/root', '/proc/1/root', '/sys/', '//etc//', '/../etc', '/var/lib/docker', '/var/lib/kubelet', '/']) {
      expect([p, isSensitiveHostPath(p)]).toEqual([p, true]);
    }
    for (const p of ['/srv/www', '/var/lib/myapp', '/data/../srv', '/tmp', '/opt/app/', '/var/cache/app', '/home-data']) {
      expect([p, isSensitiveHostPath(p)]).toEqual([p, false]);
    }
    expect(normalizeHostPath('/tmp/../run/')).toBe('/run');
    expect(normalizeHostPath('/')).toBe('/');
    const vols = [{ name: 'var', hostPath: { path: '/var' } }, { name: 'lib', hostPath: { path: '/var/lib/' } }, { name: 'home', hostPath: { path: '/home/./' } }, { name: 'app', hostPath: { path: '/var/lib/myapp' } }];
    const found = only([deployment({}, { volumes: vols })], 'sensitive-host-path');
    // "/var" holds /var/run/docker.sock: the docker-socket rule reports it, not this one.
    expect(found.map((f) => [f.field, f.message])).toEqual([
      ['spec.template.spec.volumes[1].hostPath.path', 'volume "lib" mounts /var/lib/ from the host, which contains /var/lib/kubelet'],
      ['spec.template.spec.volumes[2].hostPath.path', 'volume "home" mounts /home/./ from the host'],
    ]);
  });

  test('GIVEN a socket folder spelled with dots or a trailing slash THEN docker-socket reports it once (not sensitive-host-path)', () => {
    for (const p of ['/run/.', '/tmp/../run', '/var/run/', '/var/run/./docker.sock', '/srv/../']) {
      const found = checkObjects([deployment({}, { volumes: [{ name: 'v', hostPath: { path: p } }] })]).findings.filter((f) => f.severity === 'error' || f.rule === 'sensitive-host-path');
      expect([p, found.map((f) => [f.rule, f.field])]).toEqual([p, [['docker-socket', 'spec.template.spec.volumes[0].hostPath.path']]]);
    }
  });

  test('host-network warns', () => {
    expect(only([deployment({}, { hostNetwork: true })], 'host-network')[0]).toMatchObject({ severity: 'warning', field: 'spec.template.spec.hostNetwork' });
  });

  test('probes-missing: long-running workloads only; any one probe is enough', () => {
    expect(only([deployment({ readinessProbe: undefined })], 'probes-missing')).toHaveLength(1);
    expect(only([deployment({ readinessProbe: undefined, livenessProbe: { exec: { command: ['true'] } } })], 'probes-missing')).toEqual([]);
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'j', image: 'busybox:1.36' }] } } } };
    expect(only([job], 'probes-missing')).toEqual([]);
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { restartPolicy: 'Never', containers: [{ name: 'p', image: 'busybox:1.36' }] } };
    expect(only([pod], 'probes-missing')).toEqual([]);
  });

  test('secret-in-env: secret names with literals, credential URLs in env and args; references pass', () => {
    const env = [
      { name: 'DB_PASSWORD', value: 'hunter2' },
      { name: 'DATABASE_URL', value: 'postgres://app:pw@db/app' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ];
    const found = only([deployment({ env, args: ['--db', 'mysql://root:pw@mysql/app'] })], 'secret-in-env');
    expect(found.map((f) => f.field)).toEqual([
      'spec.template.spec.containers[0].env[0].value',
      'spec.template.spec.containers[0].env[1].value',
      'spec.template.spec.containers[0].args[1]',
    ]);
    expect(found.every((f) => f.severity === 'error' && !f.message.includes('pw@') && !f.message.includes('hunter2'))).toBe(true);
  });

  test('secret-in-configmap: keys and embedded settings; Secrets themselves are fine', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'api-key': 'abc', url: 'amqp://guest:guest@rabbit:5672', 'app.env': 'A=1\nSESSION_SECRET=xyz\n', ok: 'plain' } };
    expect(only([cm], 'secret-in-configmap').map((f) => f.field)).toEqual(['data.api-key', 'data.url', 'data.app.env']);
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } };
    expect(rulesOf([secret])).toEqual([]);
  });

  test('service-selector-no-match: same namespace only; no selector and ExternalName pass', () => {
    const svc = (selector: unknown, ns?: string, type?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', ...(ns ? { namespace: ns } : {}) }, spec: { selector, type, ports: [{ port: 80 }] } });
    expect(only([deployment(), svc({ app: 'web' })], 'service-selector-no-match')).toEqual([]);
    const [miss] = only([deployment(), svc({ app: 'web', tier: 'front' })], 'service-selector-no-match');
    expect(miss.message).toBe('selector app=web,tier=front matches no pod template in namespace "default" of this output (Deployment/web has app=web)');
    expect(only([deployment(), svc({ app: 'web' }, 'prod')], 'service-selector-no-match')).toHaveLength(1);
    expect(only([svc(undefined)], 'service-selector-no-match')).toEqual([]);
    expect(only([svc({ app: 'x' }, undefined, 'ExternalName')], 'service-selector-no-match')).toEqual([]);
  });

  test('config-cross-namespace: flags a consumer when the output has the ConfigMap only elsewhere', () => {
    const cm = (ns: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: ns }, data: { a: 'b' } });
    const consumer = deployment({ envFrom: [{ configMapRef: { name: 'cfg' } }] }, { volumes: [{ name: 'v', configMap: { name: 'cfg' } }] }, { namespace: 'dev' });
    const found = only([consumer, cm('prod')], 'config-cross-namespace');
    expect(found.map((f) => f.field)).toEqual(['spec.template.spec.containers[0].envFrom[0].configMapRef.name', 'spec.template.spec.volumes[0].configMap.name']);
    expect(found[0].message).toBe('refers to ConfigMap "cfg" from namespace "dev", but this output has it only in namespace "prod"');
    expect(only([consumer, cm('prod'), cm('dev')], 'config-cross-namespace')).toEqual([]);
    expect(only([consumer], 'config-cross-namespace')).toEqual([]); // not in the output: may exist in the cluster
  });

  test('annotations suppress a rule in manifests, with the reason in the report', () => {
    const report = checkObjects([deployment({ image: 'nginx' }, {}, { annotations: { 'suppress.dockyard.dev/image-latest-tag': 'dev only' } })]);
    expect(report.findings).toEqual([]);
    expect(report.suppressed).toMatchObject([{ rule: 'image-latest-tag', reason: 'dev only' }]);
  });

  test('malformed objects (wrong types everywhere) never throw', () => {
    const weird: KubeObject[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: 'web', volumes: 3 } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [null, 5, { name: 'a', env: 'x', securityContext: { capabilities: { add: 7 } } }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: 'app=web' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: ['x'] },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: 'nope' },
    ];
    expect(() => checkObjects(weird)).not.toThrow();
  });

  test('GIVEN a malformed field beside a socket mount or a privileged container THEN host-access errors are still reported', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: 'web', volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] } };
    const [sock] = only([pod], 'docker-socket');
    expect(sock).toMatchObject({ severity: 'error', field: 'spec.volumes[0].hostPath.path' });
    expect(sock.message).toContain('Docker socket');
    const priv: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: {
      volumes: 3, initContainers: 'x',
      containers: [{ name: 'a', securityContext: { privileged: true, capabilities: { add: 7 } } }, { name: 'b', securityContext: { capabilities: { add: 'SYS_ADMIN' } } }],
    } } } };
    expect(only([priv], 'privileged').map((f) => f.field)).toEqual([
      'spec.template.spec.containers[0].securityContext.privileged',
      'spec.template.spec.containers[1].securityContext.capabilities.add',
    ]);
    const cron: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: {
      containers: { name: 'x' }, initContainers: [{ name: 'i', securityContext: { capabilities: { add: null } } }], volumes: [null, 'v', { name: 'run', hostPath: { path: '/run' } }],
    } } } } } };
    expect(only([cron], 'docker-socket').map((f) => f.field)).toEqual(['spec.jobTemplate.spec.template.spec.volumes[2].hostPath.path']);
  });

  test('cross-object rules stay linear: 1,000 workloads with Services and ConfigMaps check in seconds', () => {
    const objects: KubeObject[] = [];
    for (let i = 0; i < 1000; i++) {
      objects.push({ ...deployment({ envFrom: [{ configMapRef: { name: `cfg-${i}` } }] }), metadata: { name: `web-${i}` } });
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `web-${i}` }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cfg-${i}` }, data: { a: 'b' } });
    }
    const started = Date.now();
    const report = checkObjects(objects);
    // A scan of all objects per Service took 22 s here; the index makes it about 0.5 s.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(report.findings).toEqual([]);
  });

});

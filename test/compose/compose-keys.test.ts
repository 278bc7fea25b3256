import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { ComposeApp, ComposeAppProps } from '../../lib/compose/compose-app';
import { planToTypeScript } from '../../lib/compose/codegen';
import { composePolicyProblems } from '../../lib/cli/convert-policy';
import { KubeObject } from '../../lib/core/manifests';
import { validateObjects } from '../../lib/core/schema';
import { Testing } from '../../lib/pipeline/testing';
import { checkApp } from '../../lib/policy/policy';

/** GIVEN a compose project in a temp folder (files by name) WHEN converted THEN the objects and warnings. */
function convert(files: Record<string, string>, props: Partial<ComposeAppProps> = {}): { chart: Chart; app: ComposeApp; objects: KubeObject[]; warnings: string[]; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-keys-'));
  for (const [n, t] of Object.entries(files)) { fs.mkdirSync(path.dirname(path.join(dir, n)), { recursive: true }); fs.writeFileSync(path.join(dir, n), t); }
  const chart = Testing.chart();
  const app = new ComposeApp(chart, 'stack', { env: {}, files: [path.join(dir, 'c.yml')], ...props });
  const objects = Testing.synth(chart, { policy: false }); // the mapping is under test; policy verdicts have their own tests
  expect(validateObjects(objects)).toEqual([]);
  return { chart, app, objects, warnings: app.warnings.map((w) => `${w.where.replace(/^.*\//, '')} ${w.message}`), dir };
}
const find = (objects: KubeObject[], kind: string, name: string) => Testing.find(objects, kind, name) as any;
const podOf = (objects: KubeObject[], name: string) => find(objects, 'Deployment', name).spec.template.spec;

describe('item 2: every service name resolves', () => {
  test('a service without ports gets a headless Service without ports; host network gets none, with the reason', () => {
    const { objects, warnings } = convert({ 'c.yml': 'services:\n  worker:\n    image: a:1\n  agent:\n    image: b:1\n    network_mode: host\n' });
    expect(find(objects, 'Service', 'worker').spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'worker' } });
    expect(objects.some((o) => o.kind === 'Service' && o.metadata?.name === 'agent')).toBe(false);
    expect(warnings).toContain('c.yml:6:5 services.agent.network_mode: the service has no ports and uses the host network; it gets no Service (reach it at the node\'s address)');
    const agent = podOf(objects, 'agent');
    expect(agent.hostNetwork).toBe(true);
    expect(agent.dnsPolicy).toBe('ClusterFirstWithHostNet');
  });
});

describe('item 11: Service ports are container ports; published ports are where the Docker target publishes', () => {
  test('8080:80 -> Service web:80 (ClusterIP) and web-published:8080 -> 80; --service-type NodePort applies to the published one', () => {
    const { objects } = convert({ 'c.yml': 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n' }, { serviceType: 'NodePort' });
    expect(find(objects, 'Service', 'web').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, targetPort: 80 }] });
    expect(find(objects, 'Service', 'web-published').spec).toEqual({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80, protocol: 'TCP' }] });
  });

  test('kompose labels: service.type sets the type, service.expose makes an Ingress, image-pull-secret the pull secret; others warn; none become annotations', () => {
    const { objects, warnings } = convert({ 'c.yml': [
      'services:', '  web:', '    image: nginx:1.27', '    ports: ["8080:80"]', '    labels:', '      kompose.service.type: nodeport', '      kompose.image-pull-secret: regcred',
      '      kompose.service.expose: "shop.example.com,api.example.com/v1"', '      kompose.service.expose.tls-secret: shop-tls', '      kompose.controller.type: statefulset', '',
    ].join('\n') });
    expect(find(objects, 'Service', 'web-published').spec.type).toBe('NodePort');
    const pod = find(objects, 'Deployment', 'web').spec.template;
    expect(pod.metadata.annotations).toBeUndefined();
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    const backend = { service: { name: 'web', port: { number: 80 } } };
    expect(find(objects, 'Ingress', 'web').spec).toEqual({
      tls: [{ hosts: ['shop.example.com', 'api.example.com'], secretName: 'shop-tls' }],
      rules: [
        { host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } },
        { host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend }] } },
      ],
    });
    expect(warnings.some((w) => w.includes('services.web.labels.kompose.controller.type: the kompose label'))).toBe(true);
  });
});

describe('item 1: literal secrets', () => {
  test('a ${VAR} from .env under a secret name moves to the Secret; flags stay in the ConfigMap; the policy passes', () => {
    const { objects, app, chart, warnings } = convert({ 'c.yml': 'services:\n  db:\n    image: mariadb:11\n    environment:\n      MARIADB_ROOT_PASSWORD: ${ROOT_PW}\n      MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: "no"\n', '.env': 'ROOT_PW=s3cret\n' });
    const secret = objects.find((o) => o.kind === 'Secret') as any;
    expect(Buffer.from(secret.data.MARIADB_ROOT_PASSWORD, 'base64').toString()).toBe('s3cret');
    expect((objects.find((o) => o.kind === 'ConfigMap') as any).data).toEqual({ MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: 'no' });
    expect(warnings.find((w) => w.includes('MARIADB_ROOT_PASSWORD'))).toMatch(/^c\.yml:5:\d+ services\.db\.environment\.MARIADB_ROOT_PASSWORD: .* moves to the Secret "db-env-secret"/);
    expect(warnings.join('\n')).not.toContain('s3cret');
    expect(composePolicyProblems(app.project, app.plan, checkApp(chart.node.scope as never)).errors).toEqual([]);
  });

  test('--format ts reads the moved value from the environment, the literal only as a fallback', () => {
    const { app } = convert({ 'c.yml': 'services:\n  db:\n    image: postgres:16\n    environment: {POSTGRES_PASSWORD: example}\n' });
    expect(planToTypeScript(app.plan)).toContain("dbEnvSecret.addData('POSTGRES_PASSWORD', process.env['POSTGRES_PASSWORD'] ?? 'example');");
  });

  test('a mounted key or certificate becomes a Secret, not a ConfigMap', () => {
    const { objects, warnings } = convert({
      'c.yml': 'services:\n  web:\n    image: nginx:1.27\n    volumes: ["./certs/site.key:/etc/nginx/site.key:ro", "./nginx.conf:/etc/nginx/nginx.conf:ro"]\n',
      'certs/site.key': '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n', 'nginx.conf': 'events {}\n',
    });
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => Object.keys((o as any).data))).toEqual([['site.key']]);
    expect(objects.filter((o) => o.kind === 'ConfigMap').map((o) => Object.keys((o as any).data))).toEqual([['nginx.conf']]);
    expect(warnings.some((w) => w.includes('becomes a Secret, because "site.key" is named like a key or certificate'))).toBe(true);
  });
});

describe('item 6: keys with a Kubernetes equivalent', () => {
  test('pod fields land in the pod spec and the container; the object stays schema-valid', () => {
    const { objects } = convert({ 'c.yml': [
      'services:', '  web:', '    image: nginx:1.27', '    stop_grace_period: 1m', '    extra_hosts: ["api.local:10.0.0.5"]', '    dns: 1.1.1.1', '    dns_search: corp.local',
      '    tty: true', '    stdin_open: true', '    group_add: ["1001"]', '    sysctls: {net.core.somaxconn: 1024}', '    shm_size: 256m', '    pull_policy: always',
      '    platform: linux/arm64', '    ipc: host', '    security_opt: ["no-new-privileges:true", "apparmor=unconfined"]', '    user: "1000:1000"', '',
    ].join('\n') });
    const pod = podOf(objects, 'web');
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.hostAliases).toEqual([{ ip: '10.0.0.5', hostnames: ['api.local'] }]);
    expect(pod.dnsConfig).toEqual({ nameservers: ['1.1.1.1'], searches: ['corp.local'] });
    expect(pod.hostIPC).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
    // fsGroup from user stays next to the new fields.
    expect(pod.securityContext).toEqual({ fsGroup: 1000, supplementalGroups: [1001], sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] });
    const c = pod.containers[0];
    expect([c.tty, c.stdin, c.imagePullPolicy]).toEqual([true, true, 'Always']);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, appArmorProfile: { type: 'Unconfined' } });
    expect(pod.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
    expect(c.volumeMounts).toContainEqual({ name: 'dshm', mountPath: '/dev/shm' });
  });

  test('volumes_from mounts the same claims (read-only with :ro)', () => {
    const { objects } = convert({ 'c.yml': 'services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\n  backup:\n    image: b:1\n    volumes_from: ["db:ro"]\nvolumes: {pg: {}}\n' });
    expect(podOf(objects, 'backup').volumes).toEqual([{ name: 'vol-pg', persistentVolumeClaim: { claimName: 'pg' } }]);
    expect(podOf(objects, 'backup').containers[0].volumeMounts).toEqual([{ name: 'vol-pg', mountPath: '/var/lib/postgresql/data', readOnly: true }]);
  });

  test('privileged and cap_add ALL are reported at their own keys', () => {
    const { app, chart } = convert({ 'c.yml': 'services:\n  a:\n    image: a:1\n    privileged: true\n  b:\n    image: b:1\n    cap_add: [ALL]\n' });
    const report = composePolicyProblems(app.project, app.plan, checkApp(chart.node.scope as never));
    const all = [...report.errors, ...report.warnings].filter((p) => p.message.includes('privileged'));
    expect(all.map((p) => `${p.where.replace(/^.*\//, '')} ${p.message.split(':')[0]}`)).toEqual(expect.arrayContaining(['c.yml:4:5 services.a.privileged', 'c.yml:7:5 services.b.cap_add']));
  });
});

describe('item 7: network_mode service:X is one pod', () => {
  test('the VPN sidecar pattern: both containers in the vpn pod, the ports on its Service, the sidecar\'s env and claims with it', () => {
    const { objects, warnings } = convert({ 'c.yml': [
      'services:', '  vpn:', '    image: qmcgaw/gluetun:v3', '    cap_add: [NET_ADMIN]', '    ports: ["9091:9091"]',
      '  torrent:', '    image: linuxserver/transmission:4', '    network_mode: "service:vpn"', '    environment: {TZ: UTC}', '    volumes: [dl:/downloads]', 'volumes: {dl: {}}', '',
    ].join('\n') });
    expect(objects.some((o) => o.metadata?.name === 'torrent')).toBe(false);
    const vpn = find(objects, 'Deployment', 'vpn');
    const pod = vpn.spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['vpn', 'torrent']);
    expect(pod.containers[1].envFrom[0].configMapRef.name).toMatch(/^torrent-env-/);
    expect(pod.containers[1].volumeMounts).toEqual([{ name: 'torrent-vol-dl', mountPath: '/downloads' }]);
    expect(pod.volumes).toEqual([{ name: 'torrent-vol-dl', persistentVolumeClaim: { claimName: 'dl' } }]);
    // The sidecar's ReadWriteOnce claim makes the pod's Deployment recreate.
    expect(vpn.spec.strategy).toEqual({ type: 'Recreate' });
    expect(find(objects, 'Service', 'vpn').spec.ports.map((p: any) => p.port)).toEqual([9091]);
    expect(warnings.some((w) => w.includes('services.torrent.network_mode: "torrent" shares the network of "vpn"'))).toBe(true);
  });

  test('a sidecar with its own replica count: the pod keeps the host service\'s count, and the sidecar\'s is reported at its key', () => {
    const { objects, warnings } = convert({ 'c.yml': [
      'services:', '  vpn:', '    image: vpn:1', '    restart: always', '    deploy: {replicas: 3}',
      '  agent:', '    image: agent:1', '    network_mode: "service:vpn"', '    scale: 2', '    restart: "no"', '    volumes: [cache:/cache]',
      '    deploy: {update_config: {parallelism: 1}}',
      '  same:', '    image: same:1', '    network_mode: "service:vpn"', '    restart: always', '    deploy: {replicas: 3}',
      'volumes: {cache: {}}', '',
    ].join('\n') });
    expect(find(objects, 'Deployment', 'vpn').spec.replicas).toBe(3);
    expect(warnings.filter((w) => w.includes('replica(s), but it runs in the pod'))).toEqual([
      expect.stringContaining('services.agent.scale: "agent" asks for 2 replica(s), but it runs in the pod of "vpn", which runs 3; set the count on "vpn"'),
    ]);
    // Its restart and rollout settings are the pod's too; a setting equal to the host's changes nothing.
    expect(warnings.filter((w) => / of "(agent|same)" is dropped/.test(w))).toEqual([
      expect.stringContaining('services.agent.restart: restart of "agent" is dropped: its container restarts and rolls out with the pod of "vpn" (set it on "vpn")'),
      expect.stringContaining('services.agent.deploy.update_config: deploy.update_config of "agent" is dropped'),
    ]);
    // No note speaks of a workload the sidecar does not have.
    expect(warnings.filter((w) => /services\.(agent|same)\./.test(w) && /replicas share|always restarts|rolling update|a bare Pod/.test(w))).toEqual([]);
  });

  test('service:X naming a service that is itself a sidecar is an error at the key', () => {
    expect(() => convert({ 'c.yml': 'services:\n  a:\n    image: a:1\n    network_mode: "service:b"\n  b:\n    image: b:1\n    network_mode: "service:a"\n' })).toThrow(/services.a.network_mode: network_mode "service:b" names no service that runs its own pod/);
  });
});

describe('item 9: names that must keep resolving', () => {
  test('link aliases, network aliases and container_name become Services on the same pods; invalid ones warn naming the alias', () => {
    const { objects, warnings } = convert({ 'c.yml': [
      'services:', '  db:', '    image: postgres:16', '    expose: ["5432"]', '    container_name: my-postgres', '    networks: {default: {aliases: [database, "Bad_Alias"]}}',
      '  web:', '    image: nginx:1.27', '    links: ["db:pg"]', '',
    ].join('\n') });
    for (const alias of ['my-postgres', 'database', 'pg']) {
      expect(find(objects, 'Service', alias).spec).toEqual({ type: 'ClusterIP', selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] });
    }
    expect(warnings.some((w) => w.includes('network alias "Bad_Alias" is not a valid Service name'))).toBe(true);
  });
});

describe('item 10: volumes', () => {
  test('a Deployment with a ReadWriteOnce claim recreates; replicas > 1 sharing it warn', () => {
    const { objects, warnings } = convert({ 'c.yml': 'services:\n  db:\n    image: postgres:16\n    volumes: [pg:/data]\n    deploy: {replicas: 2}\nvolumes: {pg: {}}\n' });
    expect(find(objects, 'Deployment', 'db').spec.strategy).toEqual({ type: 'Recreate' });
    expect(warnings.some((w) => w.includes('2 replicas share the ReadWriteOnce claim pg'))).toBe(true);
  });

  test('relative file -> ConfigMap (subPath), empty/missing data folder -> claim, absolute path -> hostPath with a warning, Windows path -> hostPath', () => {
    const { objects, warnings } = convert({
      'c.yml': 'services:\n  web:\n    image: nginx:1.27\n    volumes: ["./site.conf:/etc/nginx/conf.d/site.conf:ro", "./data:/var/lib/data", "/var/log:/host-log:ro", "C:\\\\logs:/logs"]\n',
      'site.conf': 'server {}\n',
    });
    const pod = podOf(objects, 'web');
    expect(pod.volumes).toEqual([
      { name: 'config-0-web-bind-0', configMap: { name: expect.stringMatching(/^web-bind-0-/), items: [{ key: 'site.conf', path: 'site.conf' }] } },
      { name: 'bind-1', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'host-2', hostPath: { path: '/var/log' } },
      { name: 'host-3', hostPath: { path: 'C:\\logs' } },
    ]);
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata?.name === 'web-data')).toBe(true);
    expect(warnings.some((w) => w.includes('bind mount /var/log becomes a hostPath volume'))).toBe(true);
    expect(warnings.some((w) => w.includes('C:\\logs is a Windows host path'))).toBe(true);
  });

  test('a file secret and an external secret share /run/secrets, each file mounted alone; secret files default to 0444', () => {
    const { objects } = convert({
      'c.yml': 'services:\n  app:\n    image: a:1\n    secrets: [db_pw, api_token]\nsecrets:\n  db_pw: {file: ./pw.txt}\n  api_token: {external: true}\n', 'pw.txt': 'pw\n',
    });
    const c = podOf(objects, 'app').containers[0];
    expect(c.volumeMounts.map((m: any) => `${m.mountPath} ${m.subPath}`)).toEqual(['/run/secrets/db_pw db_pw', '/run/secrets/api_token api_token']);
    expect(podOf(objects, 'app').volumes.map((v: any) => v.secret.defaultMode)).toEqual([0o444, 0o444]);
  });
});

describe('pod extras through cdk8s', () => {
  test('fields whose L1 prop name differs (hostPID, hostIPC) and sidecar quantities reach the YAML', () => {
    const { objects } = convert({ 'c.yml': [
      'services:', '  app:', '    image: a:1', '    pid: host', '    ipc: host', '    expose: ["80"]',
      '  side:', '    image: b:1', '    network_mode: "service:app"', '    tmpfs: ["/tmp:size=64m"]', '    deploy: {resources: {limits: {cpus: "0.5", memory: 256M}}}', '',
    ].join('\n') });
    const pod = podOf(objects, 'app');
    expect([pod.hostPID, pod.hostIPC]).toEqual([true, true]);
    expect(pod.containers[1].resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' } });
    expect(pod.volumes).toEqual([{ name: 'side-tmpfs-0', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }]);
  });
});

describe('item 12: all problems at once', () => {
  test('a service with a name clash, or without an image, still has its other problems reported in the same run', () => {
    let message = '';
    try {
      convert({ 'c.yml': 'services:\n  web_1:\n    image: a:1\n  web-1:\n    image: b:1\n    ports: ["99999:80"]\n  worker:\n    build: {}\n  nothing:\n    stop_grace_period: soon\n' });
    } catch (e) { message = (e as Error).message; }
    expect(message).toContain('both become the Kubernetes name "web-1"');
    expect(message).toContain('services.web-1.ports.0:');
    expect(message).toContain('services.nothing: service has neither image nor build');
    expect(message).toContain('services.nothing.stop_grace_period: "soon" is not a duration');
  });
});

describe('policy findings on a sidecar', () => {
  test('are reported at the compose service that became the sidecar, not the pod\'s service', () => {
    const { app, chart } = convert({ 'c.yml': 'services:\n  vpn:\n    image: v:1\n    expose: ["80"]\n  side:\n    image: s:1\n    network_mode: "service:vpn"\n    privileged: true\n' });
    const report = composePolicyProblems(app.project, app.plan, checkApp(chart.node.scope as never));
    const privileged = [...report.errors, ...report.warnings].filter((p) => p.message.includes('is privileged'));
    expect(privileged.map((p) => `${p.where.replace(/^.*\//, '')} ${p.message.split(':')[0]}`)).toEqual(['c.yml:8:5 services.side.privileged']);
  });
});

describe('inline config and secret content (the loader resolves content: and environment:)', () => {
  test('content becomes the file, through the model (the schema on main does not accept the key yet)', () => {
    const { planCompose } = require('../../lib/compose/plan') as typeof import('../../lib/compose/plan');
    const plan = planCompose({
      name: 'p', dir: '/tmp', files: ['/tmp/c.yml'], locations: {}, networks: {}, volumes: {},
      services: { web: { image: 'nginx:1.27', configs: [{ source: 'site', target: '/etc/nginx/conf.d/site.conf' }], secrets: ['token'] } },
      configs: { site: { content: 'server { listen 80; }\n' } },
      secrets: { token: { content: 'abc123' } },
    });
    expect(plan.errors).toEqual([]);
    expect(plan.sources.map((s) => [s.kind, s.data])).toEqual([['AppConfig', { 'site.conf': 'server { listen 80; }\n' }], ['AppSecret', { token: 'abc123' }]]);
  });
});

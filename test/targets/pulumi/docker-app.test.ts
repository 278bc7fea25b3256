import { byName, installMocks, isSecret, ofType, registered, resetRecords, setStateFor, settle, valueOf } from './harness';
installMocks();
import { DockerApp, publishedServices } from '../../../lib/targets/pulumi/docker-app';
import { containerArgs, isSecretEnv, secretValues, toDuration, toMegabytes, toPermissions } from '../../../lib/targets/pulumi/docker-args';
import { planDocker } from '../../../lib/targets/docker/planner';
import { DockyardError } from '../../../lib/core/errors';
import { KubeObject } from '../../../lib/core/manifests';

/** GIVEN journey 3's RabbitMQ plus a config file and a secret: what the Docker planner reads. */
function objects(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rabbit-conf' }, data: { 'rabbitmq.conf': 'loopback_users = none\n' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rabbit-auth' }, stringData: { password: 'hunter2-pass' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rabbitmq' },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'rabbitmq' } },
        template: {
          metadata: { labels: { app: 'rabbitmq' } },
          spec: {
            hostname: 'my-rabbit',
            containers: [{
              name: 'rabbitmq', image: 'rabbitmq:3.8-management',
              ports: [{ containerPort: 5672 }, { containerPort: 15672 }],
              env: [
                { name: 'RABBITMQ_DEFAULT_USER', value: 'user' },
                { name: 'RABBITMQ_DEFAULT_PASS', valueFrom: { secretKeyRef: { name: 'rabbit-auth', key: 'password' } } },
                { name: 'RABBITMQ_DEFAULT_VHOST', value: 'vhost' },
              ],
              volumeMounts: [{ name: 'conf', mountPath: '/etc/rabbitmq' }, { name: 'auth', mountPath: '/run/secrets' }],
              readinessProbe: { tcpSocket: { port: 5672 }, periodSeconds: 10, timeoutSeconds: 2, initialDelaySeconds: 5, failureThreshold: 3 },
              resources: { limits: { memory: '512Mi', cpu: '500m' } },
            }],
            volumes: [{ name: 'conf', configMap: { name: 'rabbit-conf' } }, { name: 'auth', secret: { secretName: 'rabbit-auth' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'rabbitmq' },
      spec: { type: 'LoadBalancer', selector: { app: 'rabbitmq' }, ports: [{ name: 'amqp', port: 5672 }, { name: 'mgmt', port: 15672 }] },
    },
  ];
}

beforeEach(() => { resetRecords(); setStateFor(undefined); });

describe('docker-args (pure)', () => {
  test('unit conversions', () => {
    expect(toDuration(10e9)).toBe('10s');
    expect(toDuration(1.5e9)).toBe('1500ms');
    expect(toMegabytes(512 * 1024 * 1024)).toBe(512);
    expect(toMegabytes(1)).toBe(1);
    expect(toPermissions(0o400)).toBe('0400');
    expect(toPermissions(0o644)).toBe('0644');
  });

  test('secret detection works on resolved values', () => {
    const s = secretValues(objects());
    expect(s).toEqual(['hunter2-pass']);
    expect(isSecretEnv('RABBITMQ_DEFAULT_PASS=hunter2-pass', s)).toBe(true);
    expect(isSecretEnv('URL=amqp://user:hunter2-pass@host', s)).toBe(true);
    expect(isSecretEnv('RABBITMQ_DEFAULT_USER=user', s)).toBe(false);
  });

  test('containerArgs translates the planned container field by field', () => {
    const plan = planDocker(objects(), { project: 'it', publishAddress: '127.0.0.1' });
    const args = containerArgs(plan.containers[0]) as any;
    expect(args.name).toBe('it-rabbitmq-1');
    expect(args.hostname).toBe('my-rabbit');
    expect(args.ports).toEqual([
      { internal: 5672, external: 5672, ip: '127.0.0.1', protocol: 'tcp' },
      { internal: 15672, external: 15672, ip: '127.0.0.1', protocol: 'tcp' },
    ]);
    expect(args.healthcheck).toEqual({ tests: expect.arrayContaining([expect.stringContaining('5672')]), interval: '10s', timeout: '2s', startPeriod: '5s', retries: 3 });
    expect(args.memory).toBe(512);
    expect(args.cpus).toBe('0.5');
    expect(args.restart).toBe('always');
    expect(args.labels).toContainEqual({ label: 'dev.dockyard.project', value: 'it' });
  });

  test('containerArgs: hostPID/hostIPC (host namespaces, behind the policy opt-in) become pidMode/ipcMode, as in the Engine API apply', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: { hostPID: true, hostIPC: true, containers: [{ name: 'debug', image: 'busybox:1.36' }] } };
    const plan = planDocker([pod] as KubeObject[], { project: 'it', allowPrivileged: true });
    const args = containerArgs(plan.containers[0]) as any;
    expect(args.pidMode).toBe('host');
    expect(args.ipcMode).toBe('host');
    const plain = containerArgs(planDocker([{ ...pod, spec: { containers: pod.spec.containers } }] as KubeObject[], { project: 'it' }).containers[0]) as any;
    expect(plain).not.toHaveProperty('pidMode');
    expect(plain).not.toHaveProperty('ipcMode');
  });
});

describe('DockerApp', () => {
  test('GIVEN a plan WHEN run THEN network, image, container are registered under the component on one provider', async () => {
    setStateFor((a) => (a.type === 'docker:index/remoteImage:RemoteImage' ? { imageId: `sha256:${a.inputs.name}` } : a.type === 'docker:index/container:Container'
      ? { networkDatas: [{ networkName: 'it', ipAddress: '172.18.0.2' }] } : undefined));
    const app = new DockerApp('it', { objects: objects(), publishAddress: '127.0.0.1', host: 'unix:///tmp/docker.sock' });
    await settle();
    const component = ofType('dockyard:pulumi:DockerApp')[0];
    const provider = byName('it-docker');
    expect(provider.type).toBe('pulumi:providers:docker');
    expect(provider.inputs.host).toBe('unix:///tmp/docker.sock');

    const network = byName('it-it');
    expect(network.type).toBe('docker:index/network:Network');
    expect(network.inputs).toMatchObject({ name: 'it', driver: 'bridge' });
    const image = byName('it-rabbitmq:3.8-management');
    expect(image.type).toBe('docker:index/remoteImage:RemoteImage');
    expect(image.inputs).toEqual({ name: 'rabbitmq:3.8-management', keepLocally: true });

    const c = byName('it-it-rabbitmq-1');
    expect(c.type).toBe('docker:index/container:Container');
    for (const r of [network, image, c]) {
      expect(r.parent).toBe(component.urn);
      expect(r.provider.startsWith(`${provider.urn}::`)).toBe(true);
    }
    expect(c.inputs.image).toBe('sha256:rabbitmq:3.8-management');
    expect(c.inputs.envs).toEqual(['RABBITMQ_DEFAULT_USER=user', 'RABBITMQ_DEFAULT_PASS=hunter2-pass', 'RABBITMQ_DEFAULT_VHOST=vhost']);
    expect(c.inputs.networksAdvanced).toEqual([{ name: 'it', aliases: ['my-rabbit', 'rabbitmq'] }]);
    expect(c.inputs.restart).toBe('always');
    expect(c.inputs.uploads).toEqual([
      { file: '/etc/rabbitmq/rabbitmq.conf', contentBase64: Buffer.from('loopback_users = none\n').toString('base64'), permissions: '0644', owner: '0', group: '0' },
      { file: '/run/secrets/password', contentBase64: Buffer.from('hunter2-pass').toString('base64'), permissions: '0400', owner: '0', group: '0' },
    ]);
    // It is exactly what `dockyard deploy --docker` would create: same names, same plan.
    expect(app.plan).toEqual(planDocker(objects(), { project: 'it', publishAddress: '127.0.0.1' }));
    expect(app.published).toEqual([{ service: 'Service/default/rabbitmq', bindings: ['127.0.0.1:15672->15672/tcp', '127.0.0.1:5672->5672/tcp'] }]);
    expect(await valueOf(app.addresses)).toEqual({ 'it-rabbitmq-1': '172.18.0.2' });
  });

  test('secrets: the secret env entry and the secret file are sent as Pulumi secrets; config stays plain', async () => {
    const app = new DockerApp('it', { objects: objects() });
    await settle();
    const c = byName('it-it-rabbitmq-1');
    expect(c.secretPaths.sort()).toEqual(['envs[1]', 'uploads[1].contentBase64']);
    expect(await isSecret((app.containers['it-rabbitmq-1'] as any).envs)).toBe(true);
  });

  test('a pod with two containers: the second shares the first one\'s network and waits for it', async () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox:1.36' }] } };
    new DockerApp('p', { objects: [pod] });
    await settle();
    const main = byName('p-p-web-1');
    const side = byName('p-p-web-1-log');
    expect(side.inputs.networkMode).toBe('container:p-web-1');
    expect(side.inputs.networksAdvanced).toBeUndefined();
    expect(side.dependencies).toContain(main.urn);
    expect(ofType('docker:index/remoteImage:RemoteImage').map((r) => r.inputs.name).sort()).toEqual(['busybox:1.36', 'nginx:1.27']);
  });

  test('a PVC becomes a named Volume the container depends on', async () => {
    const objs: KubeObject[] = [
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db' }, spec: { containers: [{ name: 'db', image: 'postgres:16', volumeMounts: [{ name: 'd', mountPath: '/var/lib/postgresql/data' }] }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } },
    ];
    new DockerApp('v', { objects: objs });
    await settle();
    const vol = byName('v-v-data');
    expect(vol.type).toBe('docker:index/volume:Volume');
    expect(vol.inputs.name).toBe('v-data');
    const db = byName('v-v-db-1');
    expect(db.inputs.mounts).toEqual([{ type: 'volume', target: '/var/lib/postgresql/data', readOnly: false, source: 'v-data' }]);
    expect(db.dependencies).toContain(vol.urn);
  });

  test('what the planner rejects fails before anything is registered, with its own message', () => {
    const cron: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } } } };
    expect(() => new DockerApp('x', { objects: [cron] })).toThrow(DockyardError);
    expect(() => new DockerApp('x', { objects: [cron] })).toThrow(/CronJob cannot run on a Docker host/);
    let err: DockyardError | undefined;
    try { new DockerApp('x', {}); } catch (e) { err = e as DockyardError; }
    expect(err?.problems).toEqual([{ where: 'DockerApp x', message: 'has nothing to run (no chart, no objects)', fix: 'pass chart: yourChart or objects: [...]' }]);
    expect(registered.filter((r) => r.type.startsWith('docker:'))).toEqual([]);
  });

  test('publishedServices groups bindings per Service', () => {
    const plan = planDocker(objects(), { project: 'it' });
    expect(publishedServices(plan)).toEqual([{ service: 'Service/default/rabbitmq', bindings: ['0.0.0.0:15672->15672/tcp', '0.0.0.0:5672->5672/tcp'] }]);
  });
});

import { DockyardError } from '../../../lib/core/errors';
import { KubeObject, loadManifests } from '../../../lib/core/manifests';
import { LABELS } from '../../../lib/targets/docker/plan';
import { planDocker } from '../../../lib/targets/docker/planner';

const FIXTURE = `${__dirname}/fixtures/web.yaml`;

function deployment(name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...extra },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'img:1', ...spec }] } } },
  };
}
const configMap = (name: string, data: Record<string, string>, namespace?: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace ? { namespace } : {}) }, data });
const service = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ...spec } });

function planError(objects: KubeObject[], opts: Record<string, unknown> = {}): DockyardError {
  try { planDocker(objects, { project: 'p', ...opts }); } catch (e) { if (e instanceof DockyardError) return e; throw e; }
  throw new Error('expected planDocker to throw');
}

describe('planDocker', () => {
  test('GIVEN the web fixture WHEN planned THEN replicas, env, files, aliases and a proxy come out', () => {
    const plan = planDocker(loadManifests([FIXTURE]), { project: 'demo', publishAddress: '127.0.0.1', proxyImage: 'relay:1' });
    expect(plan.networks.map((n) => n.name)).toEqual(['demo']);
    expect(plan.containers.map((c) => c.name)).toEqual(['demo-web-1', 'demo-web-2', 'demo-web-proxy']);
    const web = plan.containers[0];
    expect(web.env).toEqual(['GREETING=hello', 'MESSAGE=hello world']);
    expect(web.entrypoint).toEqual(['httpd', '-f', '-p', '8080', '-h', '/www']);
    expect(web.cmd).toBeUndefined();
    expect(web.aliases).toEqual(['web']);
    expect(web.ports).toEqual([]);
    expect(web.files.map((f) => [f.path, f.mode])).toEqual([['/etc/secret/token', 0o400], ['/www/index.html', 0o644]]);
    expect(Buffer.from(web.files[0].contentBase64, 'base64').toString()).toBe('s3cret');
    expect(web.resources).toEqual({ memoryBytes: 64 * 2 ** 20, nanoCpus: 5e8 });
    expect(web.restart).toEqual({ name: 'always', maximumRetryCount: 0 });
    expect(web.healthcheck?.test[1]).toContain('http://127.0.0.1:8080/');
    expect(web.stopTimeoutSeconds).toBe(1);
    expect(web.labels).toMatchObject({ app: 'web', [LABELS.project]: 'demo', [LABELS.object]: 'Deployment/default/web', [LABELS.hash]: web.hash });
    const proxy = plan.containers[2];
    expect(proxy.role).toBe('proxy');
    expect(proxy.image).toBe('relay:1');
    expect(proxy.entrypoint!.slice(0, 7)).toEqual(['nc', '-ll', '-p', '18081', '-e', 'sh', '-c']);
    // Each connection goes to an address of the Service alias whose reverse name is a replica in rotation;
    // retiring (.old) and unpromoted (.next) replicas on the project network are tried last.
    const relay = proxy.entrypoint![7];
    expect(relay).toContain('busybox nslookup web ');
    expect(relay).toContain('*".old.demo"*|*".next.demo"*) later="$later $a";;');
    expect(relay).toContain('*"name = "*) nc $a 8080 && exit 0;;');
    // A relay image without busybox's nslookup connects to the alias itself.
    expect(relay).toContain('[ -z "$all" ] && nc web 8080 && exit 0');
    expect(relay).not.toMatch(/\{(host|port|network|listenPort)\}/);
    expect(proxy.ports).toEqual([{ containerPort: 18081, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18081, service: 'Service/default/web' }]);
    expect(plan.warnings.map((w) => w.message).join('\n')).toContain('connect to port 8080 (targetPort), not 18081');
  });

  test('is deterministic: the same input gives the same plan, a config change gives a new hash', () => {
    const a = planDocker(loadManifests([FIXTURE]), { project: 'demo' });
    const b = planDocker(loadManifests([FIXTURE]), { project: 'demo' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const objs = loadManifests([FIXTURE]).map((l) => l.object);
    (objs[0] as any).data.GREETING = 'bonjour';
    const c = planDocker(objs, { project: 'demo' });
    expect(c.containers[0].env[0]).toBe('GREETING=bonjour');
    expect(c.containers[0].hash).not.toBe(a.containers[0].hash);
    expect(c.containers[2].hash).toBe(a.containers[2].hash); // the proxy does not read the ConfigMap
  });

  test('a single-replica published Service binds the pod directly, no proxy', () => {
    const plan = planDocker([deployment('api', { ports: [{ containerPort: 4000 }] }), service('api', { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 4000 }] })], { project: 'p' });
    expect(plan.containers.map((c) => c.name)).toEqual(['p-api-1']);
    expect(plan.containers[0].ports).toEqual([{ containerPort: 4000, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 80, service: 'Service/default/api' }]);
  });

  test('NodePort publishes nodePort; ClusterIP publishes nothing', () => {
    const plan = planDocker([
      deployment('a', {}), service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      deployment('b', {}), service('b', { ports: [{ port: 80 }] }),
    ], { project: 'p' });
    expect(plan.containers.find((c) => c.name === 'p-a-1')!.ports.map((b) => b.hostPort)).toEqual([30080]);
    expect(plan.containers.find((c) => c.name === 'p-b-1')!.ports).toEqual([]);
    expect(plan.containers.find((c) => c.name === 'p-b-1')!.aliases).toEqual(['b']);
  });

  test('namespaces get their own network and name prefix; ConfigMaps are looked up per namespace', () => {
    const d = deployment('web', { envFrom: [{ configMapRef: { name: 'cfg' } }] }, { namespace: 'staging' });
    const e = planError([d, configMap('cfg', { A: '1' })]);
    expect(e.message).toContain('reads ConfigMap "cfg", which is not in namespace "staging"');
    expect(e.message).toContain('exists in namespace "default"');
    const plan = planDocker([d, configMap('cfg', { A: '1' }, 'staging')], { project: 'p' });
    expect(plan.containers[0].name).toBe('p-staging-web-1');
    expect(plan.containers[0].network).toBe('p-staging');
    expect(plan.containers[0].env).toEqual(['A=1']);
  });

  test('optional references may be missing; required ones fail naming object, container and key', () => {
    const ok = planDocker([deployment('w', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } }] })], { project: 'p' });
    expect(ok.containers[0].env).toEqual([]);
    const e = planError([configMap('cfg', { a: '1' }), deployment('w', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'missing' } } }] })]);
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].where).toContain('Deployment/w');
    expect(e.problems[0].where).toContain('env[0] X');
    expect(e.problems[0].message).toContain('key "missing" of ConfigMap "cfg"');
  });

  test('$(VAR) expansion in command and args uses the container env; $$ escapes', () => {
    const plan = planDocker([deployment('w', { env: [{ name: 'PORT', value: '4000' }], command: ['serve', '-p', '$(PORT)'], args: ['$$(PORT)', '$(UNKNOWN)'] })], { project: 'p' });
    expect(plan.containers[0].entrypoint).toEqual(['serve', '-p', '4000']);
    expect(plan.containers[0].cmd).toEqual(['$(PORT)', '$(UNKNOWN)']);
  });

  test('unsupported kinds are one error naming each object, or warnings with skipUnsupported', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'in' }, spec: {} };
    const cr = { apiVersion: 'example.com/v1', kind: 'PodService', metadata: { name: 'ps' }, spec: {} };
    const e = planError([ingress, cr, deployment('w', {})]);
    expect(e.problems.map((p) => p.where)).toEqual(['Ingress/in', 'PodService/ps']);
    expect(e.message).toContain('cannot run on a Docker host');
    expect(e.problems[0].fix).toContain('--skip-unsupported');
    const plan = planDocker([ingress, cr, deployment('w', {})], { project: 'p', skipUnsupported: true });
    expect(plan.containers).toHaveLength(1);
    expect(plan.warnings.filter((w) => /skipped/.test(w.message))).toHaveLength(2);
  });

  test('the Docker socket and privileged containers are refused unless allowed', () => {
    const sock = deployment('ci', { volumeMounts: [{ name: 's', mountPath: '/var/run/docker.sock' }], securityContext: { privileged: true } });
    (sock.spec as any).template.spec.volumes = [{ name: 's', hostPath: { path: '/var/run/docker.sock' } }];
    const e = planError([sock]);
    expect(e.problems.map((p) => p.message).join('\n')).toMatch(/Docker socket[\s\S]*privileged/);
    expect(e.message).toContain('--allow-docker-socket');
    const plan = planDocker([sock], { project: 'p', allowDockerSocket: true, allowPrivileged: true });
    expect(plan.containers[0].mounts).toEqual([{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false }]);
    expect(plan.containers[0].privileged).toBe(true);
  });

  test('two Services on one host port and a bad project name are errors', () => {
    const e = planError([deployment('a', {}), service('a', { type: 'LoadBalancer', ports: [{ port: 80 }] }), deployment('b', {}), service('b', { type: 'LoadBalancer', ports: [{ port: 80 }] })]);
    expect(e.message).toContain('publishes host port 0.0.0.0:80/tcp, which Service/default/a publishes too');
    expect(() => planDocker([], { project: 'Bad_Name' })).toThrow(/--project/);
  });

  test('pods, DaemonSets, restart policies, security context and PVCs map to Docker settings', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'job', labels: { app: 'job' } }, spec: {
      restartPolicy: 'Never', hostname: 'worker', securityContext: { runAsUser: 1000, fsGroup: 2000 },
      containers: [{ name: 'main', image: 'img:1', securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }, volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cache', mountPath: '/cache' }] },
        { name: 'side', image: 'img:2' }],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }, { name: 'cache', emptyDir: { medium: 'Memory' } }],
    } };
    const pvc: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'agent', image: 'a:1' }] } } } };
    const plan = planDocker([pod, pvc, ds], { project: 'p' });
    expect(plan.volumes.map((v) => v.name)).toEqual(['p-data']);
    const [agent, main, side] = plan.containers;
    expect(agent.name).toBe('p-agent-1');
    expect(main).toMatchObject({ name: 'p-job-1', hostname: 'worker', user: '1000', readOnly: true, capAdd: ['NET_BIND_SERVICE'], capDrop: ['ALL'], restart: { name: 'no', maximumRetryCount: 0 } });
    expect(main.mounts).toEqual([{ type: 'tmpfs', source: '', target: '/cache', readOnly: false }, { type: 'volume', source: 'p-data', target: '/data', readOnly: false }]);
    expect(side).toMatchObject({ name: 'p-job-1-side', networkMode: 'container:p-job-1', network: undefined, pod: 'p-job-1' });
    expect(side.labels[LABELS.podHash]).toBe(main.hash);
  });
  test('lossy fields are warnings, reported once however many replicas', () => {
    const d = deployment('w', { lifecycle: { preStop: { exec: { command: ['x'] } } }, livenessProbe: { tcpSocket: { port: 80 } }, env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] });
    (d.spec as any).replicas = 3;
    (d.spec as any).template.spec.hostAliases = [{ ip: '127.0.0.1', hostnames: ['db'] }];
    const plan = planDocker([d], { project: 'p' });
    expect(plan.containers).toHaveLength(3);
    expect(plan.warnings.map((w) => `${w.where}: ${w.message}`)).toEqual([
      'Deployment/w spec.template.spec.hostAliases: hostAliases is not mapped on Docker: no /etc/hosts entries are added',
      'Deployment/w spec.template.spec.containers[0] ("w") lifecycle: postStart/preStop hooks are not run on Docker',
      'Deployment/w spec.template.spec.containers[0] ("w") livenessProbe: becomes the healthcheck, but Docker never restarts an unhealthy container',
      'Deployment/w spec.template.spec.containers[0] ("w") env[0] IP: fieldRef status.podIP is not known before the container starts on Docker; variable left unset',
    ]);
  });
});

describe('planDocker review fixes', () => {
  test('a --publish-address that is not an IP address is an error naming the flag, not a bind on every interface', () => {
    const objs = [deployment('api', { ports: [{ containerPort: 4000 }] }), service('api', { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 4000 }] })];
    for (const bad of ['localhost', '127.0.0.1:8080', '', 'not an ip']) {
      const e = planError(objs, { publishAddress: bad });
      expect(e.problems).toHaveLength(1);
      expect(e.problems[0].where).toBe('--publish-address');
      expect(e.problems[0].message).toBe(`"${bad}" is not an IP address`);
      expect(e.problems[0].fix).toContain('--publish-address 127.0.0.1');
    }
    expect(planDocker(objs, { project: 'p', publishAddress: '::1' }).containers[0].ports[0].hostIp).toBe('::1');
  });

  test('a container port hostIP that is not an IP address is an error naming the object and the field', () => {
    const e = planError([deployment('api', { ports: [{ containerPort: 4000, hostPort: 4000, hostIP: 'my-host' }] })]);
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0].where).toBe('Deployment/api spec.template.spec.containers[0] ("api") ports[0].hostIP');
    expect(e.problems[0].message).toBe('hostIP "my-host" is not an IP address');
    expect(e.problems[0].fix).toContain('127.0.0.1');
    const ok = planDocker([deployment('api', { ports: [{ containerPort: 4000, hostPort: 4000, hostIP: '127.0.0.1' }] })], { project: 'p' });
    expect(ok.containers[0].ports).toEqual([{ containerPort: 4000, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 4000, service: 'Deployment/default/api' }]);
  });

  test('hostPath folders that hold an engine socket (/var, /run/dockyard, /proc, the DOCKER_HOST socket folder) are refused', () => {
    const pod = (paths: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {
      containers: [{ name: 'c', image: 'i', volumeMounts: paths.map((_, i) => ({ name: `v${i}`, mountPath: `/m${i}` })) }],
      volumes: paths.map((path, i) => ({ name: `v${i}`, hostPath: { path } })),
    } });
    const e = planError([pod(['/run/dockyard', '/var', '/proc', '/opt/engine', '/srv/www'])], { dockerHostSocket: '/opt/engine/d.sock' });
    expect(e.problems.map((p) => p.where)).toEqual([0, 1, 2, 3].map((i) => `Pod/p spec.volumes[${i}].hostPath.path`));
    expect(e.problems[3].message).toContain('volume "v3" mounts /opt/engine from the host, which exposes the Docker socket (it holds /opt/engine/d.sock): the container would control the whole host');
    expect(planDocker([pod(['/opt/engine', '/srv/www'])], { project: 'p' }).containers[0].mounts.map((m) => m.source)).toEqual(['/opt/engine', '/srv/www']);
  });

  test('negative replicas are an error (Kubernetes refuses them), not 0 pods that would remove every running one', () => {
    const d = deployment('web', {});
    (d.spec as any).replicas = -1;
    const e = planError([d]);
    expect(e.problems).toEqual([{ where: 'Deployment/web spec.replicas', message: 'replicas -1 is not a whole number of 0 or more', fix: 'use 0 or more (0 stops every pod)' }]);
    (d.spec as any).replicas = 0;
    expect(planDocker([d], { project: 'p' }).containers).toEqual([]);
  });

  test('hostPID/hostIPC need --allow-privileged and then map to PidMode/IpcMode host on every container of the pod', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'top' }, spec: { hostPID: true, hostIPC: true, containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }] } };
    const e = planError([pod]);
    expect(e.problems.map((p) => [p.where, p.message])).toEqual([
      ['Pod/top spec.hostPID', "hostPID: true shares the host's process namespace"],
      ['Pod/top spec.hostIPC', "hostIPC: true shares the host's IPC namespace (shared memory, semaphores)"],
    ]);
    const plan = planDocker([pod], { project: 'p', allowPrivileged: true });
    expect(plan.containers.map((c) => [c.name, c.pidMode, c.ipcMode])).toEqual([['p-top-1', 'host', 'host'], ['p-top-1-b', 'host', 'host']]);
    const plain = planDocker([{ ...pod, spec: { containers: [{ name: 'a', image: 'i' }] } }], { project: 'p' });
    expect('pidMode' in plain.containers[0] || 'ipcMode' in plain.containers[0]).toBe(false); // hashes of existing pods unchanged
  });

  test('rollout budget as Kubernetes resolves it: 25%/25% by default (surge rounded up, unavailability down), strategy values, DaemonSet 0/1, Recreate', () => {
    const d = deployment('web', {});
    (d.spec as any).replicas = 8;
    expect(planDocker([d], { project: 'p' }).updates).toEqual([{ object: 'Deployment/default/web', parallelism: 2, maxSurge: 2, maxUnavailable: 2, recreate: false }]);
    (d.spec as any).replicas = 3;
    expect(planDocker([d], { project: 'p' }).updates[0]).toMatchObject({ maxSurge: 1, maxUnavailable: 0, parallelism: 1 });
    (d.spec as any).strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '50%' } };
    const plan = planDocker([d], { project: 'p' });
    expect(plan.updates[0]).toMatchObject({ maxSurge: 2, maxUnavailable: 0 });
    expect(plan.warnings).toEqual([]); // surge makes maxUnavailable 0 possible
    (d.spec as any).strategy = { type: 'Recreate' };
    expect(planDocker([d], { project: 'p' }).updates[0].recreate).toBe(true);
    const ds = { ...deployment('agent', {}), kind: 'DaemonSet' } as any;
    delete ds.spec.replicas;
    expect(planDocker([ds], { project: 'p' }).updates[0]).toMatchObject({ object: 'DaemonSet/default/agent', maxSurge: 0, maxUnavailable: 1 });
  });

  describe('ConfigMap binaryData (as Kubernetes reads it)', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
    const site: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site' }, data: { MODE: 'prod' }, binaryData: { 'favicon.ico': bytes.toString('base64') } };
    const mounted = { volumeMounts: [{ name: 'site', mountPath: '/www' }], envFrom: [{ configMapRef: { name: 'site' } }] };
    const withVolume = (spec: Record<string, unknown>) => {
      const d = deployment('web', spec) as any;
      d.spec.template.spec.volumes = [{ name: 'site', configMap: { name: 'site' } }];
      return d as KubeObject;
    };

    test('GIVEN binaryData WHEN mounted THEN the file has the exact bytes, and envFrom takes data keys only', () => {
      const [web] = planDocker([site, withVolume(mounted)], { project: 'p' }).containers;
      const file = web.files.find((f) => f.path === '/www/favicon.ico')!;
      expect(Buffer.from(file.contentBase64, 'base64')).toEqual(bytes);
      expect(web.files.map((f) => f.path).sort()).toEqual(['/www/MODE', '/www/favicon.ico']);
      expect(web.env).toEqual(['MODE=prod']);
    });

    test('GIVEN an env var from a binaryData key THEN the plan fails naming the key, as the kubelet would', () => {
      const e = planError([site, deployment('web', { env: [{ name: 'ICON', valueFrom: { configMapKeyRef: { name: 'site', key: 'favicon.ico' } } }] })]);
      expect(e.message).toContain('reads key "favicon.ico" of ConfigMap "site", which is in binaryData');
      expect(e.message).toContain('mount the key as a file');
    });
  });
});

import { planDocker } from '../../../lib/targets/docker/planner';
import { ContainerPlan } from '../../../lib/targets/docker/plan';
import { containerChanges, InspectedSpec, specDifferences } from '../../../lib/targets/docker/spec-changes';
import { firstTarFile, secretValuesOf } from '../../../lib/targets/docker/spec-read';
import { tarFiles } from '../../../lib/targets/docker/tar';

const objects = [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2-very-secret' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { 'app.conf': 'level=info' } },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api', tier: 'back' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [{
            name: 'api', image: 'shop/api:2', command: ['server'], args: ['--db-password=$(DB_PASSWORD)', '--port=8080'],
            env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
            ports: [{ containerPort: 8080 }],
            resources: { limits: { memory: '64Mi', cpu: '500m' }, requests: { memory: '32Mi', cpu: '250m' } },
            readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
            securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/app' }],
          }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }, { name: 'cfg', configMap: { name: 'cfg' } }],
        },
      },
    },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { type: 'NodePort', selector: { app: 'api' }, ports: [{ port: 8080, nodePort: 30080 }] } },
];
const plan = planDocker(objects as any, { project: 'unit', publishAddress: '127.0.0.1' });
const c: ContainerPlan = plan.containers.find((x) => x.name === 'unit-api-1')!;
const secrets = secretValuesOf(objects);
const IMAGE = { Env: ['PATH=/bin'], Labels: { 'org.opencontainers.image.title': 'api' }, Cmd: ['default'], ExposedPorts: { '9000/tcp': {} }, WorkingDir: '/srv', User: '' };

/** The inspect document the engine returns for a container deploy created from `p` (recorded shape). */
function inspectOf(p: ContainerPlan): InspectedSpec {
  const ports: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const b of p.ports) (ports[`${b.containerPort}/${b.protocol}`] ??= []).push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
  const hc = p.healthcheck!;
  return {
    Id: '0123456789abcdef', Name: `/${p.name}`,
    Config: {
      Image: p.image, Env: [...p.env, 'PATH=/bin'], Entrypoint: p.entrypoint ?? null, Cmd: p.cmd ?? (p.entrypoint ? null : IMAGE.Cmd), Labels: { ...p.labels, 'org.opencontainers.image.title': 'api' },
      Healthcheck: { Test: hc.test, Interval: hc.intervalNs, Timeout: hc.timeoutNs, Retries: hc.retries }, User: p.user ?? '', WorkingDir: p.workingDir ?? '/srv',
      Hostname: p.hostname, Tty: false, OpenStdin: false, StopTimeout: p.stopTimeoutSeconds, ExposedPorts: { ...Object.fromEntries(p.exposedPorts.map((x) => [x, {}])), '9000/tcp': {} },
    },
    HostConfig: {
      NetworkMode: 'f00dfeed', PortBindings: ports, Mounts: p.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ...(m.readOnly ? { ReadOnly: true } : {}) })),
      RestartPolicy: { Name: p.restart.name, MaximumRetryCount: p.restart.maximumRetryCount }, Memory: p.resources.memoryBytes ?? 0, MemoryReservation: p.resources.memoryReservationBytes ?? 0,
      NanoCpus: p.resources.nanoCpus ?? 0, CpuShares: p.resources.cpuShares ?? 0, ReadonlyRootfs: p.readOnly, CapAdd: p.capAdd, CapDrop: p.capDrop, Privileged: false, PidMode: '', IpcMode: 'private',
    },
    NetworkSettings: { Networks: { [p.network!]: { Aliases: [...p.aliases, '0123456789ab', p.name] } } },
  };
}
const files = (p: ContainerPlan, over: Record<string, Buffer | undefined> = {}) => new Map(p.files.map((f) => [f.path, f.path in over ? (over[f.path] === undefined ? undefined : { content: over[f.path]!, mode: f.mode, uid: f.uid, gid: f.gid }) : { content: Buffer.from(f.contentBase64, 'base64'), mode: f.mode, uid: f.uid, gid: f.gid }]));
const opts = { secretValues: secrets, image: IMAGE, files: files(c) };
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
/** The aspects found after changing the recorded container with `edit`. */
function aspectsAfter(edit: (d: Mutable<InspectedSpec>) => void, o = opts) {
  const d = JSON.parse(JSON.stringify(inspectOf(c))) as Mutable<InspectedSpec>;
  edit(d);
  return containerChanges(c, d, o);
}

describe('containerChanges: one aspect at a time', () => {
  test('GIVEN the container deploy made WHEN compared THEN nothing differs (engine-added aliases, image env/labels/ports ignored)', () => {
    expect(containerChanges(c, inspectOf(c), opts)).toEqual([]);
  });

  test.each([
    ['image', (d: any) => { d.Config.Image = 'shop/api:1'; }, 'image shop/api:1 -> shop/api:2'],
    ['command', (d: any) => { d.Config.Entrypoint = ['old-server']; }, 'command'],
    ['args', (d: any) => { d.Config.Cmd = ['--port=9090']; }, 'args'],
    ['env', (d: any) => { d.Config.Env = d.Config.Env.map((e: string) => (e.startsWith('LOG_LEVEL=') ? 'LOG_LEVEL=debug' : e)); }, 'env LOG_LEVEL'],
    ['ports', (d: any) => { d.HostConfig.PortBindings = { '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '30080' }] }; }, 'ports [0.0.0.0:30080->8080/tcp] -> [127.0.0.1:30080->8080/tcp]'],
    ['exposed ports', (d: any) => { d.Config.ExposedPorts = { '9000/tcp': {}, '7000/tcp': {} }; }, 'exposed ports'],
    ['mounts', (d: any) => { d.HostConfig.Mounts = []; }, 'mounts'],
    ['healthcheck', (d: any) => { d.Config.Healthcheck.Interval = 1e9; }, 'healthcheck'],
    ['resources', (d: any) => { d.HostConfig.Memory = 0; }, 'resources'],
    ['labels', (d: any) => { d.Config.Labels.tier = 'front'; }, 'labels tier'],
    ['restart policy', (d: any) => { d.HostConfig.RestartPolicy = { Name: 'unless-stopped', MaximumRetryCount: 0 }; }, 'restart policy unless-stopped -> always'],
    ['network', (d: any) => { d.NetworkSettings.Networks = { other: { Aliases: [] } }; }, 'network other -> unit'],
    ['network aliases', (d: any) => { d.NetworkSettings.Networks.unit.Aliases = ['0123456789ab']; }, 'network aliases [] -> [api]'],
    ['user', (d: any) => { d.Config.User = '0'; }, 'user "0" -> "1000"'],
    ['working dir', (d: any) => { d.Config.WorkingDir = '/tmp'; }, 'working dir "/tmp" -> "/srv"'],
    ['hostname', (d: any) => { d.Config.Hostname = 'x'; }, 'hostname "x" -> "unit-api-1"'],
    ['tty', (d: any) => { d.Config.Tty = true; }, 'tty true -> false'],
    ['stop grace period', (d: any) => { d.Config.StopTimeout = 30; }, 'stop grace period 30s -> 5s'],
    ['read-only root filesystem', (d: any) => { d.HostConfig.ReadonlyRootfs = false; }, 'read-only root filesystem false -> true'],
    ['privileged', (d: any) => { d.HostConfig.Privileged = true; }, 'privileged true -> false'],
    ['capabilities dropped', (d: any) => { d.HostConfig.CapDrop = []; }, 'capabilities dropped [] -> [ALL]'],
    ['pid mode', (d: any) => { d.HostConfig.PidMode = 'host'; }, 'pid mode "host" -> ""'],
  ])('%s', (aspect, edit, summary) => {
    const found = aspectsAfter(edit);
    expect(found.map((x) => x.aspect)).toEqual([aspect]);
    expect(found[0].summary).toBe(summary);
  });

  test('files: content, missing, mode; never the content itself', () => {
    const path = c.files[0].path;
    expect(aspectsAfter(() => undefined, { ...opts, files: files(c, { [path]: Buffer.from('level=debug') }) })).toEqual([{ aspect: 'files', summary: `files ${path}`, details: [`${path}: content`] }]);
    expect(aspectsAfter(() => undefined, { ...opts, files: files(c, { [path]: undefined }) })[0].details).toEqual([`${path}: missing`]);
    const moded = new Map([[path, { ...files(c).get(path)!, mode: 0o600 }]]);
    expect(aspectsAfter(() => undefined, { ...opts, files: moded })[0].details).toEqual([`${path}: mode 600 -> 644`]);
  });

  test('details say what changed inside an aspect', () => {
    expect(aspectsAfter((d: any) => { d.Config.Healthcheck = { ...d.Config.Healthcheck, Test: ['CMD', 'false'], Retries: 1 }; })[0].details).toEqual(['test ["CMD","false"] -> ["CMD","true"]', 'retries 1 -> 3']);
    expect(aspectsAfter((d: any) => { d.Config.Healthcheck = null; })[0].details).toEqual(['added']);
    expect(aspectsAfter((d: any) => { d.HostConfig.Memory = 0; d.HostConfig.NanoCpus = 1e9; })[0].details).toEqual(['memory limit none -> 64MiB', 'cpu limit 1 -> 0.5']);
    expect(aspectsAfter((d: any) => { d.HostConfig.Mounts = [{ Type: 'bind', Source: '/srv', Target: '/data' }]; })[0].details).toEqual(['+ volume (anonymous) -> /etc/app', '+ volume unit-data -> /data', '- bind /srv -> /data']);
    expect(aspectsAfter((d: any) => { d.Config.Env.push('OLD=1'); })[0]).toEqual({ aspect: 'env', summary: 'env OLD', details: ['OLD: removed'] });
  });
});

describe('secrets are never printed', () => {
  const secret = 'hunter2-very-secret';
  test('a secret-sourced env var is named without values; a plain one shows them', () => {
    const found = aspectsAfter((d: any) => { d.Config.Env = d.Config.Env.map((e: string) => (e.startsWith('DB_PASSWORD=') ? 'DB_PASSWORD=old-password-1' : e.startsWith('LOG_LEVEL=') ? 'LOG_LEVEL=debug' : e)); });
    const text = JSON.stringify(found);
    expect(found[0].summary).toBe('env LOG_LEVEL, DB_PASSWORD');
    expect(found[0].details).toEqual(['LOG_LEVEL: "debug" -> "info"', 'DB_PASSWORD: changed (value not shown: a Secret or credential)']);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('old-password-1');
  });

  test('args expanded from a Secret are masked, old and new', () => {
    const found = aspectsAfter((d: any) => { d.Config.Cmd = ['--db-password=old-password-1', '--port=8080']; d.Config.Env = d.Config.Env.map((e: string) => (e.startsWith('DB_PASSWORD=') ? 'DB_PASSWORD=old-password-1' : e)); });
    const args = found.find((x) => x.aspect === 'args')!;
    expect(args.details).toEqual(['["--db-password=***","--port=8080"] -> ["--db-password=***","--port=8080"]']);
    expect(JSON.stringify(found)).not.toMatch(/hunter2|old-password-1/);
  });

  test('without the Secret values (status), no env value, command or args text is shown at all', () => {
    const found = aspectsAfter((d: any) => { d.Config.Env = d.Config.Env.map((e: string) => (e.startsWith('LOG_LEVEL=') ? 'LOG_LEVEL=debug' : e)); d.Config.Cmd = ['x']; }, { image: IMAGE, files: files(c) } as any);
    expect(found.map((x) => [x.summary, x.details])).toEqual([['env LOG_LEVEL', ['LOG_LEVEL: changed (values are never shown here)']], ['args', []]]);
  });
});

describe('partial documents and the fallback', () => {
  test('a partial inspect document compares only what it holds', () => {
    expect(specDifferences(c, { Config: { Image: c.image, Env: c.env }, HostConfig: { Memory: c.resources.memoryBytes, NanoCpus: c.resources.nanoCpus, MemoryReservation: c.resources.memoryReservationBytes, CpuShares: c.resources.cpuShares } })).toEqual(['files or other settings']);
  });
  test('with files read and nothing visible differing, it says the hash alone differs', () => {
    expect(specDifferences(c, inspectOf(c), opts)).toEqual(['no setting differs, only the spec hash (it was planned by another Dockyard version)']);
  });
  test('a pod\'s second container shares the first one\'s network: no hostname, alias or network is compared', () => {
    const pod = planDocker([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'duo' }, spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }] } }] as any, { project: 'unit' });
    const side = pod.containers.find((x) => x.networkMode)!;
    const d = { ...inspectOf({ ...side, healthcheck: { test: [], intervalNs: 0, timeoutNs: 0, startPeriodNs: 0, retries: 0 } }), NetworkSettings: { Networks: {} } };
    const doc = { ...d, Config: { ...d.Config, Healthcheck: undefined, Hostname: 'abc' }, HostConfig: { ...d.HostConfig, NetworkMode: 'container:0123' } };
    expect(containerChanges(side, doc, { image: IMAGE })).toEqual([]);
  });
});

describe('firstTarFile', () => {
  test('reads content, mode and owner, also with a PAX header (long path, big uid)', () => {
    const long = `/etc/${'k'.repeat(150)}`;
    for (const f of [{ path: '/etc/app/app.conf', uid: 1000, gid: 1000 }, { path: long, uid: 1000650000, gid: 0 }]) {
      const tar = tarFiles([{ path: f.path, contentBase64: Buffer.from('level=info').toString('base64'), mode: 0o640, uid: f.uid, gid: f.gid }]);
      expect(firstTarFile(tar)).toEqual({ content: Buffer.from('level=info'), mode: 0o640, uid: f.uid, gid: f.gid });
    }
  });
  test('an empty archive has no file', () => {
    expect(firstTarFile(Buffer.alloc(1024))).toBeUndefined();
  });
});

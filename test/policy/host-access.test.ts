import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeObject } from '../../lib/core/manifests';
import { checkObjects } from '../../lib/policy/check';
import { GUARD_RULES } from '../../lib/policy/guard-rules';
import { HostFacts, hostOwningFolderOf, isDockerSocketPath } from '../../lib/ir/host-paths';
import { engineHostFacts, engineOnThisMachine, resolveLocalPath } from '../../lib/policy/local-host';

const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const guards = (objects: KubeObject[], host?: HostFacts) => checkObjects(objects, { rules: GUARD_RULES, ...(host ? { host } : {}) }).findings;

describe('host access', () => {
  test('isDockerSocketPath spots the socket and the folders that hold it', () => {
    for (const p of ['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run/', '//var//run/docker.sock', '/']) expect(isDockerSocketPath(p)).toBe(true);
    for (const p of ['/var/lib/data', '/srv/docker.sock.bak', '/etc']) expect(isDockerSocketPath(p)).toBe(false);
  });

  test('folders that hold a container engine socket count as the socket: /var, /run/user, /run/dockyard, /proc, containerd and podman', () => {
    const yes = ['/var', '/var/', '/run/user', '/run/user/1000', '/run/user/1000/docker.sock', '/run/user/1000/podman', '/run/user/1000/podman/podman.sock',
      '/run/dockyard', '/run/dockyard/docker.sock', '/var/run/dockyard', '/proc', '/proc/1', '/proc/1/root', '/proc/self/root/run', '/proc/1/cwd',
      '/run/containerd', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/run/podman', '/run/podman/podman.sock',
      '/run/crio/crio.sock', '/run/docker', '/var/run/docker/containerd', '/tmp/../run', '/srv/podman.sock'];
    for (const p of yes) expect([p, isDockerSocketPath(p)]).toEqual([p, true]);
    const no = ['/var/lib', '/var/log', '/run/user/1000/app', '/run/lock', '/proc/sys', '/proc/1/status', '/srv/data', '/home/me/src'];
    for (const p of no) expect([p, isDockerSocketPath(p)]).toEqual([p, false]);
  });

  test('the engine socket (a host fact) and its folders count too; the finding names the socket', () => {
    const sock = '/home/me/.docker/run/docker.sock';
    expect(isDockerSocketPath('/home/me/.docker', [sock])).toBe(true);
    expect(isDockerSocketPath('/home/me/.docker')).toBe(false);
    expect(isDockerSocketPath('/home/me/src', [sock])).toBe(false);
    const found = guards([pod({ volumes: [{ name: 'h', hostPath: { path: '/home/me' } }, { name: 'v', hostPath: { path: '/var' } }] })], { engineSockets: [sock], unresolvedReason: 'test' })
      .filter((f) => f.rule === 'docker-socket');
    expect(found.map((f) => [f.field, f.message])).toEqual([
      ['spec.volumes[0].hostPath.path', `volume "h" mounts /home/me from the host, which exposes the Docker socket (it holds ${sock}): the container would control the whole host (not resolved: test)`],
      ['spec.volumes[1].hostPath.path', 'volume "v" mounts /var from the host, which exposes the Docker socket (it holds /var/run/docker.sock): the container would control the whole host (not resolved: test)'],
    ]);
  });

  test('lint findings say a node path cannot be resolved at lint time', () => {
    const [f] = guards([pod({ volumes: [{ name: 'c', hostPath: { path: '/run/containerd/containerd.sock' } }] })]);
    expect(f.message).toBe('volume "c" mounts /run/containerd/containerd.sock from the host, which exposes a container engine socket (/run/containerd/containerd.sock): the container would control the whole host (not resolved: a node path cannot be resolved at lint time, so a symlink there is not followed)');
  });

  test('host-owning folders: is, inside, holds; the engine data root joins them', () => {
    expect(hostOwningFolderOf('/etc/')).toEqual({ folder: '/etc', relation: 'is' });
    expect(hostOwningFolderOf('/usr/local/bin')).toEqual({ folder: '/usr', relation: 'inside' });
    expect(hostOwningFolderOf('/var/lib')).toEqual({ folder: '/var/lib/docker', relation: 'contains' });
    expect(hostOwningFolderOf('/')).toEqual({ folder: '/', relation: 'is' });
    expect(hostOwningFolderOf('/srv/data')).toBeUndefined();
    expect(hostOwningFolderOf('/data/docker', ['/data/docker'])).toEqual({ folder: '/data/docker', relation: 'is' });
    expect(hostOwningFolderOf('/data', ['/data/docker/'])).toEqual({ folder: '/data/docker', relation: 'contains' });
  });
});

describe('host paths resolved on this machine', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-links-')));
    fs.mkdirSync(path.join(dir, 'run', 'engine'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'run', 'engine', 'docker.sock'), '');
    fs.mkdirSync(path.join(dir, 'data'));
    fs.symlinkSync(path.join(dir, 'run', 'engine'), path.join(dir, 'abs-link'));
    fs.symlinkSync('run/engine', path.join(dir, 'rel-link'));
    fs.symlinkSync('rel-link', path.join(dir, 'chain-1'));
    fs.symlinkSync(path.join(dir, 'chain-1'), path.join(dir, 'chain-2'));
    fs.symlinkSync('/etc', path.join(dir, 'etc-link'));
    fs.symlinkSync('loop-b', path.join(dir, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(dir, 'loop-b'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('resolveLocalPath follows absolute and relative links, chains, links in folders, and a missing tail', () => {
    const engine = path.join(dir, 'run', 'engine');
    expect(resolveLocalPath(path.join(dir, 'abs-link')).resolved).toBe(engine);
    expect(resolveLocalPath(path.join(dir, 'rel-link')).resolved).toBe(engine);
    const chain = resolveLocalPath(path.join(dir, 'chain-2'));
    expect(chain.resolved).toBe(engine);
    expect(chain.links).toEqual([`${dir}/chain-2 -> ${dir}/chain-1`, `${dir}/chain-1 -> rel-link`, `${dir}/rel-link -> run/engine`]);
    expect(resolveLocalPath(path.join(dir, 'chain-2', 'docker.sock')).resolved).toBe(path.join(engine, 'docker.sock'));
    expect(resolveLocalPath(path.join(dir, 'etc-link', 'not-there', 'x')).resolved).toBe('/etc/not-there/x');
    expect(resolveLocalPath(`${dir}/data/../etc-link/`).resolved).toBe('/etc');
    expect(resolveLocalPath(path.join(dir, 'loop-a')).error).toMatch(/more than 40 symbolic links/);
  });

  test('a link to the engine socket or its folder is refused, naming where it leads', () => {
    const facts = engineHostFacts(`unix://${dir}/run/engine/docker.sock`);
    for (const link of ['abs-link', 'rel-link', 'chain-2', 'chain-2/docker.sock']) {
      const found = guards([pod({ volumes: [{ name: 's', hostPath: { path: `${dir}/${link}` } }] })], facts).filter((f) => f.rule === 'docker-socket');
      expect([link, found.length]).toEqual([link, 1]);
      expect(found[0].message).toContain(`which resolves to ${dir}/run/engine`);
      expect(found[0].message).not.toContain('not resolved');
    }
    // The same links pass lint (a node path cannot be resolved there), with nothing to say.
    expect(guards([pod({ volumes: [{ name: 's', hostPath: { path: `${dir}/abs-link` } }] })]).filter((f) => f.rule === 'docker-socket')).toEqual([]);
  });

  test('a read-write link to a host-owning folder is host-path-write; read-only is a warning', () => {
    const facts = engineHostFacts(undefined);
    const spec = (readOnly: boolean) => pod({ volumes: [{ name: 'e', hostPath: { path: `${dir}/etc-link` } }], containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'e', mountPath: '/x', readOnly }] }] });
    const rw = guards([spec(false)], facts);
    expect(rw.map((f) => f.rule)).toEqual(['host-path-write']);
    expect(rw[0].message).toBe(`volume "e" mounts ${dir}/etc-link from the host read-write, which resolves to /etc (link ${dir}/etc-link -> /etc), which is the host folder /etc: the container can rewrite the host`);
    expect(guards([spec(true)], facts).map((f) => [f.rule, f.severity])).toEqual([['sensitive-host-path', 'warning']]);
  });

  test('the engine data root is host-owning; an unresolvable path fails closed', () => {
    const facts = engineHostFacts(undefined, `${dir}/data`);
    const mounted = pod({ volumes: [{ name: 'd', hostPath: { path: `${dir}/data/volumes` } }], containers: [{ name: 'c', image: 'i', volumeMounts: [{ name: 'd', mountPath: '/d' }] }] });
    expect(guards([mounted], facts).map((f) => f.rule)).toEqual(['host-path-write']);
    expect(guards([mounted], engineHostFacts(undefined)).map((f) => f.rule)).toEqual([]);
    const loop = guards([pod({ volumes: [{ name: 'l', hostPath: { path: `${dir}/loop-a` } }] })], facts);
    expect(loop.map((f) => f.rule)).toEqual(['host-path-write']);
    expect(loop[0].message).toContain('could not be resolved');
  });

  test('only unix sockets and loopback tcp are this machine; a remote engine says its paths were not resolved', () => {
    for (const h of [undefined, 'unix:///run/docker.sock', 'tcp://127.0.0.1:2375', 'tcp://localhost:2375', 'tcp://[::1]:2375']) expect([h, engineOnThisMachine(h)]).toEqual([h, true]);
    for (const h of ['tcp://10.0.0.5:2376', 'ssh://me@host', 'tcp://127.0.0.1.example.com:2375']) expect([h, engineOnThisMachine(h)]).toEqual([h, false]);
    const [f] = guards([pod({ volumes: [{ name: 's', hostPath: { path: '/var/run/docker.sock' } }] })], engineHostFacts('ssh://me@host'));
    expect(f.message).toContain('(not resolved: the engine at ssh://me@host is not on this machine, so its paths cannot be resolved from here (checked as written))');
  });
});

/**
 * Review findings on the Docker target that need the real engine: networks the project does not own,
 * long ConfigMap keys and large uids in copied files, paused containers. Unique projects per process;
 * nothing is published except on 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { connect } from '../../../lib/targets/docker/engine';
import { LABELS } from '../../../lib/targets/docker/plan';
import { cleanup, describeEngine, dockyard, execIn, owned, PORT_BASE, RUN, TEST_IMAGE, writeManifests } from './helpers';

const flags = (project: string) => ['--docker', '--project', project, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull', '--stop-timeout', '0', '--quiet'];

const sleeper = (name: string, namespace?: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}${namespace ? `, namespace: ${namespace}` : ''} }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: c, image: ${TEST_IMAGE}, command: [sleep, "600"] }]
`;

describeEngine('Docker target review fixes (real engine)', () => {
  const A = `it-netown-${RUN}`;
  const HAND = `it-handnet-${RUN}`;
  const FILES = `it-files-${RUN}`;
  const START = `it-start-${RUN}`;
  const dir = writeManifests({});
  const file = path.join(dir, 'app.yaml');
  const docker = connect();
  const removeForeign = async (name: string) => { await docker.getContainer(name).remove({ force: true }).catch(() => undefined); };
  beforeAll(async () => { for (const p of [A, `${A}-b`, HAND, FILES, START]) await cleanup(p); });
  afterAll(async () => {
    await removeForeign(`${A}-intruder`);
    for (const p of [A, `${A}-b`, HAND, FILES, START]) await cleanup(p);
    for (const n of [HAND]) await docker.getNetwork(n).remove().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a network with the planned name that the project does not own is refused, naming it; nothing is created', async () => {
    // Project A, namespace b -> network "A-b"; project "A-b", namespace default -> the same name.
    fs.writeFileSync(file, `apiVersion: v1\nkind: Namespace\nmetadata: { name: b }\n---\n${sleeper('a', 'b')}`);
    expect((await dockyard(['deploy', ...flags(A), dir])).code).toBe(0);
    fs.writeFileSync(file, sleeper('p'));
    const r = await dockyard(['deploy', ...flags(`${A}-b`), dir]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[network ${A}-b] a network named "${A}-b" exists and is not owned by project "${A}-b" (it belongs to project "${A}")`);
    expect(r.err).toContain('choose another --project');
    expect((await owned(`${A}-b`)).size).toBe(0);

    await docker.createNetwork({ Name: HAND, CheckDuplicate: true });
    const h = await dockyard(['deploy', ...flags(HAND), dir]);
    expect(h.code).toBe(1);
    expect(h.err).toContain(`[network ${HAND}] a network named "${HAND}" exists and is not owned by project "${HAND}"`);
    expect((await owned(HAND)).size).toBe(0);
  });

  test('destroy with a foreign container still on an owned network is a clear error naming it, not a stack trace', async () => {
    // Project A from the test above owns network "A-b"; a container it does not own joins it.
    const intruder = await docker.createContainer({ name: `${A}-intruder`, Image: TEST_IMAGE, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: `${A}-b` } });
    await intruder.start();
    const r = await dockyard(['destroy', ...flags(A)]);
    expect(r.err).not.toContain('internal error');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[network ${A}-b] cannot remove the network: container(s) ${A}-intruder not owned by project "${A}" are still attached`);
    expect(r.err).toContain(`docker network disconnect ${A}-b ${A}-intruder`);
    expect((await owned(A)).size).toBe(0); // the project's own containers went first
    await removeForeign(`${A}-intruder`);
    expect((await dockyard(['destroy', ...flags(A)])).code).toBe(0);
    expect((await docker.listNetworks({ filters: { label: [`${LABELS.project}=${A}`] } }))).toHaveLength(0);
  });

  test('a 200-character ConfigMap key and a secret owned by uid 1000650000 are copied in and readable by that user', async () => {
    const key = 'k'.repeat(200);
    fs.writeFileSync(file, `apiVersion: v1
kind: ConfigMap
metadata: { name: cfg }
data: { ${key}: "long-key-value" }
---
apiVersion: v1
kind: Secret
metadata: { name: s }
stringData: { pw: hunter2 }
---
apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  terminationGracePeriodSeconds: 1
  securityContext: { runAsUser: 1000650000 }
  containers:
  - name: c
    image: ${TEST_IMAGE}
    command: [sleep, "600"]
    volumeMounts: [{ name: c, mountPath: /etc/cfg }, { name: s, mountPath: /s }]
  volumes: [{ name: c, configMap: { name: cfg } }, { name: s, secret: { secretName: s } }]
`);
    const r = await dockyard(['deploy', ...flags(FILES), dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const c = `${FILES}-p-1`;
    expect(await execIn(c, ['cat', `/etc/cfg/${key}`])).toBe('long-key-value');
    expect(await execIn(c, ['cat', '/s/pw'])).toBe('hunter2');
    expect((await execIn(c, ['ls', '-ln', '/s/pw'])).split(/\s+/).slice(0, 4)).toEqual(['-r--------', '1', '1000650000', '1000650000']);
  });

  test('a paused container is unpaused by deploy; a stopped one whose host port another program took is refused before anything changes', async () => {
    const port = PORT_BASE + 40;
    fs.writeFileSync(file, `${sleeper('p').replace('command: [sleep, "600"]', `command: [sleep, "600"], ports: [{ containerPort: 80, hostPort: ${port} }]`)}`);
    expect((await dockyard(['deploy', ...flags(START), dir])).code).toBe(0);
    const c = docker.getContainer(`${START}-p-1`);
    await c.pause();
    const r = await dockyard(['deploy', ...flags(START), dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect((await c.inspect()).State.Status).toBe('running');

    await c.stop({ t: 0 });
    const server = net.createServer().listen(port, '127.0.0.1');
    await new Promise((res) => server.once('listening', res));
    try {
      const taken = await dockyard(['deploy', ...flags(START), dir]);
      expect(taken.err).not.toContain('internal error');
      expect(taken.code).toBe(1);
      expect(taken.err).toContain('nothing was changed');
      expect(taken.err).toContain(`host port 127.0.0.1:${port} is already in use by another program`);
      expect((await c.inspect()).State.Status).toBe('exited');
    } finally { await new Promise((res) => server.close(res)); }
    expect((await dockyard(['deploy', ...flags(START), dir])).code).toBe(0);
    expect((await c.inspect()).State.Status).toBe('running');
  });
});

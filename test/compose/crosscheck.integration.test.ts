import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { LABELS } from '../../lib/targets/docker/plan';
import { cleanup, describeEngine, dockyard, execIn, TEST_IMAGE } from '../targets/docker/helpers';

/**
 * The real-engine cross-check: for each compose file under fixtures/crosscheck, `docker-compose up`
 * (Debian's 1.29) on the original and the Docker target on the converted output must give each
 * service's container the same image, environment, command and mount points. Only the local test
 * image is used (never pulled); each run has its own project names and removes what it made.
 */
const run = promisify(execFile);
const CASES = path.join(__dirname, 'fixtures', 'crosscheck');
const hasCompose = (() => { try { require('node:child_process').execFileSync('docker-compose', ['version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const describeBoth = hasCompose ? describeEngine : describe.skip;

/** What must match for one service's container. */
interface Seen { name: string; image: string; command: string[]; env: string[]; mounts: string[]; workingDir: string; user: string; health: unknown }

async function inspect(docker: Docker, label: string, keyLabel: string): Promise<Record<string, Seen>> {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  const out: Record<string, Seen> = {};
  for (const c of list) {
    const key = c.Labels[keyLabel];
    if (!key || out[key]) continue; // the first replica stands for the service
    const i = await docker.getContainer(c.Id).inspect();
    const mounts = new Set<string>([...(i.Mounts ?? []).map((m) => m.Destination), ...Object.keys(i.HostConfig.Tmpfs ?? {})]);
    out[key] = {
      name: i.Name.replace(/^\//, ''),
      image: i.Config.Image,
      command: [...(i.Config.Entrypoint ?? []), ...(i.Config.Cmd ?? [])],
      env: [...(i.Config.Env ?? [])].sort(),
      mounts: [...mounts].sort(),
      workingDir: i.Config.WorkingDir ?? '',
      user: i.Config.User ?? '',
      // Docker's defaults (30s, 30s, 3) for what a health check leaves unset, as compose leaves them.
      health: i.Config.Healthcheck ? {
        test: i.Config.Healthcheck.Test, interval: i.Config.Healthcheck.Interval || 30e9, timeout: i.Config.Healthcheck.Timeout || 30e9, retries: i.Config.Healthcheck.Retries || 3,
      } : null,
    };
  }
  return out;
}

describeBoth('converted compose files run like docker-compose runs them (real engine)', () => {
  const docker = new Docker();
  const tag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const cases = fs.readdirSync(CASES).sort();
  const made: Array<{ compose: string; dock: string; file: string }> = [];

  afterAll(async () => {
    for (const m of made) {
      await run('docker-compose', ['-p', m.compose, '-f', m.file, 'down', '-v', '--timeout', '0'], { env: process.env }).catch(() => undefined);
      await dockyard(['destroy', '--docker', '--project', m.dock, '--volumes', '--quiet', '--stop-timeout', '0']).catch(() => undefined);
      await cleanup(m.dock);
    }
  });

  test.each(cases)('%s: same image, env, command and mounts per service', async (name) => {
    const file = path.join(CASES, name, 'compose.yml');
    const m = { compose: `xcc${tag}${name.replace(/[^a-z0-9]/g, '')}`, dock: `xcd-${tag}-${name}`, file };
    made.push(m);
    await run('docker-compose', ['-p', m.compose, '-f', file, 'up', '-d', '--no-build'], { env: process.env, timeout: 120_000 });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-xc-'));
    const c = await dockyard(['convert', file, '-o', out]);
    expect(c.code).toBe(0);
    const d = await dockyard(['deploy', '--docker', '--project', m.dock, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull', '--stop-timeout', '1', out]);
    expect(d.err).not.toMatch(/error/i);
    expect(d.code).toBe(0);
    fs.rmSync(out, { recursive: true, force: true });

    const composeSide = await inspect(docker, `com.docker.compose.project=${m.compose}`, 'com.docker.compose.service');
    const dockSide = await inspect(docker, `${LABELS.project}=${m.dock}`, LABELS.container);
    expect(Object.keys(dockSide).sort()).toEqual(Object.keys(composeSide).sort());
    for (const svc of Object.keys(composeSide)) {
      const a = composeSide[svc];
      const b = dockSide[svc];
      expect({ svc, image: b.image, command: b.command, workingDir: b.workingDir, user: b.user, health: b.health })
        .toEqual({ svc, image: a.image, command: a.command, workingDir: a.workingDir, user: a.user, health: a.health });
      // Every variable compose sets is there with the same value (the Docker target may add its own).
      expect(b.env).toEqual(expect.arrayContaining(a.env));
      // The Docker target copies ConfigMap/Secret files into the container instead of binding them:
      // a mount point compose has is then a file that must be there with the same content.
      for (const dest of a.mounts.filter((x) => !b.mounts.includes(x))) {
        expect({ svc, dest, content: await execIn(b.name, ['cat', dest]) }).toEqual({ svc, dest, content: await execIn(a.name, ['cat', dest]) });
      }
      expect({ svc, extra: b.mounts.filter((x) => !a.mounts.includes(x)) }).toEqual({ svc, extra: [] });
    }
  }, 180_000);
});

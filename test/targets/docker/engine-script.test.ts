/**
 * scripts/docker-engine.sh, install step only (DOCKYARD_ENGINE_INSTALL_ONLY=1), with stub commands on
 * a PATH of our own: no real apt-get runs and no engine is started.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../../scripts/docker-engine.sh');
const BASH = fs.existsSync('/bin/bash') ? '/bin/bash' : '/usr/bin/bash';

/** A folder of stubs: `docker` never answers, `apt-get` always fails (and logs its arguments). */
function stubs(opts: { dockerd: boolean }): { dir: string; aptLog: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-engine-script-'));
  const aptLog = path.join(dir, 'apt.log');
  const write = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!${BASH}\n${body}\n`, { mode: 0o755 });
  write('docker', 'exit 1');
  write('apt-get', `echo "$*" >> ${aptLog}; echo "E: no mirror reachable" >&2; exit 100`);
  if (opts.dockerd) write('dockerd', 'exit 0');
  // The few real tools the install step uses; docker-compose and busybox stay out of reach.
  for (const tool of ['id', 'grep', 'timeout']) {
    const real = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
    if (real) fs.symlinkSync(real, path.join(dir, tool));
  }
  return { dir, aptLog };
}

function run(dir: string) {
  return spawnSync(BASH, [SCRIPT], {
    env: { PATH: dir, DOCKYARD_ENGINE_INSTALL_ONLY: '1', DOCKYARD_BUSYBOX: path.join(dir, 'no-busybox'), HOME: dir },
    encoding: 'utf8', timeout: 30000,
  });
}

describe('scripts/docker-engine.sh install step', () => {
  const made: string[] = [];
  afterAll(() => { for (const d of made) fs.rmSync(d, { recursive: true, force: true }); });

  test('GIVEN dockerd installed and apt failing THEN busybox-static and docker-compose only warn, and the engine may start', () => {
    const { dir, aptLog } = stubs({ dockerd: true });
    made.push(dir);
    const r = run(dir);
    expect(r.stderr).toContain('warning: could not install busybox-static');
    expect(r.stderr).toContain('warning: could not install docker-compose');
    expect(r.stderr).toContain('install step done');
    expect(r.status).toBe(0);
    if (process.getuid?.() === 0) expect(fs.readFileSync(aptLog, 'utf8')).not.toContain('docker.io');
  });

  test('GIVEN no dockerd and apt failing THEN it stops with an error naming docker.io', () => {
    const { dir } = stubs({ dockerd: false });
    made.push(dir);
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('docker.io');
    expect(r.stderr).not.toContain('install step done');
  });
});

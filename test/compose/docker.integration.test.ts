import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanup, describeEngine, dockyard, execIn, httpGet, owned, TEST_IMAGE } from '../targets/docker/helpers';

// Unique per run: several suites may share one engine at the same time.
const PROJECT = `it-compose-${process.pid}`;
const flags = ['--docker', '--project', PROJECT, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull', '--stop-timeout', '1'];

/** A port nobody listens on right now, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

describeEngine('a converted compose app on the real Docker engine', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-compose-docker-'));
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    // The fixture publishes ${SITE_PORT}; `dockyard convert` reads it from the environment.
    process.env.SITE_PORT = String(port);
    await cleanup(PROJECT);
  });
  afterAll(async () => {
    delete process.env.SITE_PORT;
    await cleanup(PROJECT);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN compose.yml WHEN converted and deployed with --docker THEN the page answers on 127.0.0.1 and env is inside', async () => {
    const c = await dockyard(['convert', path.join(__dirname, 'fixtures', 'docker', 'compose.yml'), '-o', dir]);
    expect(c.err).not.toMatch(/error/i);
    expect(c.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['docker.k8s.yaml']);

    const r = await dockyard(['deploy', ...flags, '--wait', '--wait-timeout', '30', dir]);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    // 8080 is published on another number: the "site-published" Service, whose relay spreads the replicas.
    expect([...(await owned(PROJECT)).keys()].sort()).toEqual([`${PROJECT}-site-1`, `${PROJECT}-site-2`, `${PROJECT}-site-published-proxy`]);
    expect(await httpGet(port)).toBe('<h1>converted from compose</h1>\n');
    expect(await execIn(`${PROJECT}-site-1`, ['env'])).toContain('GREETING=hello from compose\n');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanup, describeEngine, dockyard, execIn, httpGet, owned, TEST_IMAGE } from '../targets/docker/helpers';

const PROJECT = 'it-compose';
const PORT = 18471;
const flags = ['--docker', '--project', PROJECT, '--publish-address', '127.0.0.1', '--proxy-image', TEST_IMAGE, '--no-pull', '--stop-timeout', '1'];

describeEngine('a converted compose app on the real Docker engine', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-compose-docker-'));
  beforeAll(() => cleanup(PROJECT));
  afterAll(async () => {
    await cleanup(PROJECT);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN compose.yml WHEN converted and deployed with --docker THEN the page answers on 127.0.0.1 and env is inside', async () => {
    const c = await dockyard(['convert', path.join(__dirname, 'fixtures', 'docker', 'compose.yml'), '-o', dir]);
    expect(c.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['docker.k8s.yaml']);

    const r = await dockyard(['deploy', ...flags, '--wait', '--wait-timeout', '30', dir]);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect([...(await owned(PROJECT)).keys()].sort()).toEqual([`${PROJECT}-site-1`, `${PROJECT}-site-2`, `${PROJECT}-site-proxy`]);
    expect(await httpGet(PORT)).toBe('<h1>converted from compose</h1>\n');
    expect(await execIn(`${PROJECT}-site-1`, ['env'])).toContain('GREETING=hello from compose\n');
  });
});

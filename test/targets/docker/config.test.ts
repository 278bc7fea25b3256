import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inUserTerms, parseDockerArgs } from '../../../lib/targets/docker/cli';
import { findConfigFile, howToSet, loadProjectConfig, parseProjectConfig, resolveSettings } from '../../../lib/targets/docker/config';
import { DockyardError } from '../../../lib/core/errors';
import { toDnsLabel } from '../../../lib/core/naming';

const io = (env: Record<string, string> = {}) => ({ out: () => undefined, err: () => undefined, stdin: () => '', env });
const errorOf = (f: () => unknown): DockyardError => {
  try { f(); } catch (e) { if (e instanceof DockyardError) return e; throw e; }
  throw new Error('expected a DockyardError');
};

function tempProject(config: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-config-'));
  fs.writeFileSync(path.join(dir, 'dockyard.yaml'), config);
  fs.mkdirSync(path.join(dir, 'deploy', 'dev'), { recursive: true });
  return dir;
}

/** Runs `fn` with the process in `dir` (config discovery starts at the current folder). */
function inDir<T>(dir: string, fn: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try { return fn(); } finally { process.chdir(before); }
}

describe('dockyard.yaml', () => {
  test('GIVEN a file with every kind of setting WHEN parsed THEN values are typed and lines recorded', () => {
    const c = parseProjectConfig('# settings\ndocker:\n  project: shop\n  publishAddress: 127.0.0.1\n  pull: false\n  waitTimeout: 45\n  manifests: [dist/, extra.yaml]\n', 'dockyard.yaml', '/p');
    expect(c.docker).toEqual({ project: 'shop', publishAddress: '127.0.0.1', pull: false, waitTimeout: 45, manifests: ['/p/dist', '/p/extra.yaml'] });
    expect(c.lines).toEqual({ project: 3, publishAddress: 4, pull: 5, waitTimeout: 6, manifests: 7 });
  });

  test('an empty file, an empty section and a comment-only file are valid and set nothing', () => {
    for (const text of ['', 'docker:\n', '# nothing yet\n']) expect(parseProjectConfig(text, 'f', '/').docker).toEqual({});
  });

  test('every problem is reported at once, each at file:line with the key', () => {
    const e = errorOf(() => parseProjectConfig('docker:\n  projct: shop\n  wait: "yes"\n  publishAddress: localhost\n', 'dockyard.yaml', '/'));
    expect(e.problems.map((p) => p.where)).toEqual(['dockyard.yaml:2 docker.projct', 'dockyard.yaml:3 docker.wait', 'dockyard.yaml:4 docker.publishAddress']);
    expect(e.problems[0].message).toBe('unknown setting "projct" (did you mean "project"?)');
    expect(e.problems[0].fix).toBe('rename it to "project" (e.g. project: shop)');
    expect(e.message).toMatch(/^3 problems in dockyard.yaml:/);
  });

  test('flag spellings point at the key; no-pull at "pull: false"; far-off names list the keys', () => {
    expect(errorOf(() => parseProjectConfig('docker:\n  allow-privileged: true\n', 'f', '/')).problems[0].message).toBe('unknown setting "allow-privileged" (did you mean "allowPrivileged"?)');
    expect(errorOf(() => parseProjectConfig('docker:\n  no-pull: true\n', 'f', '/')).problems[0].fix).toBe('write "pull: false" to use only images already on the engine');
    expect(errorOf(() => parseProjectConfig('docker:\n  colour: blue\n', 'f', '/')).problems[0].fix).toMatch(/^use one of: project, host, publishAddress, proxyImage/);
  });

  test('findConfigFile walks up from a subfolder; none found is undefined', () => {
    const dir = tempProject('docker:\n  project: shop\n');
    expect(findConfigFile(path.join(dir, 'deploy', 'dev'))).toBe(path.join(dir, 'dockyard.yaml'));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-none-'));
    // A dockyard.yaml above the temp folder would be found: only assert when there is none.
    if (!findConfigFile(path.dirname(empty))) expect(findConfigFile(empty)).toBeUndefined();
  });

  test('--config names a file that must exist', () => {
    const e = errorOf(() => loadProjectConfig('/', '/nonexistent/dockyard.yaml'));
    expect(e.problems[0]).toMatchObject({ where: '--config', message: 'config file "/nonexistent/dockyard.yaml" does not exist' });
  });
});

describe('precedence: flag > environment > file > default', () => {
  const config = parseProjectConfig('docker:\n  project: fromfile\n  host: tcp://file:2375\n  proxyImage: file/relay:1\n  publishAddress: 127.0.0.1\n  pull: false\n', 'dockyard.yaml', '/p');

  test('the file sets what neither a flag nor the environment sets', () => {
    const s = resolveSettings({}, {}, config);
    expect([s.project.value, s.project.source, s.project.origin]).toEqual(['fromfile', 'file', 'dockyard.yaml:2 docker.project']);
    expect([s.pull.value, s.publishAddress.value]).toEqual([false, '127.0.0.1']);
    expect([s.wait.value, s.wait.source]).toEqual([undefined, 'default']);
  });

  test('the environment beats the file (DOCKER_HOST, DOCKYARD_PROXY_IMAGE, DOCKYARD_PROJECT)', () => {
    const s = resolveSettings({}, { DOCKER_HOST: 'unix:///env.sock', DOCKYARD_PROXY_IMAGE: 'env/relay:1', DOCKYARD_PROJECT: 'fromenv' }, config);
    expect([s.host.value, s.host.origin]).toEqual(['unix:///env.sock', 'DOCKER_HOST']);
    expect([s.proxyImage.value, s.project.value]).toEqual(['env/relay:1', 'fromenv']);
  });

  test('a flag beats both', () => {
    const s = resolveSettings({ host: 'tcp://flag:2375', 'proxy-image': 'flag/relay:1', project: 'fromflag', 'no-pull': true, 'wait-timeout': '9' }, { DOCKER_HOST: 'unix:///env.sock' }, config);
    expect([s.host.value, s.host.origin, s.proxyImage.value, s.project.value]).toEqual(['tcp://flag:2375', '--host', 'flag/relay:1', 'fromflag']);
    expect([s.pull.value, s.pull.origin, s.waitTimeout.value]).toEqual([false, '--no-pull', 9]);
  });

  test('parseDockerArgs reads the nearest dockyard.yaml from a subfolder: project, host and manifests', () => {
    const dir = tempProject('docker:\n  project: shop\n  host: tcp://127.0.0.1:1\n  manifests: [dist/]\n');
    const a = inDir(path.join(dir, 'deploy', 'dev'), () => parseDockerArgs('diff', ['--docker'], 'u', io()));
    expect([a.project, a.host, a.inputs]).toEqual(['shop', 'tcp://127.0.0.1:1', ['../../dist']]);
    const flagged = inDir(dir, () => parseDockerArgs('diff', ['--docker', '--project', 'other', 'x.yaml'], 'u', io({ DOCKER_HOST: 'unix:///e.sock' })));
    expect([flagged.project, flagged.host, flagged.inputs]).toEqual(['other', 'unix:///e.sock', ['x.yaml']]);
  });

  test('without a project name anywhere, the config file\'s folder names the project', () => {
    const dir = tempProject('docker:\n  wait: true\n');
    const a = inDir(path.join(dir, 'deploy'), () => parseDockerArgs('deploy', ['--docker', 'x.yaml'], 'u', io()));
    expect(a.project).toBe(toDnsLabel(path.basename(dir)));
    expect(a.project).not.toBe('deploy');
    expect(a.settings.wait.value).toBe(true);
  });
});

describe('planner problems in the user\'s terms', () => {
  const fromFile = resolveSettings({}, {}, parseProjectConfig('docker:\n  allowPrivileged: false\n  proxyImage: a/b:1\n', 'dockyard.yaml', '/'));

  test('option names become flags; opt-in flags also name their config key', () => {
    const p = inUserTerms({ where: 'x.yaml:3 Pod/p', message: 'privileged is refused unless allowPrivileged is set', fix: 'pass --allow-privileged, or remove it' }, {});
    expect(p.message).toBe('privileged is refused unless --allow-privileged is set');
    expect(p.fix).toBe('pass --allow-privileged (or "allowPrivileged: true" in dockyard.yaml), or remove it');
    expect(inUserTerms({ where: 'options.publishAddress', message: 'm', fix: 'set options.skipUnsupported' }, {})).toEqual({ where: '--publish-address', message: 'm', fix: 'set --skip-unsupported (or "skipUnsupported: true" in dockyard.yaml)' });
  });

  test('a problem about a setting from the file points at its line', () => {
    expect(inUserTerms({ where: '--proxy-image', message: 'bad', fix: 'f' }, fromFile).where).toBe('dockyard.yaml:3 docker.proxyImage');
    expect(inUserTerms({ where: 'project', message: 'bad' }, {}).where).toBe('--project');
  });

  test('howToSet names the flag, the variable and the key', () => {
    expect(howToSet('proxyImage')).toBe('--proxy-image haproxy:2.9 or DOCKYARD_PROXY_IMAGE (or "proxyImage:" under "docker:" in dockyard.yaml)');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockyardError } from '../../lib/core/errors';
import { loadCompose } from '../../lib/compose/loader';
import { locate } from '../../lib/compose/model';

const fx = (...p: string[]) => path.join(__dirname, 'fixtures', ...p);

/** Writes files into a fresh temp folder and returns its path. */
function tmp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-compose-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function problems(files: string[], env: Record<string, string> = {}): string[] {
  try {
    loadCompose(files, { env });
  } catch (e) {
    if (e instanceof DockyardError) return e.problems.map((p) => `${p.where.replace(/^.*\//, '')} ${p.message} | ${p.fix}`);
    throw e;
  }
  throw new Error('expected problems');
}

describe('loadCompose', () => {
  test('GIVEN the spec fixture WHEN loaded THEN .env and defaults are interpolated and retyped', () => {
    const p = loadCompose([fx('spec', 'compose.yaml')], { env: { REGION: '' } });
    expect(p.name).toBe('shop');
    expect(p.services.api.image).toBe('example/api:1.4');
    expect(p.services.api.ports).toEqual(['8000:8080']);
    // A plain scalar that became "3" is a number again, so the schema accepts `replicas: ${N}`.
    expect(p.services.api.deploy?.replicas).toBe(3);
    // ${REGION-eu} keeps an empty value; $$ is a literal $; FROM_SHELL is unset in the shell.
    expect(p.services.api.environment).toEqual({ GREETING: 'cost: $5', FROM_SHELL: null, REGION: '' });
  });

  test('GIVEN unset variables WHEN loaded THEN one warning per name at its first use (file:line:col), and the value is empty', () => {
    const dir = tmp({
      'compose.yml': 'services:\n  web:\n    image: "nginx:${TAG}"\n    environment:\n      A: "${HOST}:${PORT}"\n      B: "${HOST}"\n      C: "${SET}${DEFAULTED:-x}"\n',
      'compose.override.yml': 'services:\n  web:\n    working_dir: "/srv/${TAG}/${APP_DIR}"\n',
    });
    const p = loadCompose([path.join(dir, 'compose.yml'), path.join(dir, 'compose.override.yml')], { env: { SET: 'y' } });
    expect(p.services.web.image).toBe('nginx:');
    expect(p.services.web.environment).toEqual({ A: ':', B: '', C: 'yx' });
    expect((p.warnings ?? []).map((w) => `${path.basename(w.where)} ${w.message}`)).toEqual([
      'compose.yml:3:12 variable TAG is not set, so it is replaced by an empty string (as docker compose does); set it in the environment or in .env, or write ${TAG:-default}',
      'compose.yml:5:10 variable HOST is not set, so it is replaced by an empty string (as docker compose does); set it in the environment or in .env, or write ${HOST:-default}',
      'compose.yml:5:10 variable PORT is not set, so it is replaced by an empty string (as docker compose does); set it in the environment or in .env, or write ${PORT:-default}',
      'compose.override.yml:3:18 variable APP_DIR is not set, so it is replaced by an empty string (as docker compose does); set it in the environment or in .env, or write ${APP_DIR:-default}',
    ]);
  });

  test('GIVEN extends from a file in another folder WHEN loaded THEN its env_file, bind mounts and build start from that folder', () => {
    const root = tmp({});
    fs.mkdirSync(path.join(root, 'app'));
    fs.mkdirSync(path.join(root, 'common'));
    fs.writeFileSync(path.join(root, 'common', 'base.env'), 'FROM_BASE=1\n');
    fs.writeFileSync(path.join(root, 'common', 'base.yml'), [
      'services:', '  base:', '    image: example/base:1', '    build: ./ctx', '    env_file: base.env',
      '    volumes:', '      - ./data:/data', '      - {type: bind, source: ./conf, target: /conf}', '      - named:/named', '',
    ].join('\n'));
    fs.writeFileSync(path.join(root, 'app', 'compose.yml'), [
      'services:', '  web:', '    extends: {file: ../common/base.yml, service: base}', '    volumes: ["./own:/own"]', 'volumes:', '  named: {}', '',
    ].join('\n'));
    const p = loadCompose([path.join(root, 'app', 'compose.yml')], { env: {} });
    const web = p.services.web;
    expect(web.env_file).toEqual([path.join(root, 'common', 'base.env')]);
    expect(web.environment).toEqual({ FROM_BASE: '1' });
    expect(web.build).toBe('../common/ctx');
    expect(web.volumes).toEqual(['../common/data:/data', { type: 'bind', source: '../common/conf', target: '/conf' }, 'named:/named', './own:/own']);
  });

  test('the shell wins over .env, and KEY alone reads the shell', () => {
    const p = loadCompose([fx('spec', 'compose.yaml')], { env: { API_PORT: '9999', FROM_SHELL: 'yes', API_TAG: '2.0' } });
    expect(p.services.api.ports).toEqual(['9999:8080']);
    expect(p.services.api.image).toBe('example/api:2.0');
    expect(p.services.api.environment?.FROM_SHELL).toBe('yes');
  });

  test('env_file values come first and environment wins, as docker compose config shows', () => {
    const p = loadCompose([fx('v2', 'docker-compose.yml')], { env: {} });
    expect(p.services.app.environment).toEqual({ LOG_LEVEL: 'info', RAILS_ENV: 'production', DATABASE_HOST: 'db' });
    expect(p.services.app.env_file).toEqual([fx('v2', 'app.env')]);
  });

  test('GIVEN two files WHEN merged THEN maps merge, command is replaced, ports extend, volumes merge by target', () => {
    const p = loadCompose([fx('multi', 'compose.yml'), fx('multi', 'compose.prod.yml')], { env: {} });
    const web = p.services.web;
    expect(web.image).toBe('nginx:1.27');
    expect(web.environment).toEqual({ MODE: 'prod', KEEP: 'yes' });
    expect(web.command).toEqual(['nginx']);
    expect(web.ports).toEqual(['80:80', '443:443']);
    expect(web.volumes).toEqual(['./cache:/var/cache/nginx']);
    expect(web.deploy?.replicas).toBe(4);
    // Locations follow the file that set the value last.
    expect(locate(p, ['services', 'web', 'image'])).toBe(`${fx('multi', 'compose.prod.yml')}:3:5`);
    expect(locate(p, ['services', 'web', 'ports', 1])).toBe(`${fx('multi', 'compose.prod.yml')}:4:13`);
    expect(locate(p, ['services', 'web', 'ports', 0])).toBe(`${fx('multi', 'compose.yml')}:4:13`);
    expect(locate(p, ['services', 'web', 'environment', 'KEEP'])).toBe(`${fx('multi', 'compose.yml')}:7:7`);
  });

  test('invalid YAML names file:line:col', () => {
    const dir = tmp({ 'c.yml': 'services:\n  web:\n    image: [unclosed\n' });
    const list = problems([path.join(dir, 'c.yml')]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(/^c\.yml:\d+:\d+ invalid YAML: .* \| fix the YAML syntax at this position$/);
  });

  test('unknown keys, wrong types and undefined required variables are one problem each, all at once', () => {
    const dir = tmp({
      'c.yml': [
        'services:',
        '  web:',
        '    image: nginx:${TAG:?set TAG to the nginx version}',
        '  db:',
        '    imagee: postgres',
        '    ports: [{target: "a"}]',
        '    deploy: {replicas: "two"}',
        'volumez: {}',
        '',
      ].join('\n'),
    });
    const rest = [
      'c.yml:5:5 unknown key "services.db.imagee": the compose specification has no "imagee" here | remove "imagee" or correct its spelling (see the compose specification for the keys allowed here)',
      'c.yml:6:14 "services.db.ports.0.target" has the wrong type: it must be integer | write "services.db.ports.0.target" as integer',
      'c.yml:7:14 "services.db.deploy.replicas" has the wrong type: it must be integer | write "services.db.deploy.replicas" as integer',
      'c.yml:8:1 unknown key "volumez": the compose specification has no "volumez" here | remove "volumez" or correct its spelling (see the compose specification for the keys allowed here)',
    ];
    // One run names every problem: a failed interpolation does not hide the schema problems.
    expect(problems([path.join(dir, 'c.yml')])).toEqual([
      'c.yml:3:12 required variable TAG is not set: set TAG to the nginx version | set TAG in the environment or in the .env file next to the compose file',
      ...rest,
    ]);
    expect(problems([path.join(dir, 'c.yml')], { TAG: '1' })).toEqual([
      'c.yml:5:5 unknown key "services.db.imagee": the compose specification has no "imagee" here | remove "imagee" or correct its spelling (see the compose specification for the keys allowed here)',
      'c.yml:6:14 "services.db.ports.0.target" has the wrong type: it must be integer | write "services.db.ports.0.target" as integer',
      'c.yml:7:14 "services.db.deploy.replicas" has the wrong type: it must be integer | write "services.db.deploy.replicas" as integer',
      'c.yml:8:1 unknown key "volumez": the compose specification has no "volumez" here | remove "volumez" or correct its spelling (see the compose specification for the keys allowed here)',
    ]);
  });

  test('an unknown key holding "/" or "~" is named and located as one key', () => {
    const dir = tmp({ 'c.yml': 'services:\n  web:\n    image: nginx:1.27\n    build/context: .\n    a~b: 1\n' });
    expect(problems([path.join(dir, 'c.yml')])).toEqual([
      'c.yml:4:5 unknown key "services.web.build/context": the compose specification has no "build/context" here | remove "build/context" or correct its spelling (see the compose specification for the keys allowed here)',
      'c.yml:5:5 unknown key "services.web.a~b": the compose specification has no "a~b" here | remove "a~b" or correct its spelling (see the compose specification for the keys allowed here)',
    ]);
  });

  test('missing env files, config files and undefined secrets are errors at the referring key', () => {
    const dir = tmp({
      'c.yml': [
        'services:',
        '  web:',
        '    image: nginx:1.27',
        '    env_file: [missing.env]',
        '    secrets: [nope]',
        'configs:',
        '  site:',
        '    file: ./site.conf',
        '',
      ].join('\n'),
    });
    expect(problems([path.join(dir, 'c.yml')])).toEqual([
      `c.yml:4:16 env file "${path.join(dir, 'missing.env')}" of service "web" does not exist | create the file, correct the path (relative to the compose file's folder), or mark it "required: false"`,
      'c.yml:5:15 service "web" uses secret "nope", which is not defined under the top-level "secrets:" | add "nope:" with a "file:" under the top-level "secrets:" key',
      `c.yml:8:5 config "site" reads "${path.join(dir, 'site.conf')}", which does not exist | create the file or correct the path (relative to the first compose file's folder)`,
    ]);
  });

  test('a missing compose file and a non-mapping file are errors', () => {
    expect(problems(['/nonexistent/compose.yml'])).toEqual(['compose.yml the compose file /nonexistent/compose.yml does not exist | check the path (relative paths start from the current folder)']);
    const dir = tmp({ 'c.yml': '- a\n- b\n' });
    expect(problems([path.join(dir, 'c.yml')])[0]).toContain('is not a compose file (it is not a YAML mapping); its content is not shown');
  });

  test('extends: a service of the same file or of another file is merged under the service, with locations', () => {
    const dir = tmp({
      'common.yml': 'services:\n  base:\n    image: example/app:1\n    environment: {LOG: info, MODE: base}\n    ports: ["8080"]\n',
      'c.yml': [
        'services:',
        '  web:',
        '    extends: {file: common.yml, service: base}',
        '    environment: {MODE: web}',
        '  worker:',
        '    extends: web',
        '    command: ["work"]',
        '',
      ].join('\n'),
    });
    const p = loadCompose([path.join(dir, 'c.yml')], { env: {} });
    expect(p.services.web).toEqual({ image: 'example/app:1', environment: { LOG: 'info', MODE: 'web' }, ports: ['8080'] });
    expect(p.services.worker).toEqual({ image: 'example/app:1', environment: { LOG: 'info', MODE: 'web' }, ports: ['8080'], command: ['work'] });
    expect(locate(p, ['services', 'worker', 'image'])).toBe(`${path.join(dir, 'common.yml')}:3:5`);
    expect(locate(p, ['services', 'worker', 'environment', 'MODE'])).toBe(`${path.join(dir, 'c.yml')}:4:19`);
    expect(locate(p, ['services', 'worker', 'command'])).toBe(`${path.join(dir, 'c.yml')}:7:5`);
  });

  test('extends of a missing service and extends cycles are errors', () => {
    const dir = tmp({ 'c.yml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n  c:\n    extends: nope\n' });
    const f = path.join(dir, 'c.yml');
    expect(problems([f])).toEqual([
      `c.yml:3:5 Circular reference: service "a" (${f}:3:5) extends "b" (${f}:5:5) extends "a" again | remove one of the extends in the cycle (a service cannot extend itself, directly or through others)`,
      'c.yml:7:5 service "c" extends "nope", which is not a service of this file (services: a, b, c) | name an existing service in extends',
    ]);
  });

  test('a file without services is an error', () => {
    const dir = tmp({ 'c.yml': 'version: "3"\n' });
    expect(problems([path.join(dir, 'c.yml')])).toEqual(['c.yml:1:1 no service is defined in the compose files | add a "services:" key with at least one service']);
  });

  test('YAML merge keys and x- extensions work', () => {
    const dir = tmp({ 'c.yml': 'x-base: &base\n  image: nginx:1.27\n  restart: always\nservices:\n  web:\n    <<: *base\n    ports: ["80"]\n' });
    const p = loadCompose([path.join(dir, 'c.yml')], { env: {} });
    expect(p.services.web).toEqual({ image: 'nginx:1.27', restart: 'always', ports: ['80'] });
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockyardError } from '../../lib/core/errors';
import { loadCompose, LoadComposeOptions } from '../../lib/compose/loader';
import { locate } from '../../lib/compose/model';
import { specKeys } from '../../lib/compose/schema';

/** Writes files (folders created) into a fresh temp folder and returns its path. */
function tmp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-spec-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function problems(file: string, options: LoadComposeOptions = { env: {} }): string[] {
  try {
    loadCompose([file], options);
  } catch (e) {
    if (e instanceof DockyardError) return e.problems.map((p) => `${p.where.replace(/^.*\//, '')} ${p.message} | ${p.fix}`);
    throw e;
  }
  throw new Error('expected problems');
}

describe('the current Compose Specification', () => {
  test('GIVEN keys added to the spec since 2021 WHEN loaded THEN they validate and reach the model', () => {
    const dir = tmp({
      'compose.yaml': [
        'name: modern',
        'x-top: {a: 1}',
        'services:',
        '  web:',
        '    image: nginx:1.27',
        '    annotations: [team=web]',
        '    develop: {watch: [{path: ./src, action: sync, target: /app}]}',
        '    gpus: all',
        '    env_file: [{path: ./web.env}, {path: ./optional.env, required: false}]',
        '    healthcheck: {test: ["CMD", "true"], start_interval: 2s, x-note: hi}',
        '    ports: [{name: http, target: 80, published: "8080", app_protocol: http, x-port: 1}]',
        '    configs: [site, greeting]',
        '    secrets: [token]',
        '    models: [llm]',
        '    provider: {type: model, options: {model: ai/smollm2}}',
        '    post_start: [{command: ["echo", "hi"]}]',
        '    x-svc: {b: 2}',
        '    deploy: {x-d: 1, resources: {limits: {pids: 10}}}',
        'configs:',
        '  site: {content: hello}',
        '  greeting: {environment: GREETING}',
        'secrets:',
        '  token: {environment: TOKEN}',
        'models:',
        '  llm: {model: ai/smollm2, context_size: 4096}',
        '',
      ].join('\n'),
      'web.env': 'A=1\n',
    });
    const p = loadCompose([path.join(dir, 'compose.yaml')], { env: { GREETING: 'hi', TOKEN: 's3' } });
    const web = p.services.web;
    expect(p.name).toBe('modern');
    expect(web.annotations).toEqual({ team: 'web' });
    expect(web.env_file).toEqual([path.join(dir, 'web.env')]); // the optional, missing file is skipped
    expect(web.healthcheck).toMatchObject({ start_interval: '2s' });
    expect(web.ports).toEqual([{ name: 'http', target: 80, published: '8080', app_protocol: 'http', 'x-port': 1 }]);
    // `environment:` of a config or secret becomes its content, from the project environment.
    expect(p.configs).toEqual({ site: { content: 'hello' }, greeting: { environment: 'GREETING', content: 'hi' } });
    expect(p.secrets.token.content).toBe('s3');
    expect(p.warnings?.map((w) => w.message)).toEqual(['models: AI models run by Docker Model Runner have no Kubernetes equivalent; they are dropped']);
  });

  test('specKeys tells the mapping which keys the spec has at each place', () => {
    expect(specKeys('healthcheck')).toEqual(expect.arrayContaining(['start_interval', 'start_period', 'test']));
    expect(specKeys('service', 'ports')).toEqual(expect.arrayContaining(['name', 'app_protocol', 'target', 'published']));
    expect(specKeys('service')).toEqual(expect.arrayContaining(['develop', 'gpus', 'annotations', 'provider', 'models', 'use_api_socket']));
    expect(specKeys('config')).toEqual(expect.arrayContaining(['content', 'environment', 'file']));
    expect(specKeys('')).toEqual(expect.arrayContaining(['include', 'name', 'models', 'services']));
  });

  test('quoted "false" is not a boolean, and a count that is not a number is refused', () => {
    const dir = tmp({ 'c.yml': 'services:\n  web:\n    image: x:1\n    privileged: "false"\n    scale: two\n' });
    expect(problems(path.join(dir, 'c.yml'))).toEqual([
      'c.yml:4:5 "services.web.privileged" has the wrong type: it must be boolean | write "services.web.privileged" as boolean',
      'c.yml:5:5 "services.web.scale" has the wrong type: it must be integer | write "services.web.scale" as integer',
    ]);
  });

  test('an unset variable of config environment is an error at the key', () => {
    const dir = tmp({ 'c.yml': 'services:\n  web: {image: "x:1", configs: [g]}\nconfigs:\n  g: {environment: NOPE}\n' });
    expect(problems(path.join(dir, 'c.yml'))).toEqual(['c.yml:4:7 configs "g" takes its content from the variable NOPE, which is not set | set NOPE in the environment or in .env'.replace('configs "g"', 'config "g"')]);
  });
});

describe('include', () => {
  test('GIVEN an included project WHEN loaded THEN its services join, with its own .env and folder for relative paths', () => {
    const dir = tmp({
      'compose.yaml': 'include:\n  - ./db/compose.yaml\n  - path: [./cache/compose.yaml]\n    project_directory: ./cache\nservices:\n  web: {image: "nginx:1.27", depends_on: [db, cache]}\n',
      'db/compose.yaml': 'services:\n  db:\n    image: "postgres:${PG:-15}"\n    env_file: db.env\n    volumes: ["./data:/var/lib/postgresql/data"]\nvolumes:\n  unused: {}\n',
      'db/.env': 'PG=16\n',
      'db/db.env': 'POSTGRES_DB=app\n',
      'cache/compose.yaml': 'services:\n  cache:\n    image: redis:7\n',
    });
    const p = loadCompose([path.join(dir, 'compose.yaml')], { env: {} });
    expect(Object.keys(p.services).sort()).toEqual(['cache', 'db', 'web']);
    expect(p.services.db.image).toBe('postgres:16');
    expect(p.services.db.environment).toEqual({ POSTGRES_DB: 'app' });
    expect(p.services.db.volumes).toEqual(['./db/data:/var/lib/postgresql/data']);
    expect(Object.keys(p.volumes)).toEqual(['unused']);
    expect(locate(p, ['services', 'db', 'image'])).toBe(`${path.join(dir, 'db', 'compose.yaml')}:3:5`);
  });

  test('the including environment wins over the included .env', () => {
    const dir = tmp({ 'c.yml': 'include: [./sub/c.yml]\nservices:\n  web: {image: "x:1"}\n', 'sub/c.yml': 'services:\n  api: {image: "api:${TAG}"}\n', 'sub/.env': 'TAG=sub\n' });
    expect(loadCompose([path.join(dir, 'c.yml')], { env: { TAG: 'shell' } }).services.api.image).toBe('api:shell');
  });

  test('a service defined in both files, an include cycle and a missing file are errors, all in one run', () => {
    const dir = tmp({
      'c.yml': 'include: [./a.yml, ./loop.yml, ./missing.yml]\nservices:\n  web: {image: "x:1"}\n',
      'a.yml': 'services:\n  web: {image: "y:1"}\n',
      'loop.yml': 'include: [./c.yml]\nservices:\n  other: {image: "z:1"}\n',
    });
    const list = problems(path.join(dir, 'c.yml'));
    expect(list).toEqual(expect.arrayContaining([
      expect.stringMatching(/^c\.yml:3:3 service "web" is defined here and also in the included .*a\.yml:2:3; Compose refuses the conflict/),
      expect.stringMatching(/^loop\.yml:1:\d+ include cycle: .*c\.yml includes .*loop\.yml includes .*c\.yml/),
      expect.stringMatching(/^c\.yml:1:\d+ the included compose file .*missing\.yml does not exist/),
    ]));
  });
});

describe('profiles', () => {
  const text = [
    'services:',
    '  web: {image: "web:1"}',
    '  test_lib: {image: "t:1", profiles: [test]}',
    '  coverage: {image: "c:1", profiles: [test], depends_on: [test_lib]}',
    '  debug: {image: "d:1", profiles: [debug], depends_on: [test_lib]}',
    '  tools: {image: "o:1", profiles: [debug], depends_on: {test_lib: {condition: service_started, required: false}}}',
    '',
  ].join('\n');
  const load = (opts: LoadComposeOptions) => Object.keys(loadCompose([path.join(tmp({ 'c.yml': text }), 'c.yml')], opts).services).sort();

  test('services without profiles always; others only when one of their profiles is active', () => {
    expect(load({ env: {} })).toEqual(['web']);
    expect(load({ env: {}, profiles: ['test'] })).toEqual(['coverage', 'test_lib', 'web']);
    expect(load({ env: { COMPOSE_PROFILES: 'test' } })).toEqual(['coverage', 'test_lib', 'web']);
    // --profile wins over COMPOSE_PROFILES; "*" enables every profile.
    expect(load({ env: { COMPOSE_PROFILES: 'debug' }, profiles: ['test'] })).toEqual(['coverage', 'test_lib', 'web']);
    expect(load({ env: {}, profiles: ['*'] })).toEqual(['coverage', 'debug', 'test_lib', 'tools', 'web']);
    expect(load({ env: {}, profiles: ['test', 'debug'] })).toEqual(['coverage', 'debug', 'test_lib', 'tools', 'web']);
  });

  test('depends_on a disabled service is an error (a reference does not enable it); required: false drops the dependency', () => {
    const dir = tmp({ 'c.yml': text });
    expect(problems(path.join(dir, 'c.yml'), { env: {}, profiles: ['debug'] })).toEqual([
      'c.yml:5:57 service "debug" depends on "test_lib", which is disabled: its profiles (test) are not active, and a reference does not enable a service | enable one with --profile test (or COMPOSE_PROFILES=test), or use the long syntax with "required: false"',
    ]);
    const only = loadCompose([path.join(tmp({ 'c.yml': text.split('\n').filter((l) => !l.startsWith('  debug:')).join('\n') }), 'c.yml')], { env: {}, profiles: ['debug'] });
    expect(only.services.tools.depends_on).toEqual({});
  });

  test('a profile no service has is a warning', () => {
    const p = loadCompose([path.join(tmp({ 'c.yml': text }), 'c.yml')], { env: {}, profiles: ['tset'] });
    expect(p.warnings?.map((w) => `${w.where} ${w.message}`)).toEqual(['--profile no service has the profile "tset" (profiles: debug, test)']);
  });
});

describe('env_file as Compose v2 reads it', () => {
  test.each([
    ['unquoted interpolates from earlier lines', 'A=1\nB=x${A}y\n', { A: '1', B: 'x1y' }],
    ['double quotes interpolate and unescape', 'A=1\nB="${A} \\"q\\"\\n"\n', { A: '1', B: '1 "q"\n' }],
    ['single quotes are literal', "A=1\nB='${A}\\n'\n", { A: '1', B: '${A}\\n' }],
    ['the project environment wins over earlier lines', 'HOST=file\nURL=http://${HOST}\n', { HOST: 'file', URL: 'http://shell' }],
    ['defaults and $$', 'A=${NOPE:-d}\nB=$$x\n', { A: 'd', B: '$x' }],
    ['inline comments only after a space', 'A=a#b\nB=b #c\nC="c" # d\n', { A: 'a#b', B: 'b', C: 'c' }],
    ['export, yaml style and a multi-line double-quoted value', 'export A=1\nB: two\nC="x\ny"\n', { A: '1', B: 'two', C: 'x\ny' }],
    ['KEY alone takes the environment, or is left out', 'HOST\nNOPE\n', { HOST: 'shell' }],
  ])('%s', (_name, text, expected) => {
    const dir = tmp({ 'c.yml': 'services:\n  web: {image: "x:1", env_file: app.env}\n', 'app.env': text as string });
    const p = loadCompose([path.join(dir, 'c.yml')], { env: { HOST: 'shell' } });
    expect(p.services.web.environment).toEqual(expected);
    expect(p.envFileValues?.[path.join(dir, 'app.env')]).toEqual(expected);
  });

  test('a later env file reads variables of an earlier one; errors name file:line, never a value', () => {
    const dir = tmp({
      'c.yml': 'services:\n  web: {image: "x:1", env_file: [a.env, b.env]}\n  bad: {image: "x:1", env_file: c.env}\n',
      'a.env': 'BASE=http://a\n',
      'b.env': 'URL=${BASE}/x\n',
      'c.env': 'GOOD=1\nSECRET="hunter2\nbad key=1\nREQ=${MUST:?set MUST}\n',
    });
    const list = problems(path.join(dir, 'c.yml'));
    expect(list.join('\n')).not.toContain('hunter2');
    expect(list).toEqual(['c.env:2 line 2: the quoted value has no closing double quote | close the value with "']);
    fs.writeFileSync(path.join(dir, 'c.env'), 'bad key=1\nREQ=${MUST:?set MUST}\n');
    expect(problems(path.join(dir, 'c.yml'))).toEqual([
      'c.env:1 line 1: the variable name has a character that is not allowed | write NAME=value, with a name of letters, digits, "_", "." and "-" (# starts a comment)',
      'c.env:2 line 2: required variable MUST is not set: set MUST | set MUST in the environment or in the .env file next to the compose file',
    ]);
    fs.writeFileSync(path.join(dir, 'c.env'), 'OK=1\n');
    expect(loadCompose([path.join(dir, 'c.yml')], { env: {} }).services.web.environment).toEqual({ BASE: 'http://a', URL: 'http://a/x' });
  });
});

describe('cross-file extends', () => {
  test('a chain that leaves the first file and comes back into it works', () => {
    const dir = tmp({
      'a.yml': 'services:\n  web:\n    extends: {file: b.yml, service: base}\n    ports: ["80"]\n  common:\n    image: app:1\n    environment: {FROM: common}\n',
      'b.yml': 'services:\n  base:\n    extends: {file: a.yml, service: common}\n    environment: {LEVEL: base}\n',
    });
    const p = loadCompose([path.join(dir, 'a.yml')], { env: {} });
    expect(p.services.web).toEqual({ image: 'app:1', environment: { FROM: 'common', LEVEL: 'base' }, ports: ['80'] });
  });

  test('a cycle across files is a Circular reference naming every step with file:line', () => {
    const dir = tmp({
      'a.yml': 'services:\n  web:\n    extends: {file: b.yml, service: base}\n',
      'b.yml': 'services:\n  base:\n    extends: {file: a.yml, service: web}\n',
    });
    const a = path.join(dir, 'a.yml');
    const b = path.join(dir, 'b.yml');
    expect(problems(a)).toEqual([`a.yml:3:5 Circular reference: service "web" (${a}:3:5) extends "base" (${b}:3:5) extends "web" again | remove one of the extends in the cycle (a service cannot extend itself, directly or through others)`]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCompose } from '../../lib/compose/loader';
import { closest, ENUM_KEYS, isAllowed } from '../../lib/compose/values';
import { DockyardError } from '../../lib/core/errors';

/** Loads one compose text and returns its problems as `line:col message | fix` (empty when it loads). */
function problems(text: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-values-'));
  const file = path.join(dir, 'c.yml');
  fs.writeFileSync(file, text);
  try {
    loadCompose([file], { env: {} });
    return [];
  } catch (e) {
    if (e instanceof DockyardError) return e.problems.map((p) => `${p.where.replace(/^.*c\.yml:/, '')} ${p.message} | ${p.fix}`);
    throw e;
  }
}

const key = (p: string) => ENUM_KEYS.find((k) => k.path.join('.') === p)!;

describe('enum-like keys', () => {
  test.each([
    ['restart', 'no', true], ['restart', 'on-failure:5', true], ['restart', 'on-failure:x', false], ['restart', 'Always', false],
    ['deploy.mode', 'global', true], ['deploy.mode', 'replicated-job', true], ['deploy.mode', 'replica', false],
    ['deploy.endpoint_mode', 'dnsrr', true], ['deploy.endpoint_mode', 'dns', false],
    ['deploy.restart_policy.condition', 'any', true], ['deploy.restart_policy.condition', 'sometimes', false],
    ['deploy.update_config.failure_action', 'rollback', true], ['deploy.rollback_config.failure_action', 'rollback', false],
    ['ports.*.protocol', 'UDP', true], ['ports.*.protocol', 'icmp', false], ['ports.*.mode', 'host', true], ['ports.*.mode', 'global', false],
    ['volumes.*.type', 'tmpfs', true], ['volumes.*.type', 'nfs', false],
  ])('%s: %s allowed = %s', (p, value, ok) => expect(isAllowed(value, key(p))).toBe(ok));

  test('GIVEN restart_policy.condition: sometimes WHEN loaded THEN an error at the value lists the valid ones', () => {
    expect(problems('services:\n  web:\n    image: nginx:1.27\n    deploy:\n      restart_policy:\n        condition: sometimes\n')).toEqual([
      '6:9 services.web.deploy.restart_policy.condition is "sometimes", which is not a valid value (valid: none, on-failure, any) | write one of: none, on-failure, any',
    ]);
  });

  test('a near miss gets a did-you-mean; every bad key of every service is reported at once', () => {
    const text = [
      'services:',
      '  a:',
      '    image: x:1',
      '    restart: allways',
      '    ports: [{target: 80, protocol: tpc, mode: hots}]',
      '  b:',
      '    image: x:1',
      '    volumes: [{type: bnd, source: ./x, target: /x}]',
      '    deploy: {mode: replicate, endpoint_mode: vip, update_config: {failure_action: pasue}}',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      '4:5 services.a.restart is "allways", which is not a valid value (valid: no, always, on-failure, unless-stopped, on-failure:<max retries>) | did you mean "always"? Write one of the valid values',
      '5:26 services.a.ports.0.protocol is "tpc", which is not a valid value (valid: tcp, udp, sctp) | did you mean "tcp"? Write one of the valid values',
      '5:41 services.a.ports.0.mode is "hots", which is not a valid value (valid: ingress, host) | did you mean "host"? Write one of the valid values',
      '8:16 services.b.volumes.0.type is "bnd", which is not a valid value (valid: volume, bind, tmpfs, npipe, cluster, image) | did you mean "bind"? Write one of the valid values',
      '9:14 services.b.deploy.mode is "replicate", which is not a valid value (valid: replicated, global, replicated-job, global-job) | did you mean "replicated"? Write one of the valid values',
      '9:67 services.b.deploy.update_config.failure_action is "pasue", which is not a valid value (valid: continue, rollback, pause) | did you mean "pause"? Write one of the valid values',
    ]);
  });

  test('valid values load', () => {
    expect(problems('services:\n  web:\n    image: x:1\n    restart: "on-failure:3"\n    deploy: {mode: global, endpoint_mode: dnsrr, restart_policy: {condition: any}}\n')).toEqual([]);
  });
});

describe('service references', () => {
  test('depends_on (list and long form), links and volumes_from must name services', () => {
    const text = [
      'services:',
      '  cache:',
      '    image: redis:7.2',
      '  web:',
      '    image: nginx:1.27',
      '    depends_on: [cach]',
      '    links: ["cache:redis", "db"]',
      '    volumes_from: ["container:other", "data:ro"]',
      '  worker:',
      '    image: x:1',
      '    depends_on: {cache: {condition: service_started}, queue: {condition: service_healthy}}',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      '6:18 service "web" depends on "cach", which is not a service of this project (services: cache, web, worker) | did you mean "cache"? Name one of the services, or add a service "cach"',
      '7:28 service "web" links to "db", which is not a service of this project (services: cache, web, worker) | name one of the services, or add a service "db"',
      '8:39 service "web" takes volumes from "data", which is not a service of this project (services: cache, web, worker) | name one of the services, or add a service "data"',
      '11:55 service "worker" depends on "queue", which is not a service of this project (services: cache, web, worker) | name one of the services, or add a service "queue"',
    ]);
  });

  test('closest only suggests near names', () => {
    expect(closest('cach', ['cache', 'web'])).toBe('cache');
    expect(closest('database', ['cache', 'web'])).toBeUndefined();
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { synthApp } from '../../lib/pipeline/synth';
import { checkObjects } from '../../lib/policy/check';
import { commandSecretReason, maskSecrets, secretLiteralReason, secretSpans } from '../../lib/ir/secrets';
import { runCli } from '../bad-input/runners/cli-manifests';

describe('maskSecrets', () => {
  test.each([
    ['export PASSWORD=hunter2 && run', 'export PASSWORD=*** && run'],
    ['DB_PASS="two words" ./migrate', 'DB_PASS=*** ./migrate'],
    ["app --password='x y' --verbose", 'app --password=*** --verbose'],
    ['app --api-token abc123 --verbose', 'app --api-token *** --verbose'],
    ['mysql -uroot -pS3cret app', 'mysql -uroot -p*** app'],
    ['psql postgres://app:p@ss@db/app', 'psql postgres://app:***@db/app'],
    ['curl https://x/y?access_token=t1&mode=a', 'curl https://x/y?access_token=***&mode=a'],
    ['java -Djavax.net.ssl.keyStorePassword=changeit -jar a.jar', 'java -Djavax.net.ssl.keyStorePassword=*** -jar a.jar'],
    ['export A=1 SECRET_KEY_BASE=abc; TOKEN=t2 run', 'export A=1 SECRET_KEY_BASE=***; TOKEN=*** run'],
  ])('GIVEN %j THEN %j', (text, masked) => {
    expect(maskSecrets(text)).toBe(masked);
    expect(secretSpans(text).length).toBeGreaterThan(0);
  });

  test.each([
    'export PASSWORD=$(cat /run/secrets/pw)', 'PASSWORD=$DB_PASSWORD run', 'app --password "$PW"', 'app --token ${TOKEN}', 'app --password $(DB_PASSWORD)',
    'app --password-file /run/secrets/pw', 'PASSWORD_FILE=/run/secrets/pw app', 'docker run -p8080:80 nginx', 'mysql -p app', 'app --key-size 2048',
    'app --password --user root', 'KEY_PATH=/etc/key.pem', 'echo monkey=1 bypass=2', 'nginx -g "daemon off;"',
  ])('GIVEN %j (a reference or no secret) THEN nothing is flagged or changed', (text) => {
    expect(secretSpans(text)).toEqual([]);
    expect(maskSecrets(text)).toBe(text);
  });

  test('a bare secret flag makes the next argument its value; -pVALUE counts when the argv runs a MySQL client', () => {
    expect(commandSecretReason('hunter2', { previous: '--password' })).toBe('is the literal value of --password (***)');
    expect(commandSecretReason('$(PW)', { previous: '--password' })).toBeUndefined();
    expect(commandSecretReason('--other', { previous: '--password' })).toBeUndefined();
    expect(commandSecretReason('-pS3cret', { mysql: true })).toBe('passes a MySQL password with -p (-p***)');
    expect(commandSecretReason('-pS3cret', { mysql: false })).toBeUndefined();
  });

  test('env and ConfigMap values: assignments inside a value are found, and reasons never hold the value', () => {
    expect(secretLiteralReason('JAVA_OPTS', '-Dspring.datasource.password=hunter2')).toBe('sets Dspring.datasource.password to a literal value (-Dspring.datasource.password=***)');
    expect(secretLiteralReason('DATABASE_URL', 'postgres://u:hunter2@db/x')).toBe('holds a URL with a password (postgres://u:***@db/x)');
    expect(secretLiteralReason('GREETING', 'hello')).toBeUndefined();
  });
});

describe('a flagged value is masked everywhere it is printed', () => {
  const SECRET = 'hunter2-zz';
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: { containers: [{ name: 'app', image: 'mysql:8.0', command: ['sh', '-c', `export PASSWORD=${SECRET}; mysql -p${SECRET}`], args: ['--token', SECRET], env: [{ name: 'OPTS', value: `-Dpassword=${SECRET}` }] }] },
  };

  test('GIVEN the policy report THEN every finding message is masked', () => {
    const report = checkObjects([pod as any]);
    expect(report.findings.filter((f) => f.rule === 'secret-in-env').map((f) => f.field)).toEqual(['spec.containers[0].env[0].value', 'spec.containers[0].command[2]', 'spec.containers[0].args[1]']);
    expect(JSON.stringify(report)).not.toContain(SECRET);
  });

  test('GIVEN dockyard lint (human and --json) THEN the value is not printed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-mask-'));
    const file = path.join(dir, 'pod.json');
    fs.writeFileSync(file, JSON.stringify(pod));
    try {
      for (const args of [['lint', file], ['lint', '--json', file]]) {
        const r = await runCli(args);
        expect(r.code).toBe(1);
        expect(`${r.out}${r.err}`).toContain('PASSWORD=***');
        expect(`${r.out}${r.err}`).not.toContain(SECRET);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN a synth THEN the policy error and the logged lines do not hold the value', () => {
    const app = new App();
    new ApiObject(new Chart(app, 'c'), 'pod', pod);
    const logged: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((t) => { logged.push(String(t)); return true; });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-mask-synth-'));
    try {
      expect(() => synthApp(app, { outdir })).toThrow('PASSWORD=***');
      try { synthApp(app, { outdir }); } catch (e) { expect((e as Error).message).not.toContain(SECRET); }
      expect(logged.join('')).not.toContain(SECRET);
    } finally {
      spy.mockRestore();
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

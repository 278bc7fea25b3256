import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';
import { CliIo } from '../../lib/cli/command';
import { podserviceController } from '../../apps/podservice-controller/chart';
import { Testing } from '../../lib/pipeline/testing';
import { NO_CHILDREN, parent, post } from './http-helpers';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dockyard.js');

/** Starts `node bin/dockyard.js webhook podservice --port 0` and resolves with its port once it listens. */
function start(): Promise<{ child: ChildProcess; port: number; stderr: () => string; exit: Promise<number | null> }> {
  if (!fs.existsSync(path.join(ROOT, 'build', 'lib', 'cli', 'commands', 'webhook.js'))) {
    throw new Error('build/ has no webhook command: run `npx tsc -p tsconfig.build.json` (npm test does) before this test');
  }
  const child = spawn(process.execPath, [BIN, 'webhook', 'podservice', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`webhook did not start: ${err}`)); }, 10_000);
    child.stderr!.on('data', (c) => {
      err += c;
      const m = /"msg":"listening".*?"port":(\d+)/.exec(err);
      if (m) { clearTimeout(timer); resolve({ child, port: Number(m[1]), stderr: () => err, exit }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`webhook exited with ${code}: ${err}`)); });
  });
}

describe('dockyard webhook podservice (a real process)', () => {
  test('GIVEN SIGTERM during a request THEN the request completes, the process stops accepting and exits 0', async () => {
    const { child, port, stderr, exit } = await start();
    try {
      const ok = await post(port, '/sync', { parent: parent(), children: NO_CHILDREN });
      expect(ok.status).toBe(200);
      expect(ok.json.children).toHaveLength(3);
      // An in-flight request: headers and half the body sent, then SIGTERM, then the rest.
      const body = JSON.stringify({ parent: parent(), children: NO_CHILDREN });
      const inFlight = new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/sync', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 200);
        }, 100);
      });
      const r = await inFlight;
      expect(r).toEqual({ status: 200, connection: 'close' });
      expect(await exit).toBe(0);
      const lines = stderr().trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.msg)).toEqual(['listening', 'request', 'shutting down', 'request', 'stopped']);
      expect(lines[2]).toMatchObject({ signal: 'SIGTERM' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('GIVEN bad arguments THEN exit 1 with the usage', async () => {
    let err = '';
    const io: CliIo = { out: () => undefined, err: (t) => { err += t; }, stdin: () => '', env: {} };
    expect(await main(['webhook', 'podservice', '--port', 'eighty'], io)).toBe(1);
    expect(err).toContain('[--port] "eighty" is not a whole number between 0 and 65535. Fix: usage: dockyard webhook podservice [--port N]');
    err = '';
    expect(await main(['webhook', 'other'], io)).toBe(1);
    expect(err).toContain('[arguments] unknown webhook "other"');
  });

  test('GIVEN the synthesized controller YAML THEN dockyard validate accepts it, and names file:line of a CompositeController typo', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psc-'));
    const file = path.join(dir, 'podservice-controller.k8s.yaml');
    const yaml = Testing.yaml(podserviceController(Testing.app()));
    fs.writeFileSync(file, yaml);
    let out = ''; let err = '';
    const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => '', env: {} };
    expect(await main(['validate', file], io)).toBe(0);
    expect(out).toBe('5 object(s) valid\n');
    fs.writeFileSync(file, yaml.replace('generateSelector: true', 'generateSelectr: true'));
    expect(await main(['validate', file], io)).toBe(1);
    const line = yaml.split('\n').findIndex((l) => l.includes('generateSelector')) + 1;
    expect(err).toContain(`${file}:${line}: CompositeController/podservice-controller: spec.generateSelectr: unknown field "generateSelectr"`);
  });
});

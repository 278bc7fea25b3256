import * as http from 'node:http';
import { renderPodService } from '../../lib/constructs/pod-service';
import { stableStringify } from '../../lib/core/naming';
import { createWebhookServer, WebhookServer } from '../../lib/metacontroller/server';
import { controller, NO_CHILDREN, observed, parent, post, raw, request } from './http-helpers';

let hook: WebhookServer;
let port: number;
const logs: string[] = [];

beforeAll(async () => {
  hook = createWebhookServer({ log: (l) => logs.push(l), maxBodyBytes: 64 * 1024 });
  port = (await hook.listen(0)).port;
});
afterAll(() => hook.close());

const sorted = (v: unknown) => JSON.parse(stableStringify(v));

describe('POST /sync', () => {
  test('GIVEN a new PodService (no children yet) THEN the children are renderPodService(parent) and the status says what is missing', async () => {
    const p = parent();
    const r = await post(port, '/sync', { controller: controller('v1'), parent: p, children: NO_CHILDREN, finalizing: false });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.json.children).toEqual(sorted(renderPodService(p)));
    expect(r.json.children.map((c: any) => `${c.kind}/${c.metadata.namespace}/${c.metadata.name}`)).toEqual(['Pod/default/web', 'Service/default/web', 'Ingress/default/web']);
    expect(r.json.status).toEqual({ observedGeneration: 3, ready: false, podPhase: 'Missing', podReady: false, message: 'waiting for Pod web to be created' });
    expect(r.json.resyncAfterSeconds).toBe(10);
    expect(Object.keys(r.json).sort()).toEqual(['children', 'resyncAfterSeconds', 'status']);
  });

  test('GIVEN existing children (v1 keys: name) THEN the same children, and the status reports pod phase, readiness, cluster IP', async () => {
    const first = await post(port, '/sync', { controller: controller('v1'), parent: parent(), children: NO_CHILDREN });
    const r = await post(port, '/sync', { controller: controller('v1'), parent: parent(), children: observed((n) => n), finalizing: false });
    expect(r.status).toBe(200);
    expect(r.json.children).toEqual(first.json.children);
    expect(r.json.status).toEqual({ observedGeneration: 3, ready: true, podPhase: 'Running', podReady: true, clusterIP: '10.96.12.34', ingressAddress: 'localhost', message: 'Pod web is Ready behind Service web (10.96.12.34)' });
    expect(r.json.resyncAfterSeconds).toBe(0);
  });

  test('GIVEN a Pod that is Pending and a Service without IP THEN not ready, and the message names what it waits for', async () => {
    const children = observed((n) => n);
    children['Pod.v1'].web.status = { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] };
    delete children['Service.v1'].web.spec.clusterIP;
    const r = await post(port, '/sync', { parent: parent(), children });
    expect(r.json.status).toMatchObject({ ready: false, podPhase: 'Pending', podReady: false, message: 'waiting for Pod web to be Ready (phase Pending)' });
    expect(r.json.status.clusterIP).toBeUndefined();
  });

  test('GIVEN hook version v2 (keys namespace/name) THEN the children are found under the v2 keys', async () => {
    const v2 = await post(port, '/sync', { controller: controller('v2'), parent: parent(), children: observed((n) => `default/${n}`), related: {} });
    expect(v2.status).toBe(200);
    expect(v2.json.status).toMatchObject({ ready: true, clusterIP: '10.96.12.34' });
    // A v1 controller with v2-shaped keys: the child named "web" is not there.
    const mixed = await post(port, '/sync', { controller: controller('v1'), parent: parent(), children: observed((n) => `default/${n}`) });
    expect(mixed.json.status).toMatchObject({ ready: false, podPhase: 'Missing' });
    // Without the controller the version is inferred from the keys.
    const inferred = await post(port, '/sync', { parent: parent(), children: observed((n) => `default/${n}`) });
    expect(inferred.json.status.ready).toBe(true);
    const log = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.version === 'v2');
    expect(log.length).toBeGreaterThanOrEqual(2);
  });

  test('GIVEN no host THEN no Ingress; GIVEN the same request twice THEN byte-identical answers with sorted keys', async () => {
    const body = { parent: parent({ port: 8080, image: 'busybox:1.36' }), children: NO_CHILDREN, finalizing: false };
    const a = await post(port, '/sync', body);
    const b = await post(port, '/sync', body);
    expect(a.json.children.map((c: any) => c.kind)).toEqual(['Pod', 'Service']);
    expect(a.text).toBe(b.text);
    expect(a.text).toBe(stableStringify(a.json) + '\n');
    expect(a.headers['content-length']).toBe(String(Buffer.byteLength(a.text)));
  });

  test('GIVEN finalizing: true on /sync THEN it is answered as a finalize', async () => {
    const r = await post(port, '/sync', { parent: parent(), children: NO_CHILDREN, finalizing: true });
    expect(r.json).toMatchObject({ children: [], finalized: true });
  });
});

describe('POST /finalize', () => {
  test('GIVEN children still observed THEN none wanted and finalized false with a resync', async () => {
    const r = await post(port, '/finalize', { controller: controller('v1'), parent: parent(), children: observed((n) => n), finalizing: true });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      children: [], finalized: false, resyncAfterSeconds: 10,
      status: { observedGeneration: 3, ready: false, podPhase: 'Running', podReady: true, clusterIP: '10.96.12.34', ingressAddress: 'localhost', message: 'deleting 3 child object(s)' },
    });
  });

  test('GIVEN no children left THEN finalized true', async () => {
    const r = await post(port, '/finalize', { controller: controller('v2'), parent: parent(), children: NO_CHILDREN, finalizing: true });
    expect(r.json).toMatchObject({ children: [], finalized: true, resyncAfterSeconds: 0, status: { message: 'all children deleted' } });
  });

  test('GIVEN a parent whose spec is invalid THEN it can still be finalized (deleted)', async () => {
    const r = await post(port, '/finalize', { parent: parent({ image: '', port: 0 }), children: NO_CHILDREN, finalizing: true });
    expect(r.status).toBe(200);
    expect(r.json.finalized).toBe(true);
  });
});

describe('bad input: a 4xx naming the field, never a crash', () => {
  const cases: [string, number, string, () => Promise<any>][] = [
    ['invalid JSON', 400, 'body: is not valid JSON', () => post(port, '/sync', '{"parent": {')],
    ['an empty body', 400, 'body: is empty', () => post(port, '/sync', '')],
    ['a JSON array', 400, 'body: must be a JSON object, got an array', () => post(port, '/sync', '[1,2]')],
    ['JSON null', 400, 'body: must be a JSON object, got null', () => post(port, '/sync', 'null')],
    ['a wrong content type', 415, 'content-type: "text/plain" is not JSON', () => request(port, 'POST', '/sync', '{}', { 'content-type': 'text/plain' })],
    ['no content type', 415, 'content-type: "" is not JSON', () => request(port, 'POST', '/sync', '{}')],
    ['a body over the limit (Content-Length)', 413, 'body: is 71', () => post(port, '/sync', JSON.stringify({ parent: parent(), pad: 'x'.repeat(70 * 1024) }))],
    ['a parent that is missing', 422, 'parent: is missing', () => post(port, '/sync', { children: NO_CHILDREN })],
    ['a parent of another kind', 422, 'parent.kind: must be "PodService", got "Deployment"', () => post(port, '/sync', { parent: { ...parent(), kind: 'Deployment' } })],
    ['a port out of range', 422, 'parent.spec.port: 70000 is not a port', () => post(port, '/sync', { parent: parent({ image: 'nginx:1.27', port: 70000 }) })],
    ['an image missing', 422, 'parent.spec.image: undefined is not an image reference', () => post(port, '/sync', { parent: parent({ port: 80 }) })],
    ['an unknown spec field', 422, 'parent.spec.replicas: unknown field "replicas"', () => post(port, '/sync', { parent: parent({ image: 'nginx:1.27', port: 80, replicas: 2 }) })],
    ['a name that starts with a digit', 422, 'parent.metadata.name: "1web" must start with a lowercase letter', () => post(port, '/sync', { parent: { ...parent(), metadata: { name: '1web', namespace: 'default' } } })],
    ['a bad host', 422, 'parent.spec.host: "Pod_Service"', () => post(port, '/sync', { parent: parent({ image: 'nginx:1.27', port: 80, host: 'Pod_Service' }) })],
    ['children of the wrong type', 422, 'children: must be an object keyed by "Kind.apiVersion"', () => post(port, '/sync', { parent: parent(), children: [] })],
    ['a child group of the wrong type', 422, 'children["Pod.v1"]: must be an object keyed by child name', () => post(port, '/sync', { parent: parent(), children: { 'Pod.v1': 'web' } })],
    ['finalizing not a boolean', 422, 'finalizing: must be true or false, got "yes"', () => post(port, '/sync', { parent: parent(), finalizing: 'yes' })],
    ['a namespace that is not a string', 422, 'parent.metadata.namespace: must be a string', () => post(port, '/sync', { parent: { ...parent(), metadata: { name: 'web', namespace: 7 } } })],
    ['JSON nested 5,000 deep', 400, 'body: is nested deeper than 100 levels', () => post(port, '/sync', `{"parent":${'['.repeat(5000)}${']'.repeat(5000)}}`)],
    ['GET on /sync', 405, 'method: GET is not allowed on /sync', () => request(port, 'GET', '/sync')],
    ['an unknown path', 404, 'path: "/hook" is not a hook', () => post(port, '/hook', {})],
  ];
  test.each(cases)('GIVEN %s THEN a %d: %s', async (_name, status, message, send) => {
    const r = await send();
    expect(r.status).toBe(status);
    expect(r.json.error.status).toBe(status);
    expect(r.json.error.message).toContain(message);
    expect(r.json.error.problems[0].fix).toEqual(expect.any(String));
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(r.text)));
  });

  test('GIVEN a 405 THEN the Allow header names the method', async () => {
    expect((await request(port, 'GET', '/finalize')).headers.allow).toBe('POST');
  });

  test('GIVEN a chunked body over the limit (no Content-Length) THEN 413 and the connection closes', async () => {
    const r = await new Promise<{ status: number; text: string; connection?: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/sync', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode!, text, connection: res.headers.connection }));
      });
      req.on('error', (e: any) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
      for (let i = 0; i < 80; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(r.status).toBe(413);
    expect(r.connection).toBe('close');
    expect(JSON.parse(r.text).error.message).toBe('body: is over the limit of 65536 bytes');
  });

  test('GIVEN 40 clients that hang up mid-headers or mid-body THEN the server keeps serving', async () => {
    const net = await import('node:net');
    const body = JSON.stringify({ parent: parent(), children: NO_CHILDREN });
    const head = `POST /sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    await Promise.all(Array.from({ length: 40 }, (_, i) => new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write(i % 2 ? head + body.slice(0, i * 5) : head.slice(0, 10 + i));
        setTimeout(() => { s.destroy(); resolve(); }, 20);
      });
      s.on('error', () => resolve());
    })));
    const r = await post(port, '/sync', body);
    expect(r.status).toBe(200);
    // Hang-ups mid-body are logged as 499 (client closed), never as a 500 of ours.
    const statuses = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request').map((l) => l.status);
    expect(statuses).toContain(499);
    expect(statuses).not.toContain(500);
  });

  test('GIVEN bytes that are not HTTP THEN a 400 JSON answer and the server keeps serving', async () => {
    const answer = await raw(port, 'HELLO THERE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('"message":"request: is not valid HTTP');
    expect((await request(port, 'GET', '/healthz')).status).toBe(200);
  });

  test('GIVEN 1,000 malformed bodies THEN every answer is complete JSON with a 2xx/4xx, and /healthz still answers', async () => {
    // Deterministic pseudo-random mutations of a valid request, count-bounded (1-3 s on 2 cores).
    let seed = 42;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const valid = JSON.stringify({ controller: controller('v2'), parent: parent(), children: observed((n) => `default/${n}`), finalizing: false });
    const values: unknown[] = [null, true, 0, -1, 1e308, 'x', '', [], {}, [[]], { a: {} }, 'é\u0000\ud800', 65536, 1.5, '10.0.0.1'];
    const mutate = (): string => {
      switch (rnd(6)) {
        case 0: return valid.slice(0, rnd(valid.length)); // truncated
        case 1: { const b = Buffer.from(valid); for (let i = 0; i < 1 + rnd(8); i++) b[rnd(b.length)] = rnd(256); return b.toString('latin1'); }
        case 2: { // a random value at a random path
          const obj = JSON.parse(valid);
          const paths = [['parent'], ['parent', 'spec'], ['parent', 'spec', 'port'], ['parent', 'spec', 'image'], ['parent', 'spec', 'host'], ['parent', 'metadata'], ['parent', 'metadata', 'name'],
            ['children'], ['children', 'Pod.v1'], ['children', 'Pod.v1', 'default/web'], ['children', 'Pod.v1', 'default/web', 'status'], ['controller'], ['controller', 'spec', 'hooks', 'sync', 'version'], ['finalizing'], ['related']];
          const path = paths[rnd(paths.length)];
          let at = obj;
          for (const k of path.slice(0, -1)) at = at?.[k] ?? {};
          if (at && typeof at === 'object') at[path[path.length - 1]] = values[rnd(values.length)];
          return JSON.stringify(obj);
        }
        case 3: return JSON.stringify(values[rnd(values.length)]);
        case 4: return '{'.repeat(rnd(300)) + '"a":1' + '}'.repeat(rnd(300));
        default: return Array.from({ length: rnd(200) }, () => String.fromCharCode(rnd(128))).join('');
      }
    };
    const seen = new Map<number, number>();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const one = (body: string) => new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: rnd(10) ? '/sync' : '/finalize', headers: { 'content-type': 'application/json' }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(text));
            const json = JSON.parse(text);
            if (res.statusCode !== 200) expect(json.error.message).toEqual(expect.any(String));
          } catch (e) { reject(new Error(`${(e as Error).message} for body ${JSON.stringify(body).slice(0, 300)}`)); return; }
          seen.set(res.statusCode!, (seen.get(res.statusCode!) ?? 0) + 1);
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
    const bodies = Array.from({ length: 1000 }, mutate);
    for (let i = 0; i < bodies.length; i += 16) await Promise.all(bodies.slice(i, i + 16).map(one));
    agent.destroy();
    expect([...seen.keys()].every((s) => [200, 400, 422].includes(s))).toBe(true);
    expect(seen.get(400)).toBeGreaterThan(80);
    expect(seen.get(422)).toBeGreaterThan(30);
    expect(seen.get(200)).toBeGreaterThan(10);
    expect((await request(port, 'GET', '/healthz')).json).toEqual({ ok: true });
  });
});

describe('health, logs and shutdown', () => {
  test('GIVEN GET /healthz THEN 200 {ok: true}', async () => {
    const r = await request(port, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true });
  });

  test('GIVEN requests THEN one JSON log line each with method, path, status and duration', async () => {
    logs.length = 0;
    await post(port, '/sync', { parent: parent(), children: NO_CHILDREN });
    await post(port, '/sync', { parent: parent({ image: 'nginx:1.27', port: 0 }) });
    const lines = logs.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/sync', status: 200, hook: 'sync', version: 'v1', parent: 'default/web', children: 3, ready: false });
    expect(lines[0].ms).toEqual(expect.any(Number));
    expect(lines[1]).toMatchObject({ level: 'warn', status: 422, error: 'parent.spec.port: 0 is not a port' });
  });

  test('GIVEN close() during a request THEN the request completes with Connection: close, and new connections are refused', async () => {
    const own = createWebhookServer({ log: () => undefined });
    const ownPort = (await own.listen(0)).port;
    const body = JSON.stringify({ parent: parent(), children: NO_CHILDREN });
    const pending = new Promise<{ status: number; connection?: string; json: any }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: ownPort, method: 'POST', path: '/sync', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 20));
      // Half the body is in; shut down, then send the rest.
      setTimeout(() => { closed = own.close(); setTimeout(() => req.end(body.slice(20)), 100); }, 100);
    });
    let closed: Promise<void> | undefined;
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.connection).toBe('close');
    expect(r.json.children).toHaveLength(3);
    await closed;
    await expect(request(ownPort, 'GET', '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  });
});

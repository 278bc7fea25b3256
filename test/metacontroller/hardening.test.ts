import * as http from 'node:http';
import { HookError, imageReferenceProblem, MAX_IMAGE_LENGTH, parseHookRequest, RenderMemo } from '../../lib/metacontroller/hook';
import { createWebhookServer, WebhookServer } from '../../lib/metacontroller/server';
import { NO_CHILDREN, parent, post } from './http-helpers';

const statusOf = (f: () => unknown): { status?: number; where?: string[] } => {
  try { f(); return {}; } catch (e) { return e instanceof HookError ? { status: e.status, where: e.problems.map((p) => p.where) } : { status: -1 }; }
};

describe('webhook input is checked as the API server would', () => {
  test.each([
    ['namespace', { namespace: 'default\n---\nkind: Secret' }], ['namespace', { namespace: '../../kube-system' }], ['namespace', { namespace: 'Default' }],
    ['namespace', { namespace: 'n'.repeat(64) }], ['name', { name: 'web/../x' }], ['name', { name: 'w'.repeat(254) }], ['uid', { uid: 'u'.repeat(129) }], ['uid', { uid: 7 }],
  ])('GIVEN a bad metadata %s THEN a 400 naming parent.metadata.%s', (field, meta) => {
    const p = parent();
    Object.assign(p.metadata, meta);
    expect(statusOf(() => parseHookRequest({ parent: p }, 'sync'))).toEqual({ status: 400, where: [`parent.metadata.${field}`] });
  });

  test('GIVEN a huge value THEN the message quotes only its start', () => {
    const p = parent();
    p.metadata.namespace = 'x'.repeat(1_000_000);
    try { parseHookRequest({ parent: p }, 'sync'); throw new Error('accepted'); } catch (e) {
      expect((e as HookError).message.length).toBeLessThan(400);
      expect((e as HookError).message).toContain('(1000000 characters)');
    }
  });

  test('GIVEN valid names (and a name that is an object name but no Service name) THEN not a 400', () => {
    expect(statusOf(() => parseHookRequest({ parent: parent() }, 'sync'))).toEqual({});
    expect(statusOf(() => parseHookRequest({ parent: parent(undefined, 'web.v2', 'kube-system') }, 'sync'))).toEqual({});
  });

  test('image references follow the Docker grammar and are bounded', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const ok of ['nginx', 'nginx:1.27', 'library/nginx', 'docker.io/library/nginx:latest', 'localhost:5000/app', 'registry.example.com:5000/team/app:2.1',
      `app@${digest}`, `ghcr.io/o/r:v1@${digest}`, '[::1]:5000/app:tag', 'gcr.io/a/b/c:v1.2-rc_3', 'my_app__x', 'a-b--c']) expect([ok, imageReferenceProblem(ok)]).toEqual([ok, undefined]);
    for (const bad of ['Nginx', 'nginx:', ':1.27', 'nginx:1:2', 'a//b', 'a/', 'nginx@sha256:xyz', 'nginx:-x', 'a_', '-a', 'nginx:1.27\u0000', `a:${'t'.repeat(129)}`, `${'a'.repeat(256)}:1`]) {
      expect([bad, imageReferenceProblem(bad)]).toEqual([bad, expect.any(String)]);
    }
    expect(imageReferenceProblem(`nginx:${'a'.repeat(MAX_IMAGE_LENGTH)}`)).toContain(`at most ${MAX_IMAGE_LENGTH}`);
  });
});

describe('RenderMemo is bounded by bytes', () => {
  const req = (i: number, image = 'nginx:1.27') => parseHookRequest({ parent: parent({ image, port: 80 }, `web${i}`) }, 'sync');

  test('GIVEN many distinct large parents THEN the bytes held never pass the bound, oldest entries go first, and hits still answer', () => {
    const memo = new RenderMemo({ maxBytes: 64 * 1024 });
    const image = `registry.example.com/${'a'.repeat(200)}:${'t'.repeat(120)}`;
    for (let i = 0; i < 500; i++) {
      memo.children(req(i, image));
      expect(memo.bytes).toBeLessThanOrEqual(64 * 1024);
    }
    expect(memo.size).toBeGreaterThan(5);
    expect(memo.size).toBeLessThan(100);
    const last = memo.children(req(499, image));
    expect(memo.children(req(499, image))).toBe(last);
  });

  test('GIVEN an entry larger than the whole memo THEN it is answered but not kept', () => {
    const memo = new RenderMemo({ maxBytes: 1024 });
    expect(memo.children(req(1)).count).toBe(2);
    expect([memo.size, memo.bytes]).toEqual([0, 0]);
  });

  test('GIVEN maxEntries THEN it is kept too', () => {
    const memo = new RenderMemo({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) memo.children(req(i));
    expect(memo.size).toBe(3);
  });
});

describe('a hostile client cannot grow the server', () => {
  let hook: WebhookServer;
  let port: number;
  const MAX_CACHE = 256 * 1024;
  beforeAll(async () => {
    hook = createWebhookServer({ log: () => undefined, maxBodyBytes: 128 * 1024, maxBufferedBytes: 256 * 1024, maxCacheBytes: MAX_CACHE });
    port = (await hook.listen(0)).port;
  });
  afterAll(() => hook.close());

  test('GIVEN 600 large distinct requests THEN the memo stays under its byte bound and every answer is a 200 (or a 503 when too much is in flight)', async () => {
    const padding = 'x'.repeat(100 * 1024); // large bodies: observed children the memo must not keep
    const statuses = new Set<number>();
    for (let i = 0; i < 600; i += 10) {
      const batch = Array.from({ length: 10 }, (_, k) => {
        const n = i + k;
        const p = parent({ image: `registry.example.com/team/${'a'.repeat(200)}:${'t'.repeat(100)}${n}`, port: 80, host: `h${n}.example.com` }, `web${n}`, `ns${n}`);
        return post(port, '/sync', { parent: p, children: { ...NO_CHILDREN, 'ConfigMap.v1': { [`c${n}`]: { data: { pad: padding } } } } });
      });
      for (const a of await Promise.all(batch)) statuses.add(a.status);
      expect(hook.cacheStats().bytes).toBeLessThanOrEqual(MAX_CACHE);
    }
    expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
    expect(statuses.has(200)).toBe(true);
    expect(hook.cacheStats().entries).toBeLessThan(600);
    expect(hook.cacheStats().entries).toBeGreaterThan(10);
  });

  test('GIVEN more request bytes in flight than maxBufferedBytes THEN the excess is a 503 with Retry-After, and the server keeps serving', async () => {
    const open: http.ClientRequest[] = [];
    const first = new Promise<http.IncomingMessage>((resolve) => {
      for (let i = 0; i < 3; i++) {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/sync', agent: false, headers: { 'content-type': 'application/json' } }, resolve);
        req.on('error', () => undefined);
        req.write(`{"pad":"${'p'.repeat(120 * 1024)}`);
        open.push(req);
      }
    });
    const res = await first;
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    for (const r of open) r.destroy();
    expect((await post(port, '/sync', { parent: parent() })).status).toBe(200);
  });
});

import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Problem } from '../core/errors';
import { stableStringify } from '../core/naming';
import { answerHookText, HookError, HookKind, HookOptions, parseHookRequest, RenderMemo } from './hook';

/**
 * The PodService sync webhook on node:http. Routes: POST /sync, POST /finalize, GET /healthz.
 * Every answer is one complete JSON body with a Content-Length (never a half response); every
 * failure is a 4xx naming the field, or a 500 if we have a bug; one JSON log line per request.
 */

/** Options of `createWebhookServer`. */
export interface WebhookServerOptions extends HookOptions {
  /** Largest request body accepted, in bytes. @default 1048576 (1 MiB) */
  readonly maxBodyBytes?: number;
  /** Request bodies buffered at once, over all connections; more waits as a 503 with Retry-After. @default 16 x maxBodyBytes */
  readonly maxBufferedBytes?: number;
  /** Memory the memo of rendered children may hold. @default 8 MiB */
  readonly maxCacheBytes?: number;
  /** Where the one-line JSON logs go. @default - standard error */
  readonly log?: (line: string) => void;
  /** How long shutdown waits for in-flight requests before closing their sockets, in ms. @default 10000 */
  readonly shutdownTimeoutMs?: number;
}

/** A running or ready-to-run webhook server. */
export interface WebhookServer {
  /** The node:http server. */
  readonly server: http.Server;
  /** Starts listening; resolves with the bound address (pass port 0 for a free port). */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then resolves. */
  close(): Promise<void>;
  /** What the memo of rendered children holds now (bytes as it counts them, entries). */
  cacheStats(): { readonly bytes: number; readonly entries: number };
}

const HOOKS: Record<string, HookKind> = { '/sync': 'sync', '/finalize': 'finalize' };

class HttpProblem extends Error {
  constructor(public readonly status: number, public readonly problem: Problem, public readonly headers: Record<string, string> = {}) {
    super(problem.message);
  }
}

/** Bytes of request bodies being buffered, over all connections of one server. */
interface BodyBudget { held: number; readonly max: number }

function readBody(req: http.IncomingMessage, limit: number, budget: BodyBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpProblem(413, { where: 'body', message: `is ${declared} bytes, over the limit of ${limit}`, fix: 'send a smaller request, or start the webhook with a larger --max-body' }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => { done = true; budget.held -= size; };
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      budget.held += c.length;
      if (size > limit) {
        finish();
        reject(new HttpProblem(413, { where: 'body', message: `is over the limit of ${limit} bytes`, fix: 'send a smaller request, or start the webhook with a larger --max-body' }));
        return;
      }
      if (budget.held > budget.max) {
        finish();
        reject(new HttpProblem(503, { where: 'body', message: `cannot be buffered now: ${budget.max} bytes of requests are in flight`, fix: 'retry after a second (Metacontroller retries by itself)' }, { 'retry-after': '1', connection: 'close' }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => { if (!done) { finish(); resolve(Buffer.concat(chunks, size)); } });
    req.on('error', (e) => { if (!done) { finish(); reject(e); } });
    req.on('close', () => { if (!done) { finish(); reject(new Error('client closed the connection')); } });
  });
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

// Kubernetes objects (managedFields included) stay far below this; deeper input would only make
// recursive code further on (messages, stringify) overflow the stack.
const MAX_DEPTH = 100;

/**
 * True when the JSON text nests objects/arrays deeper than `max`. A byte scan before parsing:
 * iterative, allocation-free, and brackets inside strings do not count.
 */
export function jsonDepthOver(buf: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) { if (++depth > max) return true; } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function parseJson(buf: Buffer): unknown {
  const text = buf.toString('utf8');
  if (text.trim() === '') throw new HttpProblem(400, { where: 'body', message: 'is empty', fix: 'send the hook request as a JSON object' });
  if (jsonDepthOver(buf, MAX_DEPTH)) throw new HttpProblem(400, { where: 'body', message: `is nested deeper than ${MAX_DEPTH} levels`, fix: 'send Kubernetes objects, which are far shallower' });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpProblem(400, { where: 'body', message: `is not valid JSON: ${(e as Error).message}`, fix: 'send the hook request as a JSON object' });
  }
}

/** Creates the webhook server (not listening yet). */
export function createWebhookServer(options: WebhookServerOptions = {}): WebhookServer {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const write = options.log ?? ((line: string) => { process.stderr.write(line + '\n'); });
  // A failing log sink must not take the server down with it.
  const log = (line: string) => { try { write(line); } catch { /* dropped */ } };
  let stopping = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const memo = new RenderMemo({ maxBytes: options.maxCacheBytes });
  const budget: BodyBudget = { held: 0, max: options.maxBufferedBytes ?? 16 * limit };

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number =>
    sendText(res, status, stableStringify(body), headers);
  const sendText = (res: http.ServerResponse, status: number, json: string, headers: Record<string, string> = {}): number => {
    const text = json + '\n';
    const bytes = Buffer.byteLength(text);
    // A closed connection after a rejected body: the rest of it is never read.
    const close = stopping || status === 413 || headers.connection === 'close';
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes), ...headers, ...(close ? { connection: 'close' } : {}) });
    res.end(text);
    return bytes;
  };
  const failure = (status: number, problems: readonly Problem[]) => ({
    error: { status, message: problems.map((p) => `${p.where}: ${p.message}`).join('; '), problems },
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, entry: Record<string, unknown>): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, { where: 'method', message: `${req.method} is not allowed on /healthz`, fix: 'use GET' }, { allow: 'GET, HEAD' });
      entry.status = stopping ? 503 : 200;
      entry.bytesOut = send(res, entry.status as number, { ok: !stopping, ...(stopping ? { message: 'shutting down' } : {}) });
      return;
    }
    const hook = HOOKS[path];
    if (!hook) throw new HttpProblem(404, { where: 'path', message: `${JSON.stringify(path)} is not a hook`, fix: 'POST to /sync or /finalize, or GET /healthz' });
    entry.hook = hook;
    if (req.method !== 'POST') throw new HttpProblem(405, { where: 'method', message: `${req.method} is not allowed on ${path}`, fix: 'Metacontroller POSTs the hook request' }, { allow: 'POST' });
    if (!isJsonContentType(req.headers['content-type'])) {
      throw new HttpProblem(415, { where: 'content-type', message: `${JSON.stringify(req.headers['content-type'] ?? '')} is not JSON`, fix: 'send Content-Type: application/json' });
    }
    const body = await readBody(req, limit, budget);
    entry.bytesIn = body.length;
    const parsed = parseHookRequest(parseJson(body), hook);
    entry.version = parsed.version;
    const { name, namespace } = parsed.parent.metadata ?? {};
    entry.parent = namespace ? `${namespace}/${name}` : name;
    const answer = answerHookText(parsed, hook, options, memo);
    entry.status = 200;
    entry.children = answer.children;
    entry.ready = answer.ready;
    if (answer.finalized !== undefined) entry.finalized = answer.finalized;
    entry.bytesOut = sendText(res, 200, answer.text);
  }

  // Sockets with a response under way: a client error there cannot be answered with a fresh 400
  // (it would land inside that response), so the socket is closed instead.
  const answering = new WeakSet<object>();
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    inFlight++;
    answering.add(req.socket);
    res.once('close', () => answering.delete(req.socket));
    const entry: Record<string, unknown> = { msg: 'request', method: req.method, path: (req.url ?? '').slice(0, 200) };
    const finish = () => {
      entry.ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      log(JSON.stringify({ time: new Date().toISOString(), level: (entry.status as number) >= 500 ? 'error' : (entry.status as number) >= 400 ? 'warn' : 'info', ...entry }));
      inFlight--;
      if (inFlight === 0 && drained) drained();
    };
    handle(req, res, entry).catch((e: unknown) => {
      if (!req.complete && (req.destroyed || res.destroyed)) {
        // The client hung up mid-request: nobody to answer, and not our error (nginx's 499).
        entry.status = 499;
        entry.error = 'client closed the connection';
        return;
      }
      let status = 500;
      let problems: readonly Problem[] = [{ where: 'webhook', message: `internal error: ${(e as Error)?.message ?? String(e)}`, fix: 'report this bug with the request that caused it' }];
      let headers: Record<string, string> = {};
      if (e instanceof HttpProblem) { status = e.status; problems = [e.problem]; headers = e.headers; }
      else if (e instanceof HookError) { status = e.status; problems = e.problems; }
      entry.status = status;
      entry.error = problems.map((p) => `${p.where}: ${p.message}`).join('; ').slice(0, 500);
      if (res.headersSent) { res.destroy(); return; }
      entry.bytesOut = send(res, status, failure(status, problems), headers);
      // The unread rest of a rejected body is drained (bounded by the socket timeout), so the
      // client gets our answer instead of a reset.
      if (!req.complete) req.resume();
    }).finally(finish);
  });
  // Slow or stuck clients cannot hold a connection forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    log(JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: 'client error', error: err.code ?? err.message }));
    if (socket.writable && !answering.has(socket)) {
      const body = stableStringify(failure(400, [{ where: 'request', message: `is not valid HTTP (${err.code ?? 'parse error'})`, fix: 'send an HTTP/1.1 request' }])) + '\n';
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    } else socket.destroy();
  });

  return {
    server,
    cacheStats: () => ({ bytes: memo.bytes, entries: memo.size }),
    listen(port: number, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      if (stopping) return new Promise((resolve) => server.once('close', () => resolve()));
      stopping = true;
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        server.close(() => { if (timer) clearTimeout(timer); resolve(); });
        // Idle keep-alive sockets would hold close() open; in-flight ones answer with
        // `Connection: close` and are closed after their response.
        server.closeIdleConnections();
        const forceAfter = options.shutdownTimeoutMs ?? 10_000;
        timer = setTimeout(() => server.closeAllConnections(), forceAfter);
        timer.unref();
        if (inFlight > 0) drained = () => server.closeIdleConnections();
      });
    },
  };
}

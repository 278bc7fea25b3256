import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import { createWebhookServer, WebhookServer } from '../../../lib/metacontroller/server';
import { CaseHeader, CaseOutcome, CorpusRunner } from './types';

/**
 * Webhook cases: YAML `{ path?: /sync, method?: POST, contentType?, body: "<raw text>" }` or
 * `{ json: <value> }`, sent over HTTP to a real sync-hook server on 127.0.0.1. Refused means a 4xx
 * whose JSON error lists problems, each with its field (`# where:`) and a fix; a refused request must
 * not carry children (no partial answer).
 */
interface WebhookCase { path?: string; method?: string; contentType?: string; body?: string; json?: unknown }

let server: WebhookServer | undefined;
let port = 0;

async function ensureServer(): Promise<number> {
  if (!server) {
    server = createWebhookServer({ log: () => undefined });
    port = ((await server.listen(0, '127.0.0.1')) as AddressInfo).port;
  }
  return port;
}

function send(p: number, c: WebhookCase): Promise<{ status: number; text: string }> {
  const body = c.body ?? JSON.stringify(c.json);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: p, method: c.method ?? 'POST', path: c.path ?? '/sync', agent: false, headers: { 'content-type': c.contentType ?? 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const webhookRunner: CorpusRunner & { teardown(): Promise<void> } = {
  extensions: ['.yaml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const c = parse(fs.readFileSync(file, 'utf8')) as WebhookCase;
    const r = await send(await ensureServer(), c);
    let answer: any;
    try { answer = JSON.parse(r.text); } catch { answer = undefined; }
    const problems: any[] = answer?.error?.problems ?? [];
    const everyProblemHasFix = problems.length > 0 && problems.every((p) => typeof p.where === 'string' && typeof p.fix === 'string' && p.fix !== '');
    return {
      refused: r.status >= 400 && r.status < 500 && everyProblemHasFix,
      text: `HTTP ${r.status}\n${r.text}`,
      location: `"where":${JSON.stringify(header.fields.where ?? 'body')}`,
      partialOutput: answer && 'children' in answer ? 'the error answer carries children' : undefined,
    };
  },
  async teardown() {
    await server?.close();
    server = undefined;
  },
};

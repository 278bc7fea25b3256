/**
 * Helpers for the Docker integration tests: a real engine (DOCKER_HOST, set by scripts/test.sh), the
 * CLI run in-process, and HTTP through ports published on 127.0.0.1 only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../lib/cli/main';
import { connect } from '../../../lib/targets/docker/engine';
import { LABELS } from '../../../lib/targets/docker/plan';

export const TEST_IMAGE = 'dockyard-test/busybox:1';

/**
 * Per-process suffix and port base: several `npm test` runs may share one engine (engineers in
 * one work tree), so projects and published ports must not collide between processes. The ports
 * stay below Linux's ephemeral range (32768-60999): a port there can be taken at any moment as the
 * local end of some outgoing connection, which the deploy's preflight rightly reports as in use.
 * Each jest worker has its own band of 30 slots, so the workers of one run never share a port.
 */
export const RUN = process.pid.toString(36);
const WORKER = Number(process.env.JEST_WORKER_ID ?? 0) % 4;
export const PORT_BASE = 20000 + (WORKER * 30 + (process.pid % 30)) * 100;

/** True when DOCKER_HOST points at a socket that exists (or at tcp/ssh, which we trust). */
export function engineConfigured(): boolean {
  const h = process.env.DOCKER_HOST;
  if (!h) return fs.existsSync('/var/run/docker.sock');
  return h.startsWith('unix://') ? fs.existsSync(h.slice(7)) : true;
}

/**
 * `describe` when an engine is there; in CI (CI=true) always `describe`, so a missing engine fails
 * loudly instead of skipping; elsewhere skipped with a hint.
 */
export const describeEngine: jest.Describe = engineConfigured() || process.env.CI === 'true' ? describe : describe.skip;
if (!engineConfigured() && process.env.CI !== 'true') {
  // eslint-disable-next-line no-console
  console.warn('Docker integration tests skipped: run  eval "$(bash scripts/docker-engine.sh | tail -1)" && bash scripts/test-images.sh  first');
}

/** Result of one CLI run. */
export interface Run { code: number; out: string; err: string }

/** Runs `dockyard <args>` in-process with captured output. */
export async function dockyard(args: string[], stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => stdin, env: process.env });
  return { code, out, err };
}

/** A temp folder with the given manifests written as files. */
export function writeManifests(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-docker-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** GETs a path on 127.0.0.1, retrying briefly while a relay or server comes up. */
export async function httpGet(port: number, urlPath = '/', tries = 40): Promise<string> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${urlPath}`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(3000) });
      if (res.ok) return await res.text();
      last = new Error(`HTTP ${res.status}`);
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`GET 127.0.0.1:${port}${urlPath} failed: ${String((last as Error)?.message ?? last)}`);
}

/** Runs a command in a container and returns its stdout (demultiplexed). */
export async function execIn(container: string, cmd: string[]): Promise<string> {
  const docker = connect();
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  out.on('data', (c) => chunks.push(c));
  docker.modem.demuxStream(stream, out, new PassThrough());
  await new Promise((r) => stream.on('end', r));
  return Buffer.concat(chunks).toString('utf8');
}

/** Owned containers of a project: name -> {id, state, hash}. */
export async function owned(project: string): Promise<Map<string, { id: string; state: string; hash: string }>> {
  const list = await connect().listContainers({ all: true, filters: { label: [`${LABELS.project}=${project}`] } });
  // A container the engine is still removing is listed without a name: it is going, not owned.
  return new Map(list.filter((c) => c.Names?.length).map((c) => [c.Names[0].replace(/^\//, ''), { id: c.Id, state: c.State, hash: c.Labels[LABELS.hash] }]));
}

/** Removes everything of a project, ignoring errors (cleanup). */
export async function cleanup(project: string): Promise<void> {
  await dockyard(['destroy', '--docker', '--project', project, '--volumes', '--quiet', '--stop-timeout', '0']).catch(() => undefined);
}

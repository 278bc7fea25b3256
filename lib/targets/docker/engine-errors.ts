/**
 * The one table that says what an engine answer means. Each rule matches an operation, a status and
 * a message pattern, and turns the answer into:
 *  - `done`: the wanted state already holds (a stop of a stopped container, a remove of a gone one);
 *  - `moved`: the state this run read is stale (another deploy, or a killed one's late request,
 *    changed the engine): the reconciler reads the engine again (`EngineMoved`);
 *  - `user`: a mistake in the input or the host (a taken port, a missing image, a field the runtime
 *    refuses): a `DockyardError` naming the container, the field and the fix;
 *  - no rule: internal (rethrown as is).
 */
import { DockyardError } from '../../core/errors';
import type { ContainerPlan } from './plan';

/**
 * The engine changed under this run (a name we were to take is taken, a container we read is gone):
 * not a user error but a stale read, so the reconciler reads the engine again and recomputes.
 */
export class EngineMoved extends Error {
  constructor(readonly why: string, readonly original: unknown) {
    super(`the engine changed during the deploy: ${why}`);
  }
}

/** What the reconciler was doing when the engine answered. */
export type EngineOp = 'read' | 'create' | 'copy' | 'start' | 'stop' | 'remove' | 'rename' | 'unpause' | 'network' | 'volume';

/** Context of a classified answer: the operation, and the container (planned) or object name it was for. */
export interface ErrorContext {
  readonly op: EngineOp;
  /** Container or object name. */
  readonly name: string;
  /** The planned container, for user errors that name its object and fields. */
  readonly container?: ContainerPlan;
  /** Engine address, for reachability errors. */
  readonly engine?: string;
}

interface Rule {
  readonly ops?: readonly EngineOp[];
  /** Exact status, or a range. @default any */
  readonly status?: number | readonly [number, number];
  /** Matched against the engine's message (or the socket error code). */
  readonly pattern: RegExp;
  /** Further condition on the planned container (e.g. the message names its workingDir). */
  readonly when?: (c: ContainerPlan | undefined, message: string) => boolean;
  readonly kind: 'done' | 'moved' | 'user';
  /** The pod spec field to name (user errors). */
  readonly field?: string;
  /** Message (user errors); `{msg}` is the engine's first line, `{ports}` the container's host ports, `{image}` its image. */
  readonly message?: string;
  readonly fix?: string;
}

const CREATE_START: readonly EngineOp[] = ['create', 'copy', 'start'];

/** First match wins; order from the most to the least specific. */
export const ENGINE_ERRORS: readonly Rule[] = [
  { pattern: /^(ECONNREFUSED|ENOENT|EACCES|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|ENOTFOUND|EPIPE)$/, kind: 'user', message: 'cannot reach the Docker engine at {engine} ({msg})', fix: 'start it (bash scripts/docker-engine.sh prints the DOCKER_HOST to use), or pass --host / set DOCKER_HOST' },
  { ops: ['start', 'stop'], status: 304, pattern: /.*/, kind: 'done' },
  { ops: ['unpause'], status: 409, pattern: /is not paused/i, kind: 'done' },
  { ops: ['stop', 'remove', 'network', 'volume'], status: 404, pattern: /.*/, kind: 'done' },
  { status: 404, pattern: /no such container/i, kind: 'moved' },
  { status: 409, pattern: /already in progress|marked for removal/i, kind: 'moved' },
  // Two deploys racing made two networks of one name (the later one removes its own duplicate again).
  { pattern: /network .* is ambiguous/i, kind: 'moved' },
  { ops: CREATE_START, pattern: /port is already allocated|address already in use|bind: /i, kind: 'user', field: 'ports', message: 'host port {ports} is already in use: {msg}', fix: 'free the port, or change the Service port/nodePort (or --publish-address)' },
  { ops: CREATE_START, pattern: /no such image|pull access denied|manifest unknown/i, kind: 'user', field: 'image', message: 'image "{image}" is missing: {msg}', fix: 'build or load the image on this engine, or fix the image name' },
  { ops: ['create', 'rename'], status: 409, pattern: /conflict|already in use/i, kind: 'user', message: 'a container name it needs is taken: {msg}', fix: 'remove or rename that container' },
  { ops: CREATE_START, pattern: /chdir|working ?dir|cwd|not a directory/i, when: (c, m) => !!c?.workingDir && (/chdir|cwd/i.test(m) || m.includes(c.workingDir)), kind: 'user', field: 'workingDir', message: 'the container runtime refused workingDir: {msg}', fix: 'point workingDir at a folder of the image (not a file), or remove it' },
  { ops: CREATE_START, pattern: /executable file not found|no such file or directory: unknown|exec format error|permission denied: unknown/i, kind: 'user', field: 'command', message: 'the command cannot be run: {msg}', fix: 'fix command/args (the program must exist in the image and be executable)' },
  { ops: CREATE_START, pattern: /unable to find user|no matching entries in passwd|getent/i, kind: 'user', field: 'securityContext.runAsUser', message: 'the user does not exist in the image: {msg}', fix: 'use a numeric runAsUser, or a user the image defines' },
  { ops: CREATE_START, pattern: /mount|bind source path|not a directory|read-only file system|volume/i, kind: 'user', field: 'volumeMounts', message: 'a mount was refused: {msg}', fix: 'fix the mountPath or the volume source named in the message' },
  { ops: CREATE_START, pattern: /memory|cpu|nanocpus|cgroup/i, kind: 'user', field: 'resources', message: 'the resource limits were refused: {msg}', fix: 'fix resources.limits/requests' },
  { ops: CREATE_START, pattern: /capabilit|privileged|seccomp|apparmor/i, kind: 'user', field: 'securityContext', message: 'the security settings were refused: {msg}', fix: 'fix securityContext' },
  // Anything else the engine refuses for one container is still about that container's spec.
  { ops: CREATE_START, status: [400, 599], pattern: /.*/, kind: 'user', message: 'the engine refused the container: {msg}', fix: 'fix the field named in the message, then deploy again' },
];

/** The engine's message of an error (or the socket error code). */
export function engineMessage(e: any): string {
  return String(e?.json?.message ?? e?.message ?? e);
}

function matches(rule: Rule, e: any, op: EngineOp, c?: ContainerPlan): boolean {
  if (rule.ops && !rule.ops.includes(op)) return false;
  if (rule.when && !rule.when(c, engineMessage(e))) return false;
  const status: number | undefined = e?.statusCode;
  const code: string | undefined = e?.code ?? e?.errno;
  if (rule.status !== undefined) {
    if (status === undefined) return false;
    if (typeof rule.status === 'number' ? status !== rule.status : status < rule.status[0] || status > rule.status[1]) return false;
  }
  // Socket errors are matched by their code; engine answers by their message.
  if (status === undefined && typeof code === 'string' && !rule.status) return rule.pattern.test(code);
  return status !== undefined && rule.pattern.test(engineMessage(e));
}

/** The rule an answer falls under, or undefined (internal). */
export function classify(e: unknown, op: EngineOp, container?: ContainerPlan): Rule | undefined {
  return ENGINE_ERRORS.find((r) => matches(r, e, op, container));
}

/**
 * Turns an engine error into what it means: resolves (undefined) when the wanted state already holds,
 * else returns the error to throw (EngineMoved, DockyardError, or the original).
 */
export function explainEngineError(e: unknown, ctx: ErrorContext): Error | undefined {
  if (e instanceof DockyardError || e instanceof EngineMoved) return e;
  const rule = classify(e, ctx.op, ctx.container);
  if (!rule) return e as Error;
  if (rule.kind === 'done') return undefined;
  const msg = engineMessage(e).split('\n')[0];
  if (rule.kind === 'moved') return new EngineMoved(`${ctx.op} ${ctx.name}: ${msg}`, e);
  const c = ctx.container;
  const text = (t: string) => t.replace('{msg}', (e as any)?.statusCode === undefined ? String((e as any)?.code ?? msg) : msg)
    .replace('{engine}', ctx.engine ?? 'the configured host')
    .replace('{ports}', c ? c.ports.map((b) => `${b.hostIp}:${b.hostPort}`).join(', ') : '?')
    .replace('{image}', c?.image ?? '?');
  const where = c ? `${c.object} (container ${c.name})${rule.field ? ` ${rule.field}` : ''}` : ctx.op === 'read' ? 'engine' : ctx.name;
  return new DockyardError({ where, message: text(rule.message ?? '{msg}'), fix: rule.fix });
}

/** Runs an engine call; an answer that means "already so" is success, others throw what they mean. */
export async function attempt<T>(ctx: ErrorContext, call: () => Promise<T>): Promise<T | undefined> {
  try { return await call(); } catch (e) {
    const err = explainEngineError(e, ctx);
    if (err) throw err;
    return undefined;
  }
}

/**
 * The project lock: a never-started container named `<project>.lock` (a create by name is atomic on
 * the engine: a second create gets 409), labelled with its holder (pid, host, time). deploy and
 * destroy take it before they change anything, so two runs of one project cannot interleave. A holder
 * that is gone (its process no longer exists on this host) or older than `STALE_MS` is stale: the lock
 * is removed by id (never a newer holder's) and taken over.
 *
 * The lock carries no project label, so it is never part of the project's state; it is made from an
 * image already on the engine (a container needs one), and never started.
 */
import * as os from 'node:os';
import { DockyardError } from '../../core/errors';
import type { EngineApi } from './engine-api';
import { engineMessage } from './engine-errors';
import type { ProgressEvent } from './events';

/** Label keys of the lock container. */
export const LOCK_LABELS = { lock: 'dev.dockyard.lock', pid: 'dev.dockyard.lock.pid', host: 'dev.dockyard.lock.host', since: 'dev.dockyard.lock.since', command: 'dev.dockyard.lock.command' } as const;

/** A holder older than this is stale whatever its host says (a deploy waits at most minutes). */
export const STALE_MS = 30 * 60 * 1000;

/** The name of a project's lock container. */
export function lockName(project: string): string {
  return `${project}.lock`;
}

/** A held lock; `release` removes it (idempotent). */
export interface ProjectLock { release(): Promise<void> }

/** Options of `acquireLock`. */
export interface LockOptions {
  /** What takes it (`deploy`, `destroy`), recorded for the other side's message. */
  readonly command: string;
  /** An image on the engine to make the lock container from. */
  readonly image: string;
  /** How long to wait for a live holder; 0 refuses at once. */
  readonly timeoutMs: number;
  /** Progress callback (one `wait`/`lock` event when it has to wait). */
  readonly onProgress?: (e: ProgressEvent) => void;
}

/** True when a holder's process is gone (same host, no such pid) or its lock is older than STALE_MS. */
export function isStale(labels: Record<string, string>, now = Date.now(), host = os.hostname()): boolean {
  const since = Date.parse(labels[LOCK_LABELS.since] ?? '');
  if (!Number.isFinite(since) || now - since > STALE_MS) return true;
  if (labels[LOCK_LABELS.host] !== host) return false;
  const pid = Number(labels[LOCK_LABELS.pid]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try { process.kill(pid, 0); return false; } catch (e: any) { return e?.code === 'ESRCH'; }
}

function describeHolder(labels: Record<string, string>): string {
  return `${labels[LOCK_LABELS.command] ?? 'a run'} (pid ${labels[LOCK_LABELS.pid] ?? '?'} on ${labels[LOCK_LABELS.host] ?? '?'}, since ${labels[LOCK_LABELS.since] ?? '?'})`;
}

/** Takes the project lock, waiting up to `timeoutMs` for a live holder; throws a user error naming the holder after that. */
export async function acquireLock(engine: EngineApi, project: string, opts: LockOptions): Promise<ProjectLock> {
  const name = lockName(project);
  const deadline = Date.now() + opts.timeoutMs;
  let announced = false;
  for (;;) {
    const labels = { [LOCK_LABELS.lock]: project, [LOCK_LABELS.pid]: String(process.pid), [LOCK_LABELS.host]: os.hostname(), [LOCK_LABELS.since]: new Date().toISOString(), [LOCK_LABELS.command]: opts.command };
    try {
      const id = await engine.createContainer(name, { Image: opts.image, Entrypoint: ['true'], Cmd: [], Labels: labels, HostConfig: { NetworkMode: 'none' } } as any);
      if (announced) opts.onProgress?.({ type: 'step', message: `locked  project   ${project}`, action: 'lock', reason: 'lock', phase: 'end', container: name, at: Date.now() });
      return { release: () => engine.removeContainer(id, { force: true }).catch((e: any) => { if (e?.statusCode !== 404 && !/already in progress/.test(engineMessage(e))) throw e; }) };
    } catch (e: any) {
      if (e?.statusCode !== 409) throw e;
    }
    const holder = await engine.inspectContainer(name);
    if (!holder) continue; // released meanwhile
    const held = holder.Config?.Labels ?? {};
    if (held[LOCK_LABELS.lock] !== project) {
      throw new DockyardError({ where: `container ${name}`, message: `a container named "${name}" exists and is not this project's lock`, fix: `remove or rename it (Dockyard uses that name to keep two deploys of project "${project}" apart)` });
    }
    if (isStale(held)) {
      opts.onProgress?.({ type: 'info', message: `info    the lock of project ${project} was held by ${describeHolder(held)}, which is gone; taking it over`, action: 'lock', reason: 'lock', container: name, at: Date.now() });
      await engine.removeContainer(holder.Id, { force: true }).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DockyardError({ where: `project ${project}`, message: `another deploy or destroy of this project is running: ${describeHolder(held)}`, fix: opts.timeoutMs ? 'wait for it to finish and run the command again' : 'wait for it to finish, or run again without a zero lock timeout to wait for it' });
    }
    if (!announced) {
      announced = true;
      opts.onProgress?.({ type: 'info', message: `wait    project   ${project}: another run holds its lock, ${describeHolder(held)}`, action: 'wait', reason: 'lock', phase: 'begin', container: name, at: Date.now() });
    }
    await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 200)));
  }
}

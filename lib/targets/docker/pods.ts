/**
 * Pod-level engine work for the reconciler: create (main container first, the others sharing its
 * network namespace), start, wake, remove, and retire (an old replica renamed out of the way and
 * stopped in the background, its stop grace running while the rollout goes on).
 *
 * Every container this run creates is recorded (`Run.created`), so a failed deploy can remove what it
 * made; every background stop is recorded (`Run.background`), so the run ends only when they are over.
 */
import { DockyardError } from '../../core/errors';
import { ActualContainer, Change, keepsRunning, retireName, tempName } from './changes';
import type { EngineApi } from './engine-api';
import { attempt, EngineMoved, engineMessage, explainEngineError } from './engine-errors';
import type { ApplyOptions, ProgressEvent } from './events';
import { ContainerPlan, LABELS } from './plan';
import { toCreateOptions } from './create-options';
import { tarFiles } from './tar';

/** The state of one deploy/destroy run. */
export interface Run {
  readonly engine: EngineApi;
  readonly opts: ApplyOptions;
  readonly project: string;
  /** Network name -> id (containers are attached by id: a name may be ambiguous). */
  netIds: ReadonlyMap<string, string>;
  /** Containers created by this run (id -> name). */
  readonly created: Map<string, string>;
  /** Stops running in the background. */
  readonly background: Array<Promise<void>>;
  /** Errors of background stops (reported when the run ends). */
  readonly backgroundErrors: unknown[];
  /** Retiring containers a killed earlier run left, being removed in the background, by name. */
  readonly leftovers: Map<string, Promise<void>>;
}

/** A created container. */
export interface Made { readonly plan: ContainerPlan; readonly id: string; readonly name: string }

export function emit(run: Run, e: Omit<ProgressEvent, 'at'>): void {
  run.opts.onProgress?.({ ...e, at: Date.now() });
}

/**
 * A create refused because the name is taken: when our own project holds that name now, it was made
 * after we read the state (a killed deploy's late request), so read again; a foreign holder stays the
 * "name is taken" user error.
 */
async function ownNameTaken(run: Run, e: any, name: string): Promise<EngineMoved | undefined> {
  if (!(e?.statusCode === 409 && /already in use/i.test(engineMessage(e)))) return undefined;
  const holder = await run.engine.inspectContainer(name).catch(() => undefined);
  const ours = holder?.Config?.Labels?.[LABELS.project] === run.project;
  // Ours, or already gone again (another run renamed or removed it): the state we read is stale.
  return ours || !holder ? new EngineMoved(`container ${name} appeared meanwhile`, e) : undefined;
}

/**
 * Creates a pod's containers under `nameOf` names and copies files in. Not started. `track` records
 * them as made by this run (removed again when the run fails): new pods and surge replicas, not
 * replacements whose old pod is already gone.
 */
export async function createPod(run: Run, containers: readonly ContainerPlan[], nameOf: (c: ContainerPlan) => string, track: boolean): Promise<Made[]> {
  const made: Made[] = [];
  for (const c of containers) {
    const name = nameOf(c);
    // The extra containers join the main one's network namespace by id (a name changes when it is renamed).
    const opts = toCreateOptions(c, name, made[0]?.id ?? nameOf(containers[0]), c.network ? run.netIds.get(c.network) : undefined);
    let id: string;
    try { id = await run.engine.createContainer(name, opts); } catch (e) { throw (await ownNameTaken(run, e, name)) ?? explainEngineError(e, { op: 'create', name, container: c }); }
    if (track) run.created.set(id, name);
    made.push({ plan: c, id, name });
    if (c.files.length) await attempt({ op: 'copy', name, container: c }, () => run.engine.putArchive(id, '/', tarFiles(c.files)));
  }
  return made;
}

export async function startPod(run: Run, made: readonly Made[]): Promise<void> {
  for (const m of made) await attempt({ op: 'start', name: m.name, container: m.plan }, () => startFreeingPorts(run, m));
}

/** Tries to start a container for about 2 s while its host port is still held: a container this run (or
 * the run before it) just removed releases its published ports a moment after the removal returns. */
async function startFreeingPorts(run: Run, m: Made): Promise<void> {
  const deadline = Date.now() + PORT_RELEASE_MS;
  for (;;) {
    try { return await run.engine.startContainer(m.id); } catch (e) {
      if (!m.plan.ports?.length || !/port is already allocated|address already in use/i.test(engineMessage(e)) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** How long a start waits for a just-freed host port. */
const PORT_RELEASE_MS = 2000;

/** Stops (SIGTERM, then SIGKILL after the grace) and removes a container; gone already is fine. */
export async function removeContainer(run: Run, a: Pick<ActualContainer, 'id' | 'name' | 'state'>, object?: string): Promise<void> {
  const graceful = a.state === 'running' || a.state === 'restarting';
  const seconds = run.opts.stopTimeoutSeconds;
  // Events name the pod's container (a retiring `.old` one by its final name), so a view can show the grace on that row.
  const shown = (a as Partial<ActualContainer>).labels?.[LABELS.name] ?? a.name;
  try {
    if (graceful) {
      emit(run, { type: 'step', message: `stop    container ${a.name}`, action: 'stop', reason: 'grace', phase: 'begin', object, container: shown, graceSeconds: seconds });
      await attempt({ op: 'stop', name: a.name }, () => run.engine.stopContainer(a.id, seconds));
      emit(run, { type: 'done', message: `stopped container ${a.name}`, action: 'stop', phase: 'end', object, container: shown });
    }
    await attempt({ op: 'remove', name: a.name }, () => run.engine.removeContainer(a.id, { force: true, volumes: true }));
    run.created.delete(a.id);
  } catch (e) {
    // Someone else (another run of the project, before the lock) is removing it: done once it is gone.
    if (e instanceof EngineMoved && /already in progress/.test(e.why)) return waitGone(run.engine, a.id);
    throw e;
  }
}

async function waitGone(engine: EngineApi, id: string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await engine.inspectContainer(id))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DockyardError({ where: `container ${id.slice(0, 12)}`, message: `the engine has been removing it for ${timeoutMs / 1000}s and it is still there`, fix: 'see the engine log (docker ps -a shows it as "Removal In Progress"); restart the engine or remove it by hand (docker rm -f), then run the command again' });
}

/** Removes a pod's containers: the extra ones first, the main one (the namespace owner) last. */
export async function removePod(run: Run, existing: readonly ActualContainer[], main: string, object?: string): Promise<void> {
  const sorted = [...existing].sort((x, y) => (x.name === main ? 1 : y.name === main ? -1 : 0));
  for (const a of sorted) await removeContainer(run, a, object);
}

/**
 * Takes an old pod out of the way at once and stops it in the background: each container is renamed
 * to its retiring name (freeing the final name for its successor, and taking it out of the relay's
 * rotation: planner.ts), then stopped with its grace and removed while the run goes on. A running old
 * replica keeps answering the connections it has during its grace.
 */
export async function retirePod(run: Run, existing: readonly ActualContainer[], main: string, object?: string): Promise<void> {
  const renamed: ActualContainer[] = [];
  for (const a of existing) {
    const to = retireName(a.labels[LABELS.name] ?? a.name);
    // A killed earlier run may have left a container under that name (still stopping, or being removed
    // by the engine, which the state read leaves out): wait for our own removal of it, then make sure
    // any project container still holding the name is gone (it is an old replica already retired).
    await run.leftovers.get(to);
    const holder = a.name !== to ? await run.engine.inspectContainer(to).catch(() => undefined) : undefined;
    if (holder && holder.Id !== a.id && holder.Config?.Labels?.[LABELS.project] === run.project) {
      await removeContainer(run, { id: holder.Id, name: to, state: 'exited' });
    }
    if (a.name !== to) await attempt({ op: 'rename', name: a.name }, () => run.engine.renameContainer(a.id, to));
    renamed.push({ ...a, name: to });
  }
  const job = removePod(run, renamed, retireName(main), object).catch((e) => { run.backgroundErrors.push(e); });
  run.background.push(job);
}

/**
 * The `start` change: unpauses paused containers and starts stopped ones that should keep running,
 * the pod's main container first (the others share its network namespace).
 */
export async function wakePod(run: Run, ch: Change): Promise<void> {
  const existing = [...(ch.existing ?? [])].sort((x, y) => (x.name === ch.name ? -1 : y.name === ch.name ? 1 : 0));
  for (const a of existing) {
    const plan = ch.containers?.find((c) => c.name === a.name) ?? ch.containers![0];
    const ctx = { name: a.name, container: plan };
    if (a.state === 'paused') { await attempt({ op: 'unpause', ...ctx }, () => run.engine.unpauseContainer(a.id)); continue; }
    if (a.state === 'running' || a.state === 'restarting' || !keepsRunning(plan)) continue;
    try { await attempt({ op: 'start', ...ctx }, () => run.engine.startContainer(a.id)); } catch (e) {
      // Paused after we listed it: unpause instead.
      if (e instanceof DockyardError && /paused/.test(e.message)) { await attempt({ op: 'unpause', ...ctx }, () => run.engine.unpauseContainer(a.id)); continue; }
      throw e;
    }
  }
}

/** Temporary (surge) name of a planned container. */
export const surgeName = (c: ContainerPlan): string => tempName(c.name);
/** Final name of a planned container. */
export const finalName = (c: ContainerPlan): string => c.name;

/** Renames made containers to their final names (after the old pod was retired). */
export async function promote(run: Run, made: readonly Made[]): Promise<void> {
  for (const m of made) {
    try { await run.engine.renameContainer(m.id, m.plan.name); } catch (e) {
      throw (await ownNameTaken(run, e, m.plan.name)) ?? explainEngineError(e, { op: 'rename', name: m.name, container: m.plan });
    }
    // Its old pod is retired: from here on it is the pod, not something this run may take back.
    run.created.delete(m.id);
  }
}

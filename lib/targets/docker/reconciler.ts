/**
 * The reconciler: makes the engine run a plan (`deployPlan`) or nothing (`destroyProject`), by labels
 * alone (changes.ts computes what to do; nothing without the project label is ever touched).
 *
 * Policy:
 *  - a no-op reads the engine once and returns, without the lock;
 *  - anything else takes the project lock (lock.ts), reads again, checks conflicts (preflight.ts),
 *    then works in dependency order, concurrently where the plan allows: networks and volumes, then
 *    removals, then each object's pods (objects in parallel, pods as their rollout says: rollout.ts),
 *    relays last, then starts; old replicas stop in the background and the run ends when they are gone;
 *  - an answer meaning "the state read is stale" (EngineMoved) reads again, up to MAX_ATTEMPTS;
 *  - any other failure removes what this run created (new containers, networks, volumes), so a failed
 *    deploy leaves nothing the next one has to explain; replaced pods are never taken back.
 */
import { DockyardError, Problem } from '../../core/errors';
import { ActualContainer, ActualState, Change, computeChanges, retireName } from './changes';
import { waitContainers } from './await';
import type { ContainerSummary, EngineApi } from './engine-api';
import { classify, EngineMoved, explainEngineError } from './engine-errors';
import type { ApplyOptions, DeployResult } from './events';
import { acquireLock, ProjectLock } from './lock';
import { removeNetworks, resolveNetworks } from './networks';
import { DockerPlan, LABELS } from './plan';
import { emit, removeContainer, removePod, retirePod, Run, wakePod } from './pods';
import { ensureImages, preflight } from './preflight';
import { pool, rollObject, throwAll } from './rollout';

/** Reads of the engine a run makes before it gives up on an engine that keeps changing under it. */
const MAX_ATTEMPTS = 8;
const DEFAULT_CONCURRENCY = 12;

/** Turns "cannot reach the engine" into a user error naming the host; other errors pass. */
function reach(engine: EngineApi, e: unknown): unknown {
  const rule = classify(e, 'read');
  return rule?.kind === 'user' ? explainEngineError(e, { op: 'read', name: 'engine', engine: engine.describe() }) : e;
}

/** Checks the engine answers, with a clear error when it does not. */
export async function ping(engine: EngineApi): Promise<void> {
  try { await engine.ping(); } catch (e) { throw reach(engine, e); }
}

/** The project's state, and its retiring containers (old replicas a run stops in the background). */
interface State { readonly all: ContainerSummary[]; readonly actual: ActualState; readonly retiring: ActualContainer[] }

async function readState(engine: EngineApi, project: string): Promise<State> {
  const filter = { label: [`${LABELS.project}=${project}`] };
  try {
    const [all, networks, volumes] = await Promise.all([engine.listContainers(), engine.listNetworks(filter), engine.listVolumes(filter)]);
    // A container the engine is removing (nameless, state "removing") is already going: not part of the state.
    const owned = all.filter((c) => c.labels[LABELS.project] === project && c.state !== 'removing' && c.name)
      .map((c): ActualContainer => ({ id: c.id, name: c.name, labels: c.labels, state: c.state }));
    const retiring = owned.filter((c) => c.name === retireName(c.labels[LABELS.name] ?? ''));
    return {
      all,
      actual: {
        containers: owned.filter((c) => !retiring.includes(c)),
        networks: [...new Set(networks.map((n) => n.name))],
        volumes: volumes.map((v) => v.name),
      },
      retiring,
    };
  } catch (e) { throw reach(engine, e); }
}

/** What the engine holds for `project` (by label only; old replicas being retired are left out). */
export async function readActual(engine: EngineApi, project: string): Promise<ActualState> {
  return (await readState(engine, project)).actual;
}

/** Runs `once` until the engine holds still under it (EngineMoved), with growing, jittered pauses. */
async function withRetries<T>(project: string, opts: ApplyOptions, once: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try { return await once(); } catch (e) {
      if (!(e instanceof EngineMoved)) throw e;
      if (attempt >= MAX_ATTEMPTS) throw new DockyardError({ where: `project ${project}`, message: `${e.message}, on ${MAX_ATTEMPTS} reads in a row`, fix: 'something outside Dockyard is changing this project\'s containers: stop it and run the command again' });
      opts.onProgress?.({ type: 'info', message: `info    ${e.message}; reading the engine again (attempt ${attempt + 1} of ${MAX_ATTEMPTS})`, at: Date.now() });
      await new Promise((r) => setTimeout(r, 150 * attempt + Math.floor(Math.random() * 150)));
    }
  }
}

async function lockProject(
  engine: EngineApi, project: string, command: string, images: readonly string[], opts: ApplyOptions,
): Promise<ProjectLock | undefined> {
  let image: string | undefined;
  for (const i of images) if (await engine.imageExists(i)) { image = i; break; }
  image ??= await engine.anyImage();
  // An engine without a single image runs no container: there is nothing another run could interleave with.
  if (!image) return undefined;
  return acquireLock(engine, project, { command, image, timeoutMs: opts.lockTimeoutMs ?? 120000, onProgress: opts.onProgress });
}

function newRun(engine: EngineApi, project: string, opts: ApplyOptions): Run {
  return { engine, opts, project, netIds: new Map(), created: new Map(), background: [], backgroundErrors: [], leftovers: new Map() };
}

/** Waits for the background stops; their errors become the run's. */
async function drain(run: Run): Promise<void> {
  while (run.background.length) await Promise.all(run.background.splice(0));
  throwAll(run.backgroundErrors.splice(0));
}

/** Computes and applies the changes that make the engine run `plan`. */
export async function deployPlan(engine: EngineApi, plan: DockerPlan, opts: ApplyOptions = {}): Promise<DeployResult> {
  const t0 = Date.now();
  const first = await readState(engine, plan.project);
  const pending = computeChanges(plan, first.actual);
  if (pending.length === 0 && first.retiring.length === 0) {
    if (opts.wait) await waitContainers(engine, plan.containers, { timeoutMs: opts.waitTimeoutMs ?? 60000, onProgress: opts.onProgress });
    return { changes: [], durationMs: Date.now() - t0 };
  }
  const needed = pending.filter((c) => c.action === 'create' || c.action === 'replace').flatMap((c) => c.containers ?? []);
  await ensureImages(engine, needed, opts);
  const lock = await lockProject(engine, plan.project, 'deploy', needed.map((c) => c.image), opts);
  try {
    const changes = await withRetries(plan.project, opts, () => deployOnce(engine, plan, opts));
    return { changes, durationMs: Date.now() - t0 };
  } finally { await lock?.release(); }
}

async function deployOnce(engine: EngineApi, plan: DockerPlan, opts: ApplyOptions): Promise<Change[]> {
  const { all, actual, retiring } = await readState(engine, plan.project);
  const changes = computeChanges(plan, actual);
  const run = newRun(engine, plan.project, opts);
  // Old replicas an interrupted run left stopping: finish them off alongside this run.
  for (const r of retiring) {
    const job = removeContainer(run, r, r.labels[LABELS.object]).catch((e) => { run.backgroundErrors.push(e); });
    run.leftovers.set(r.name, job);
    run.background.push(job);
  }
  const made: MadeInfra = { networks: [], volumes: [] };
  try {
    if (changes.length) {
      await preflight(engine, plan, changes, all);
      await ensureImages(engine, changes.filter((c) => c.action === 'create' || c.action === 'replace').flatMap((c) => c.containers ?? []), opts);
      await apply(run, plan, changes, all, made);
    }
    await drain(run);
    if (opts.wait) await waitContainers(engine, plan.containers, { timeoutMs: opts.waitTimeoutMs ?? 60000, onProgress: opts.onProgress });
    return changes;
  } catch (e) {
    await Promise.allSettled(run.background);
    if (!(e instanceof EngineMoved)) await takeBack(run, made);
    throw reach(engine, e);
  }
}

/** Networks and volumes a run created (taken back when it fails). */
type MadeInfra = { networks: string[]; volumes: string[] };

async function apply(run: Run, plan: DockerPlan, changes: readonly Change[], all: readonly ContainerSummary[], made: MadeInfra): Promise<void> {
  // Containers holding host ports: removed before anything new may want those ports.
  const publishing = new Set(all.filter((c) => c.ports.some((p) => p.PublicPort)).map((c) => c.id));
  const { engine, opts } = run;
  const limit = opts.concurrency ?? DEFAULT_CONCURRENCY;
  await pool(changes.filter((c) => c.kind !== 'pod' && c.action === 'create'), limit, async (ch) => {
    emit(run, { type: 'change', change: ch, message: '', action: 'create', container: ch.name, object: ch.object });
    if (ch.kind === 'network') {
      const n = plan.networks.find((x) => x.name === ch.name)!;
      // 409: one of that name appeared meanwhile (resolveNetworks below tells ours from a foreign one).
      const createdNow = await engine.createNetwork(n.name, n.labels).then(() => true, (e: any) => { if (e?.statusCode !== 409) throw e; return false; });
      if (createdNow) made.networks.push(n.name);
    } else {
      const v = plan.volumes.find((x) => x.name === ch.name)!;
      await engine.createVolume(v.name, v.labels);
      made.volumes.push(v.name);
      // The engine returns an existing volume of that name as it is: made by someone else since preflight, it is not ours to use.
      const got = (await engine.listVolumes({ name: [v.name] })).find((x) => x.name === v.name);
      if (got && got.labels[LABELS.project] !== plan.project) {
        made.volumes.pop();
        throw new DockyardError({ where: `${v.object} (volume ${v.name})`, message: `a volume named "${v.name}", not owned by project "${plan.project}", appeared meanwhile`, fix: 'deploy under another --project, or remove that volume if nothing needs it' });
      }
    }
    emit(run, { type: 'done', change: ch, message: '', container: ch.name, object: ch.object });
  });
  run.netIds = await resolveNetworks(engine, plan.project);
  // A same-named foreign network made between preflight and create makes ours fail with 409; never
  // fall back to attaching by name (that would join the foreign one).
  const lost = plan.networks.filter((n) => !run.netIds.has(n.name));
  if (lost.length) throw new DockyardError(lost.map((n) => ({ where: `network ${n.name}`, message: `could not create the network: one of that name, not owned by project "${plan.project}", appeared meanwhile`, fix: 'choose another --project, or remove that network' })));
  const pods = changes.filter((c) => c.kind === 'pod');
  // Removed pods: out of the way at once, stopped in the background (one holding host ports is stopped first: a new pod may want them).
  await pool(pods.filter((c) => c.action === 'remove'), limit, async (ch) => {
    emit(run, { type: 'change', change: ch, message: '', action: 'remove', object: ch.object, container: ch.name });
    if (list(ch.existing).some((a) => publishing.has(a.id))) await removePod(run, list(ch.existing), ch.name, ch.object);
    else await retirePod(run, list(ch.existing), ch.name, ch.object);
    emit(run, { type: 'done', change: ch, message: '', object: ch.object, container: ch.name });
  });
  // Workloads roll object by object in parallel, then the relays (they hold the published ports).
  for (const role of ['workload', 'proxy']) {
    const byObject = new Map<string, Change[]>();
    for (const ch of pods) if ((ch.action === 'create' || ch.action === 'replace') && ch.containers![0].role === role) {
      if (!byObject.has(ch.object)) byObject.set(ch.object, []);
      byObject.get(ch.object)!.push(ch);
    }
    await pool([...byObject.values()], limit, (list) => rollObject(run, plan.updates.find((u) => u.object === list[0].object), list, limit));
  }
  await pool(pods.filter((c) => c.action === 'start'), limit, async (ch) => {
    emit(run, { type: 'change', change: ch, message: '', action: 'start', object: ch.object, container: ch.name });
    await wakePod(run, ch);
    emit(run, { type: 'done', change: ch, message: '', object: ch.object, container: ch.name });
  });
  const gone = changes.filter((c) => c.kind !== 'pod' && c.action === 'remove');
  // A network goes only once the containers stopping in the background have left it.
  if (gone.length) await drain(run);
  for (const ch of gone) {
    emit(run, { type: 'change', change: ch, message: '', action: 'remove', container: ch.name, object: ch.object });
    if (ch.kind === 'network') await removeNetworks(engine, plan.project, ch.name);
    else await engine.removeVolume(ch.name).catch((e: any) => { if (e?.statusCode !== 404) throw e; });
    emit(run, { type: 'done', change: ch, message: '', container: ch.name, object: ch.object });
  }
}

const list = (x: readonly ActualContainer[] | undefined): ActualContainer[] => [...(x ?? [])];

/** After a failure: removes the containers, networks and volumes this run created (best effort, reported as steps). */
async function takeBack(run: Run, made: MadeInfra): Promise<void> {
  const containers = [...run.created];
  await Promise.allSettled(containers.map(([id, name]) => {
    emit(run, { type: 'step', message: `remove  container ${name} (made by this failed deploy)`, action: 'remove', container: name });
    return run.engine.removeContainer(id, { force: true, volumes: true });
  }));
  for (const n of made.networks) await removeNetworks(run.engine, run.project, n).catch(() => undefined);
  for (const v of made.volumes) await run.engine.removeVolume(v).catch(() => undefined);
}

/**
 * Removes everything the project owns: containers (their stop graces in parallel), then networks;
 * named volumes only with `volumes: true` (their names are returned as kept otherwise). Reads the
 * engine again afterwards: a container a killed deploy's late request made meanwhile is removed too.
 */
export async function destroyProject(engine: EngineApi, project: string, opts: ApplyOptions = {}): Promise<DeployResult> {
  const t0 = Date.now();
  const first = await readState(engine, project);
  const done: Change[] = [];
  const kept = new Set<string>();
  if (!first.actual.containers.length && !first.retiring.length && !first.actual.networks.length && !(opts.volumes && first.actual.volumes.length)) {
    return { changes: [], durationMs: Date.now() - t0, keptVolumes: [...first.actual.volumes].sort() };
  }
  const images = first.all.filter((c) => c.labels[LABELS.project] === project).map((c) => c.image);
  const lock = await lockProject(engine, project, 'destroy', images, opts);
  try {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const changes = await destroyOnce(engine, project, opts, kept);
        if (changes.length === 0) break;
        done.push(...changes);
      } catch (e) {
        if (!(e instanceof EngineMoved)) throw reach(engine, e);
        if (attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  } finally { await lock?.release(); }
  return { changes: done, durationMs: Date.now() - t0, keptVolumes: [...kept].sort() };
}

async function destroyOnce(engine: EngineApi, project: string, opts: ApplyOptions, kept: Set<string>): Promise<Change[]> {
  const empty: DockerPlan = { project, networks: [], volumes: [], containers: [], updates: [], warnings: [] };
  const { actual, retiring } = await readState(engine, project);
  const changes = computeChanges(empty, actual).filter((c) => {
    if (c.kind !== 'volume' || opts.volumes) return true;
    if (!kept.has(c.name)) opts.onProgress?.({ type: 'info', message: `keep    volume    ${c.name}  (named volumes are kept; destroy --volumes removes them)`, action: 'remove', container: c.name, at: Date.now() });
    kept.add(c.name);
    return false;
  });
  if (changes.length === 0 && retiring.length === 0) return changes;
  const run = newRun(engine, project, opts);
  const limit = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const pods = [...changes.filter((c) => c.kind === 'pod'), ...retiring.map((r): Change => ({ action: 'remove', kind: 'pod', name: r.name, object: r.labels[LABELS.object] ?? '?', existing: [r] }))];
  await pool(pods, limit, async (ch) => {
    emit(run, { type: 'change', change: ch, message: '', action: 'remove', object: ch.object, container: ch.name });
    await removePod(run, list(ch.existing), ch.name, ch.object);
    emit(run, { type: 'done', change: ch, message: '', object: ch.object, container: ch.name });
  });
  // One network that cannot go (foreign containers attached) must not keep the others and the volumes.
  const problems: Problem[] = [];
  for (const ch of changes.filter((c) => c.kind !== 'pod')) {
    emit(run, { type: 'change', change: ch, message: '', action: 'remove', container: ch.name, object: ch.object });
    try {
      if (ch.kind === 'network') await removeNetworks(engine, project, ch.name);
      else await engine.removeVolume(ch.name).catch((e: any) => { if (e?.statusCode !== 404) throw e; });
    } catch (e) {
      if (!(e instanceof DockyardError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    emit(run, { type: 'done', change: ch, message: '', container: ch.name, object: ch.object });
  }
  if (problems.length) throw new DockyardError(problems, problems.length > 1 ? `the project's containers were removed, but ${problems.length} object(s) could not be:` : undefined);
  return changes;
}

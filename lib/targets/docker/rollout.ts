/**
 * How one object's pods are replaced, as a Deployment does it:
 *  - surge: the new replica starts under a temporary name next to the old one; once it is ready the
 *    old one is renamed out of the way and stopped in the background (its grace runs while the rollout
 *    goes on), and the new one takes the final name. At most `maxSurge` of these at once.
 *  - unavailable: the old replica is retired first (renamed, stopped in the background) and the new
 *    one starts under the final name at once. At most `maxUnavailable` of these at once.
 *  - stop-first: the old pod is stopped and removed before the new one starts (a bare Pod, whose
 *    replacement Kubernetes also makes only after the old one is gone; a pod holding host ports; the
 *    relay). `Recreate` removes every old pod, then starts every new one.
 * Each step waits until the new pod is ready (running, and healthy when it has a healthcheck) before
 * it counts; a pod that never gets ready stops the rollout with the old ones still serving.
 */
import { DockyardError } from '../../core/errors';
import type { Change } from './changes';
import { waitContainers } from './await';
import { createPod, emit, finalName, Made, promote, removeContainer, removePod, retirePod, Run, startPod, surgeName } from './pods';
import { LABELS, UpdatePlan } from './plan';

/** Runs `fn` over `items`, `limit` at a time; waits for all, then throws every user error together (or the first other error). */
export async function pool<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>, stopOnError = false): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && !(stopOnError && errors.length)) {
      const item = items[next++];
      try { await fn(item); } catch (e) { errors.push(e); }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  throwAll(errors);
}

/** Throws collected errors: all user errors as one, else the first other one. */
export function throwAll(errors: readonly unknown[]): void {
  if (!errors.length) return;
  const user = errors.filter((e): e is DockyardError => e instanceof DockyardError);
  if (user.length === errors.length) throw user.length === 1 ? user[0] : new DockyardError(user.flatMap((e) => e.problems));
  throw errors.find((e) => !(e instanceof DockyardError));
}

/** True when a replacement cannot run next to its old pod (see the module comment). */
export function stopsFirst(ch: Change): boolean {
  return ch.object.startsWith('Pod/') || (ch.containers ?? []).some((c) => c.ports.length > 0 || c.role === 'proxy');
}

/** Surge and unavailability of an object's rollout (Kubernetes' fenceposts: never both 0). */
export function rolloutBudget(update: UpdatePlan | undefined): { surge: number; unavailable: number } {
  const surge = Math.max(0, update?.maxSurge ?? 0);
  const unavailable = Math.max(0, update?.maxUnavailable ?? update?.parallelism ?? 1);
  return surge === 0 && unavailable === 0 ? { surge: 0, unavailable: 1 } : { surge, unavailable };
}

function wrap(run: Run, ch: Change, work: () => Promise<void>): Promise<void> {
  emit(run, { type: 'change', change: ch, message: '', action: ch.action === 'replace' ? 'replace' : ch.action === 'create' ? 'create' : undefined, object: ch.object, container: ch.name });
  return work().then(() => emit(run, { type: 'done', change: ch, message: '', object: ch.object, container: ch.name }));
}

/** Leftovers of an interrupted run (temporary names) go before anything else. */
async function clearTemporaries(run: Run, ch: Change): Promise<void> {
  for (const a of ch.existing ?? []) if (a.name !== a.labels[LABELS.name]) await removeContainer(run, { ...a, state: 'created' }, ch.object);
}

const oldOf = (ch: Change) => (ch.existing ?? []).filter((a) => a.name === a.labels[LABELS.name]);

async function removeMade(run: Run, made: readonly Made[]): Promise<void> {
  for (const m of [...made].reverse()) await removeContainer(run, { id: m.id, name: m.name, state: 'created' }).catch(() => undefined);
}

async function ready(run: Run, ch: Change, surge: boolean): Promise<void> {
  await waitContainers(run.engine, ch.containers!, { timeoutMs: run.opts.waitTimeoutMs ?? 60000, minUpMs: 0, actualName: surge ? surgeName : finalName, onProgress: run.opts.onProgress });
}

/** A new pod (no old one): create and start. */
export async function createAndStart(run: Run, ch: Change): Promise<void> {
  await wrap(run, ch, async () => startPod(run, await createPod(run, ch.containers!, finalName, true)));
}

async function replaceSurge(run: Run, ch: Change): Promise<void> {
  await clearTemporaries(run, ch);
  const made = await createPod(run, ch.containers!, surgeName, true);
  try {
    await startPod(run, made);
    await ready(run, ch, true);
  } catch (e) {
    // The old pod keeps serving; the replica that could not get ready goes.
    await removeMade(run, made);
    throw e;
  }
  await retirePod(run, oldOf(ch), ch.name, ch.object);
  await promote(run, made);
}

async function replaceUnavailable(run: Run, ch: Change): Promise<void> {
  await clearTemporaries(run, ch);
  await retirePod(run, oldOf(ch), ch.name, ch.object);
  await startPod(run, await createPod(run, ch.containers!, finalName, false));
  await ready(run, ch, false);
}

/** Prepared under temporary names, the old pod stopped and removed, then renamed and started (the shortest gap). */
export async function replaceStopFirst(run: Run, ch: Change): Promise<void> {
  await clearTemporaries(run, ch);
  const made = await createPod(run, ch.containers!, surgeName, false);
  await removePod(run, oldOf(ch), ch.name, ch.object);
  await promote(run, made);
  await startPod(run, made);
}

/** Creates and replaces the pods of one object, as its update strategy says. */
export async function rollObject(run: Run, update: UpdatePlan | undefined, changes: readonly Change[], limit: number): Promise<void> {
  const creates = changes.filter((c) => c.action === 'create');
  const replaces = changes.filter((c) => c.action === 'replace');
  const jobs: Array<Promise<void>> = [pool(creates, limit, (ch) => createAndStart(run, ch))];
  if (update?.recreate) {
    // Every old pod goes (their graces in parallel) before any new one starts.
    jobs.push((async () => {
      for (const ch of replaces) emit(run, { type: 'change', change: ch, message: '', action: 'replace', object: ch.object, container: ch.name });
      await pool(replaces, limit, async (ch) => { await clearTemporaries(run, ch); await removePod(run, oldOf(ch), ch.name, ch.object); });
      await pool(replaces, limit, async (ch) => {
        await startPod(run, await createPod(run, ch.containers!, finalName, false));
        emit(run, { type: 'done', change: ch, message: '', object: ch.object, container: ch.name });
      });
    })());
  } else {
    jobs.push(pool(replaces.filter(stopsFirst), limit, (ch) => wrap(run, ch, () => replaceStopFirst(run, ch))));
    const rolling = replaces.filter((ch) => !stopsFirst(ch));
    const { surge, unavailable } = rolloutBudget(update);
    // Workers of each kind pull from one queue; the first failure stops new steps (old pods keep serving).
    let next = 0;
    const errors: unknown[] = [];
    const worker = (step: (r: Run, ch: Change) => Promise<void>) => async () => {
      while (next < rolling.length && !errors.length) {
        const ch = rolling[next++];
        try { await wrap(run, ch, () => step(run, ch)); } catch (e) { errors.push(e); }
      }
    };
    const workers = [...Array(Math.min(surge, rolling.length)).fill(worker(replaceSurge)), ...Array(Math.min(unavailable, rolling.length)).fill(worker(replaceUnavailable))];
    jobs.push(Promise.all(workers.map((w) => w())).then(() => throwAll(errors)));
  }
  const settled = await Promise.allSettled(jobs);
  throwAll(settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason));
}

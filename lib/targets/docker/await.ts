/**
 * Readiness: waits until containers run (and are healthy when they have a healthcheck), and explains
 * a container that cannot get there with what the engine knows: its exit code, its last health-check
 * outputs and exit codes (`State.Health.Log`) and its last log lines.
 */
import { DockyardError } from '../../core/errors';
import type { ContainerInspect, EngineApi } from './engine-api';
import { EngineMoved } from './engine-errors';
import type { ContainerPlan } from './plan';
import type { ProgressEvent } from './events';

/** Options of `waitContainers`. */
export interface WaitOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /**
   * A container without a healthcheck must stay up this long (same start, seen by two polls) to count:
   * one that crashes right after start is still "running" at the first look. A rollout uses 0, as a
   * Deployment counts a pod without a readiness probe ready once it runs. @default 1000
   */
  readonly minUpMs?: number;
  /** Progress callback (one `wait` event per container, with the reason). @default none */
  readonly onProgress?: (e: ProgressEvent) => void;
  /** Engine name per planned name (a surge replica runs under a temporary name). @default the planned name */
  readonly actualName?: (c: ContainerPlan) => string;
}

const POLL_MS = 250;

/** Waits until every container is ready; fails naming the first that cannot, with its health log and logs. */
export async function waitContainers(engine: EngineApi, containers: readonly ContainerPlan[], opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const minUp = opts.minUpMs ?? 1000;
  const nameOf = opts.actualName ?? ((c: ContainerPlan) => c.name);
  const pending = new Map(containers.map((c) => [nameOf(c), c]));
  // name -> StartedAt and when we first saw it running with that start (our clock: no engine skew).
  const seenUp = new Map<string, { startedAt: string; since: number }>();
  const announced = new Set<string>();
  let last = new Map<string, string>();
  while (pending.size) {
    last = new Map();
    await Promise.all([...pending].map(async ([name, c]) => {
      const info = await engine.inspectContainer(name);
      const st = info?.State;
      const health = st?.Health?.Status;
      const up = !!st?.Running && !st.Restarting;
      if (up && health === 'healthy') { pending.delete(name); return; }
      if (up && !health) {
        const seen = seenUp.get(name);
        if (seen && seen.startedAt === st!.StartedAt && Date.now() - seen.since >= minUp) { pending.delete(name); return; }
        if (!seen || seen.startedAt !== st!.StartedAt) seenUp.set(name, { startedAt: st!.StartedAt, since: Date.now() });
        if (minUp === 0) { pending.delete(name); return; }
        last.set(name, 'is starting');
        return;
      }
      // A run-to-completion pod (restartPolicy Never/OnFailure) that exited 0 is done, not failed.
      if (st?.Status === 'exited' && st.ExitCode === 0 && (c.restart.name === 'no' || c.restart.name === 'on-failure')) { pending.delete(name); return; }
      // Gone after we made it: another deploy (or a person) removed it meanwhile; read the engine again.
      if (!info) throw new EngineMoved(`container ${name} was removed meanwhile`, undefined);
      // Unhealthy from checks that ran and failed is a verdict; from checks that timed out (exit -1, a
      // loaded host) it may pass later, as a readiness probe does: wait on until the timeout.
      const log = st?.Health?.Log ?? [];
      const verdict = health === 'unhealthy' && log.length > 0 && log.slice(-3).every((h) => h.ExitCode !== -1);
      const failed = st!.Status === 'exited' || st!.Status === 'dead' || st!.Restarting || verdict;
      const why = health === 'unhealthy' ? 'is unhealthy' : st!.Restarting || st!.Status === 'exited' ? `exited with code ${st!.ExitCode}` : `is ${st!.Status}${health ? ` (${health})` : ''}`;
      if (failed) {
        const logs = await engine.containerLogs(info.Id, 20).catch(() => '(no logs)');
        // Stopped or replaced by another deploy of the project while we looked: not this spec's failure.
        const again = await engine.inspectContainer(name).catch(() => undefined);
        if (again?.Id !== info.Id || again.State?.Status === 'removing') throw new EngineMoved(`container ${name} was removed or replaced meanwhile`, undefined);
        throw new DockyardError({ where: `${c.object} (container ${c.name})`, message: `${why}${describeHealth(again ?? info)}; last log lines:\n${indent(logs)}`, fix: health === 'unhealthy' ? 'fix the probe command or the app, as the health-check output above shows, then deploy again' : 'fix the command, image or probe shown above, then deploy again' });
      }
      if (!announced.has(name)) {
        announced.add(name);
        opts.onProgress?.({ type: 'step', message: `wait    container ${c.name}: ${health ? 'health check' : 'start'}`, action: 'wait', reason: health ? 'health' : 'ready', object: c.object, container: c.name, at: Date.now() });
      }
      last.set(name, why);
    }));
    if (!pending.size) return;
    if (Date.now() > deadline) {
      const [name, why] = [...last][0] ?? [...pending.keys()].map((n) => [n, 'is not ready'])[0];
      const c = pending.get(name)!;
      const info = await engine.inspectContainer(name).catch(() => undefined);
      const logs = info ? await engine.containerLogs(info.Id, 20).catch(() => '(no logs)') : '(no logs)';
      throw new DockyardError({ where: `${c.object} (container ${c.name})`, message: `not ready after ${Math.round(opts.timeoutMs / 1000)}s: it ${why}${info ? describeHealth(info) : ''}; last log lines:\n${indent(logs)}`, fix: 'check its probe and logs, or raise --wait-timeout' });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The engine's last health checks (exit code and output), newest last; '' without a healthcheck. */
export function describeHealth(info: ContainerInspect, last = 3): string {
  const log = info.State?.Health?.Log ?? [];
  if (!log.length) return '';
  // The first lines say what went wrong (a usage text follows an "invalid option"); long output is cut.
  const text = (out: string) => { const t = out.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' | '); return t.length > 200 ? `${t.slice(0, 200)}...` : t; };
  const lines = log.slice(-last).map((h) => `exit ${h.ExitCode}: ${text(h.Output ?? '') || '(no output)'}`);
  return `; last health checks (engine's State.Health.Log):\n${indent(lines.join('\n'))}`;
}

function indent(text: string): string {
  return (text || '(no output)').split('\n').map((l) => `      ${l}`).join('\n');
}

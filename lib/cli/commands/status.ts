import { CliCommand, CliIo } from '../command';
import { DockyardError, isUserError } from '../../core/errors';
import { DockerArgs, loadAndPlan, openEngine, parseDockerArgs } from '../../targets/docker/cli';
import type { StatsData, StatusReport } from '../../targets/docker/status';

const usage = 'dockyard status --docker [--host URL] [--project NAME] [--watch [--interval SECONDS]] [--json] [--exit-code] [<files|folders|->]';

/** Exit code of `--exit-code` when drift is shown (1 is a user error, 2 usage, 70 a bug). */
export const DRIFT_EXIT_CODE = 3;

/** Flags only `status` takes, split off before the shared Docker flags are parsed. Pure. */
export function splitStatusFlags(args: readonly string[]): { rest: string[]; watch: boolean; intervalSeconds: number; exitCode: boolean } {
  const rest: string[] = [];
  let watch = false;
  let exitCode = false;
  let interval: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { rest.push(...args.slice(i)); break; }
    if (a === '--watch' || a === '-w') watch = true;
    else if (a === '--exit-code') exitCode = true;
    else if (a === '--interval') {
      if (i + 1 >= args.length) throw new DockyardError({ where: '--interval', message: 'needs a number of seconds', fix: 'e.g. --interval 5' });
      interval = args[++i];
    } else if (a.startsWith('--interval=')) interval = a.slice('--interval='.length);
    else rest.push(a);
  }
  const intervalSeconds = interval === undefined ? 2 : Number(interval);
  if (interval !== undefined && (!/^\d+(\.\d+)?$/.test(interval) || intervalSeconds < 0.2)) {
    throw new DockyardError({ where: '--interval', message: `"${interval}" is not a number of seconds (at least 0.2)`, fix: 'e.g. --interval 5' });
  }
  if (interval !== undefined && !watch) throw new DockyardError({ where: '--interval', message: 'only means something with --watch', fix: 'add --watch, or drop --interval' });
  return { rest, watch, intervalSeconds, exitCode };
}

const shellQuote = (s: string) => (/^[-\w.:/=@,+%]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * The deploy command that repairs drift: the same engine, project, planning flags (they change the
 * spec hashes) and manifests as this status run. Pure.
 */
export function repairCommand(a: Pick<DockerArgs, 'project' | 'inputs' | 'values'>): string {
  const parts = ['dockyard', 'deploy', '--docker'];
  if (typeof a.values.host === 'string') parts.push('--host', a.values.host);
  parts.push('--project', a.project);
  for (const k of ['publish-address', 'proxy-image'] as const) if (typeof a.values[k] === 'string') parts.push(`--${k}`, a.values[k] as string);
  for (const k of ['skip-unsupported', 'allow-docker-socket', 'allow-privileged'] as const) if (a.values[k] === true) parts.push(`--${k}`);
  const inputs = a.inputs.length ? a.inputs.map(shellQuote) : ['<manifests>'];
  return [...parts.map(shellQuote), ...inputs].join(' ');
}

/** `dockyard status --docker`: a table of the project's workloads (replicas, health, restarts, ports, CPU, memory) and its drift. */
export const command: CliCommand = {
  summary: 'show what a project runs on a Docker host: replicas, health, CPU, memory, drift',
  usage,
  async run(args, io) {
    const s = splitStatusFlags(args);
    const a = parseDockerArgs('status', s.rest, usage, io);
    // Manifests are read once; a watch keeps comparing against them.
    const plan = a.inputs.length ? await loadAndPlan(a, io) : undefined;
    const { engine, api: { ping } } = await openEngine(a);
    const repair = repairCommand(a);
    let previous: Map<string, StatsData> | undefined;
    const once = async (): Promise<StatusReport> => {
      const { buildReport, readStatus } = await import('../../targets/docker/status');
      try {
        const r = await readStatus(engine, a.project, { previous });
        previous = r.samples;
        return buildReport(a.project, r.containers, { plan, actual: r.actual, inspected: r.inspected, repair });
      } catch (e) {
        await ping(engine); // an unreachable engine becomes a user error naming the host
        throw e;
      }
    };
    const { renderStatus } = await import('../../targets/docker/status-view');
    const show = (report: StatusReport, watching: boolean) => {
      if (a.values.json) io.out(watching ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);
      else io.out(renderStatus(report, engine.describe()));
    };
    if (!s.watch) {
      const report = await once();
      show(report, false);
      return s.exitCode && report.drift.length ? DRIFT_EXIT_CODE : 0;
    }
    await watch(io, s.intervalSeconds, once, show, a.values.json === true);
    return 0;
  },
};

/** Refreshes until SIGINT/SIGTERM; clears the screen only on a terminal, otherwise prints successive tables. */
async function watch(io: CliIo, seconds: number, once: () => Promise<StatusReport>, show: (r: StatusReport, watching: boolean) => void, json: boolean): Promise<void> {
  // JSON lines never get escape codes or separators: one document per line is the contract.
  const tty = !json && process.stdout.isTTY === true;
  let stopped = false;
  let wake: () => void = () => undefined;
  const stop = () => { stopped = true; wake(); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    let first = true;
    while (!stopped) {
      const started = Date.now();
      try {
        const report = await once();
        if (stopped) break;
        if (tty) io.out('\x1b[H\x1b[2J');
        else if (!first && !json) io.out('\n');
        show(report, true);
      } catch (e) {
        // A watch outlives an engine restart: say what failed and try again next time.
        if (!isUserError(e)) throw e;
        io.err(`dockyard status: ${(e as Error).message}\n`);
      }
      first = false;
      // Every `seconds` from start to start: reading stats takes up to a second of the interval.
      const wait = Math.max(0, seconds * 1000 - (Date.now() - started));
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, wait); wake = () => { clearTimeout(t); resolve(); }; });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

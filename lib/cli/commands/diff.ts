import { CliCommand } from '../command';
import { formatProblem } from '../../core/errors';
import { Change, containerChanges, formatChange, SpecChange } from '../../targets/docker/changes';
import { LABELS } from '../../targets/docker/plan';
import { changeJson, COMMON_USAGE, computeChanges, loadPlanned, openEngine, parseDockerArgs, printWarnings, relayImagePreflight } from '../../targets/docker/cli';

const usage = `dockyard diff ${COMMON_USAGE} <files|folders|->`;

/** `dockyard diff --docker`: what deploy would change, without changing anything. */
export const command: CliCommand = {
  summary: 'show what deploy would create, replace or remove on a Docker host',
  usage,
  async run(args, io) {
    const a = parseDockerArgs('diff', args, usage, io);
    const { plan, objects } = await loadPlanned(a, io);
    printWarnings(plan, a, io);
    const { engine, api: { readActual, findConflicts } } = await openEngine(a);
    await relayImagePreflight(engine, plan, a, io, 'diff');
    const changes = computeChanges(plan, await readActual(engine, plan.project));
    // What deploy would refuse (names, volumes, networks held by something else; host ports in use).
    const conflicts = changes.length ? await findConflicts(engine, plan, changes) : [];
    // For spec changes, say what changed, aspect by aspect (Secret values are never shown).
    const { readForCompare, secretValuesOf } = await import('../../targets/docker/spec-read');
    const secretValues = secretValuesOf(objects);
    const details = new Map<Change, Array<{ container: string; changes: SpecChange[] }>>();
    for (const c of changes) {
      if (c.action !== 'replace' || c.reason !== 'spec changed') continue;
      const list: Array<{ container: string; changes: SpecChange[] }> = [];
      for (const want of c.containers ?? []) {
        const have = c.existing?.find((x) => x.name === want.name);
        if (!have || have.labels[LABELS.hash] === want.hash) continue;
        const read = await readForCompare(engine, have.id, want);
        if (!read) continue;
        const found = containerChanges(want, read.inspect, { ...read.options, secretValues });
        list.push({ container: want.name, changes: found.length ? found : [{ aspect: 'other', summary: read.options.files ? 'no setting differs, only the spec hash (it was planned by another Dockyard version)' : 'files or other settings', details: [] }] });
      }
      details.set(c, list);
    }
    if (a.values.json) {
      const json = (c: Change) => ({ ...changeJson(c), ...(details.get(c)?.length ? { details: details.get(c)!.map((d) => ({ container: d.container, changes: d.changes })) } : {}) });
      io.out(JSON.stringify({ project: plan.project, changes: changes.map(json), warnings: plan.warnings, conflicts }, null, 2) + '\n');
    } else {
      for (const c of changes) {
        io.out(`${formatChange(c)}\n`);
        for (const d of details.get(c) ?? []) {
          io.out(`          ${d.container}: ${d.changes.map((x) => x.summary).join('; ')}\n`);
          for (const x of d.changes) for (const line of x.details) io.out(`            ${x.aspect} ${line}\n`);
        }
      }
      if (!a.values.quiet) io.out(`${plan.project}: ${changes.length ? `${changes.length} change(s) pending` : 'up to date'}\n`);
      if (conflicts.length) io.err(`deploy would refuse these changes, ${conflicts.length} conflict(s):\n${conflicts.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
    }
    return conflicts.length ? 1 : 0;
  },
};

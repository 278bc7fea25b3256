import { CliCommand } from '../command';
import { formatProblem } from '../../core/errors';
import { Change, formatChange, InspectedSpec, specDifferences } from '../../targets/docker/changes';
import { LABELS } from '../../targets/docker/plan';
import { changeJson, COMMON_USAGE, computeChanges, loadAndPlan, openEngine, parseDockerArgs, printWarnings } from '../../targets/docker/cli';

const usage = `dockyard diff ${COMMON_USAGE} <files|folders|->`;

/** `dockyard diff --docker`: what deploy would change, without changing anything. */
export const command: CliCommand = {
  summary: 'show what deploy would create, replace or remove on a Docker host',
  usage,
  async run(args, io) {
    const a = parseDockerArgs('diff', args, usage, io);
    const plan = await loadAndPlan(a, io);
    printWarnings(plan, a, io);
    const { engine, api: { readActual, findConflicts } } = await openEngine(a);
    const changes = computeChanges(plan, await readActual(engine, plan.project));
    // What deploy would refuse (names, volumes, networks held by something else; host ports in use).
    const conflicts = changes.length ? await findConflicts(engine, plan, changes) : [];
    // For spec changes, say what changed (inspecting the running containers; env values are never shown).
    const details = new Map<Change, string[]>();
    for (const c of changes) {
      if (c.action !== 'replace' || c.reason !== 'spec changed') continue;
      const lines: string[] = [];
      for (const want of c.containers ?? []) {
        const have = c.existing?.find((x) => x.name === want.name);
        if (!have || have.labels[LABELS.hash] === want.hash) continue;
        const info = await engine.get<InspectedSpec>(`/containers/${have.id}/json`).catch(() => undefined);
        if (info) lines.push(`${want.name}: ${specDifferences(want, info).join('; ')}`);
      }
      details.set(c, lines);
    }
    if (a.values.json) io.out(JSON.stringify({ project: plan.project, changes: changes.map((c) => ({ ...changeJson(c), ...(details.get(c)?.length ? { details: details.get(c) } : {}) })), warnings: plan.warnings, conflicts }, null, 2) + '\n');
    else {
      for (const c of changes) {
        io.out(`${formatChange(c)}\n`);
        for (const d of details.get(c) ?? []) io.out(`          ${d}\n`);
      }
      if (!a.values.quiet) io.out(`${plan.project}: ${changes.length ? `${changes.length} change(s) pending` : 'up to date'}\n`);
      if (conflicts.length) io.err(`deploy would refuse these changes, ${conflicts.length} conflict(s):\n${conflicts.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
    }
    return conflicts.length ? 1 : 0;
  },
};

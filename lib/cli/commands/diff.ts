import { CliCommand } from '../command';
import { formatChange } from '../../targets/docker/changes';
import { changeJson, COMMON_USAGE, computeChanges, loadAndPlan, parseDockerArgs, printWarnings } from '../../targets/docker/cli';

const usage = `dockyard diff ${COMMON_USAGE} <files|folders|->`;

/** `dockyard diff --docker`: what deploy would change, without changing anything. */
export const command: CliCommand = {
  summary: 'show what deploy would create, replace or remove on a Docker host',
  usage,
  async run(args, io) {
    const a = parseDockerArgs('diff', args, usage, io);
    const plan = loadAndPlan(a, io);
    printWarnings(plan, a, io);
    const { Engine, ping, readActual } = await import('../../targets/docker/engine');
    const engine = new Engine(a.host);
    await ping(engine);
    const changes = computeChanges(plan, await readActual(engine, plan.project));
    if (a.values.json) io.out(JSON.stringify({ project: plan.project, changes: changes.map(changeJson), warnings: plan.warnings }, null, 2) + '\n');
    else {
      for (const c of changes) io.out(`${formatChange(c)}\n`);
      if (!a.values.quiet) io.out(`${plan.project}: ${changes.length ? `${changes.length} change(s) pending` : 'up to date'}\n`);
    }
    return 0;
  },
};

import { CliCommand } from '../command';
import { formatChange } from '../../targets/docker/changes';
import { changeJson, COMMON_USAGE, loadAndPlan, openEngine, parseDockerArgs, printWarnings } from '../../targets/docker/cli';

const usage = `dockyard deploy ${COMMON_USAGE} [--wait [--wait-timeout SECONDS]] [--stop-timeout SECONDS] [--no-pull] <files|folders|->`;

/** `dockyard deploy --docker`: make the engine run the manifests (create, replace, remove by label). */
export const command: CliCommand = {
  summary: 'run manifests on a Docker host (idempotent, reconciling by labels)',
  usage,
  async run(args, io) {
    const a = parseDockerArgs('deploy', args, usage, io);
    const plan = await loadAndPlan(a, io);
    printWarnings(plan, a, io);
    const { engine, api: { deployPlan } } = await openEngine(a);
    const quiet = a.values.quiet || a.values.json;
    const result = await deployPlan(engine, plan, {
      pull: !a.values['no-pull'],
      wait: a.values.wait === true,
      waitTimeoutMs: a.values['wait-timeout'] ? Number(a.values['wait-timeout']) * 1000 : undefined,
      stopTimeoutSeconds: a.values['stop-timeout'] ? Number(a.values['stop-timeout']) : undefined,
      onProgress: quiet ? undefined : (e) => {
        if (e.type === 'change' && e.change) io.out(`${formatChange(e.change)}\n`);
        else if (e.type === 'pull' || e.type === 'info') io.out(`${e.message}\n`);
      },
    });
    if (a.values.json) io.out(JSON.stringify({ project: plan.project, changes: result.changes.map(changeJson), warnings: plan.warnings, durationMs: result.durationMs }, null, 2) + '\n');
    else if (!a.values.quiet) io.out(`${plan.project}: ${result.changes.length ? `${result.changes.length} change(s)` : 'up to date, nothing changed'} (${plan.containers.length} container(s), ${(result.durationMs / 1000).toFixed(2)}s)\n`);
    return 0;
  },
};

import { CliCommand } from '../command';
import { changeJson, COMMON_USAGE, loadAndPlan, openEngine, parseDockerArgs, printWarnings, progressFor, relayImagePreflight, setting } from '../../targets/docker/cli';

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
    await relayImagePreflight(engine, plan, a, io, 'deploy');
    const progress = progressFor(a, io);
    const waitTimeout = setting<number>(a, 'waitTimeout');
    const stopTimeout = setting<number>(a, 'stopTimeout');
    let result;
    try {
      result = await deployPlan(engine, plan, {
        pull: setting<boolean>(a, 'pull') !== false,
        wait: setting<boolean>(a, 'wait') === true,
        waitTimeoutMs: waitTimeout !== undefined ? waitTimeout * 1000 : undefined,
        stopTimeoutSeconds: stopTimeout,
        onProgress: progress.callback,
      });
    } finally {
      progress.finish();
    }
    if (a.values.json) io.out(JSON.stringify({ project: plan.project, changes: result.changes.map(changeJson), warnings: plan.warnings, durationMs: result.durationMs }, null, 2) + '\n');
    else if (!a.values.quiet) io.out(`${plan.project}: ${result.changes.length ? `${result.changes.length} change(s)` : 'up to date, nothing changed'} (${plan.containers.length} container(s), ${(result.durationMs / 1000).toFixed(2)}s)\n`);
    return 0;
  },
};

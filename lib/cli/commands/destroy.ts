import { CliCommand } from '../command';
import { changeJson, openEngine, parseDockerArgs, progressFor, setting } from '../../targets/docker/cli';

const usage = 'dockyard destroy --docker [--config FILE] [--host URL] [--project NAME] [--volumes] [--stop-timeout SECONDS] [--quiet|--json] [<files|folders|->]';

/** `dockyard destroy --docker`: remove every container and network the project owns (by label); named volumes only with --volumes. */
export const command: CliCommand = {
  summary: 'remove everything a project owns on a Docker host',
  usage,
  async run(args, io) {
    // Manifests are accepted (so the same command line works) but not needed: ownership is by label.
    const a = parseDockerArgs('destroy', args, usage, io);
    const { engine, api: { destroyProject } } = await openEngine(a);
    const progress = progressFor(a, io);
    let result;
    try {
      result = await destroyProject(engine, a.project, { stopTimeoutSeconds: setting<number>(a, 'stopTimeout'), volumes: a.values.volumes === true, onProgress: progress.callback });
    } finally {
      progress.finish();
    }
    if (a.values.json) io.out(JSON.stringify({ project: a.project, changes: result.changes.map(changeJson), keptVolumes: result.keptVolumes ?? [], durationMs: result.durationMs }, null, 2) + '\n');
    else if (!a.values.quiet) io.out(`${a.project}: ${result.changes.length ? `removed ${result.changes.length} object(s)` : 'nothing to remove'} (${(result.durationMs / 1000).toFixed(2)}s)\n`);
    return 0;
  },
};

import { CliCommand } from '../command';
import { formatChange } from '../../targets/docker/changes';
import { changeJson, openEngine, parseDockerArgs } from '../../targets/docker/cli';

const usage = 'dockyard destroy --docker [--host URL] [--project NAME] [--volumes] [--stop-timeout SECONDS] [--quiet|--json] [<files|folders|->]';

/** `dockyard destroy --docker`: remove every container and network the project owns (by label); named volumes only with --volumes. */
export const command: CliCommand = {
  summary: 'remove everything a project owns on a Docker host',
  usage,
  async run(args, io) {
    // Manifests are accepted (so the same command line works) but not needed: ownership is by label.
    const a = parseDockerArgs('destroy', args, usage, io);
    const { engine, api: { destroyProject } } = await openEngine(a);
    const quiet = a.values.quiet || a.values.json;
    const result = await destroyProject(engine, a.project, {
      stopTimeoutSeconds: a.values['stop-timeout'] ? Number(a.values['stop-timeout']) : undefined,
      volumes: a.values.volumes === true,
      onProgress: quiet ? undefined : (e) => {
        if (e.type === 'change' && e.change) io.out(`${formatChange(e.change)}\n`);
        else if (e.type === 'info') io.out(`${e.message}\n`);
      },
    });
    if (a.values.json) io.out(JSON.stringify({ project: a.project, changes: result.changes.map(changeJson), keptVolumes: result.keptVolumes ?? [], durationMs: result.durationMs }, null, 2) + '\n');
    else if (!a.values.quiet) io.out(`${a.project}: ${result.changes.length ? `removed ${result.changes.length} object(s)` : 'nothing to remove'} (${(result.durationMs / 1000).toFixed(2)}s)\n`);
    return 0;
  },
};

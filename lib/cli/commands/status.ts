import { CliCommand } from '../command';
import { formatChange } from '../../targets/docker/changes';
import { changeJson, computeChanges, loadAndPlan, parseDockerArgs } from '../../targets/docker/cli';

const usage = 'dockyard status --docker [--host URL] [--project NAME] [--json] [<files|folders|->]';

/** `dockyard status --docker`: what the project runs; with manifests, also what is out of date. */
export const command: CliCommand = {
  summary: 'show the containers a project runs on a Docker host',
  usage,
  async run(args, io) {
    const a = parseDockerArgs('status', args, usage, io);
    const plan = a.inputs.length ? loadAndPlan(a, io) : undefined;
    const { Engine, ping, projectStatus, readActual } = await import('../../targets/docker/engine');
    const engine = new Engine(a.host);
    await ping(engine);
    const list = await projectStatus(engine, a.project);
    const pending = plan ? computeChanges(plan, await readActual(engine, a.project)) : undefined;
    if (a.values.json) {
      io.out(JSON.stringify({ project: a.project, containers: list, ...(pending ? { pending: pending.map(changeJson) } : {}) }, null, 2) + '\n');
      return 0;
    }
    if (list.length === 0) io.out(`${a.project}: no containers\n`);
    const w = Math.max(4, ...list.map((c) => c.name.length));
    for (const c of list) io.out(`${c.name.padEnd(w)}  ${c.state.padEnd(10)} ${c.status.padEnd(24)} ${c.object}${c.ports.length ? `  ${c.ports.join(', ')}` : ''}\n`);
    if (pending) {
      for (const c of pending) io.out(`pending: ${formatChange(c)}\n`);
      io.out(`${a.project}: ${pending.length ? `${pending.length} change(s) pending (run deploy)` : 'up to date with the manifests'}\n`);
    }
    return 0;
  },
};

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../../lib/targets/docker/engine-api';
import { LABELS } from '../../../lib/targets/docker/plan';
import { runCli } from './cli-manifests';
import { CaseHeader, CaseOutcome, CorpusRunner } from './types';

const IMAGE = 'dockyard-test/busybox:1';

/** True when DOCKER_HOST (or the default socket) points at an engine to deploy to. */
export function engineConfigured(): boolean {
  const h = process.env.DOCKER_HOST;
  if (!h) return fs.existsSync('/var/run/docker.sock');
  return h.startsWith('unix://') ? fs.existsSync(h.slice(7)) : true;
}

/**
 * Docker target cases: the case file is a manifest deployed with `dockyard deploy --docker` to the real
 * engine, under a project of its own (`{project}` in headers). `# args:` adds flags (`--wait`);
 * `# setup: volume|container <name>` first makes an unlabelled object of that name, removed afterwards;
 * `# where:` is the location the error must name. A refused deploy must leave nothing of the project.
 */
export const dockerEngineRunner: CorpusRunner = {
  extensions: ['.yaml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const engine = new Engine();
    const project = `corpus-${path.basename(file, '.yaml')}-${process.pid.toString(36)}`.slice(0, 60);
    const sub = (t: string) => t.replace(/\{project\}/g, project);
    const [kind, name] = sub(header.fields.setup ?? '').split(/\s+/);
    if (kind === 'volume') await engine.createVolume(name, {});
    if (kind === 'container') await engine.createContainer(name, { Image: IMAGE, Cmd: ['true'] } as any);
    try {
      const extra = (header.fields.args ?? '').split(/\s+/).filter(Boolean);
      const r = await runCli(['deploy', '--docker', '--project', project, '--publish-address', '127.0.0.1', '--proxy-image', IMAGE, '--no-pull', '--stop-timeout', '0', ...extra, path.relative(process.cwd(), file)]);
      const filter = { label: [`${LABELS.project}=${project}`] };
      const left = [...(await engine.listContainers(filter)).map((c) => `container ${c.name}`), ...(await engine.listNetworks(filter)).map((n) => `network ${n.name}`), ...(await engine.listVolumes(filter)).map((v) => `volume ${v.name}`)];
      // A case that the engine accepted (exit 0) or that a --wait check refused after deploying is cleaned here.
      if (left.length) await runCli(['destroy', '--docker', '--project', project, '--volumes', '--quiet', '--stop-timeout', '0']);
      return {
        refused: r.code === 1,
        text: `${r.err}${r.out}`.replace(new RegExp(project, 'g'), '{project}'),
        location: header.fields.where ?? '',
        partialOutput: left.length && !extra.includes('--wait') ? left.join(', ') : undefined,
      };
    } finally {
      if (kind === 'volume') await engine.removeVolume(name).catch(() => undefined);
      if (kind === 'container') await engine.removeContainer(name, { force: true }).catch(() => undefined);
    }
  },
};

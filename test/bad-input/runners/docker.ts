import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './cli-manifests';
import { CaseHeader, CaseOutcome, CorpusRunner, fileLine, markedLine } from './types';

/**
 * Docker-target cases: the case file is a manifest that `dockyard diff --docker` must refuse while
 * planning, before it reaches any engine. Each case runs in a fresh folder `{{dir}}` holding a fake
 * engine (`{{dir}}/engine/docker.sock`, passed as `--host unix://...`, so the engine is "on this
 * machine") and symlinks to it and to host folders, so the guards resolve real links:
 *
 *   engine-link -> {{dir}}/engine          sock-link -> {{dir}}/engine/docker.sock
 *   rel-engine -> engine (relative)        chain -> chain-2 -> rel-engine (a chain, relative hops)
 *   top-link -> {{dir}} (holds engine/)    run-link -> /run        etc-link -> /etc      root-link -> /
 *
 * Messages name the folder as `{{dir}}`. `# flags: --allow-docker-socket ...` adds flags. The refusal must come from planning
 * ("cannot plan the Docker deployment"): an unreachable engine would also exit 1.
 */
function makeHost(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-guard-')));
  fs.mkdirSync(path.join(dir, 'engine'));
  fs.writeFileSync(path.join(dir, 'engine', 'docker.sock'), '');
  const links: Record<string, string> = {
    'engine-link': path.join(dir, 'engine'), 'sock-link': path.join(dir, 'engine', 'docker.sock'), 'rel-engine': 'engine',
    'chain-2': 'rel-engine', chain: path.join(dir, 'chain-2'), 'top-link': dir, 'run-link': '/run', 'etc-link': '/etc', 'root-link': '/',
  };
  for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(dir, name));
  return dir;
}

const hosts: string[] = [];

export const dockerRunner: CorpusRunner = {
  extensions: ['.yaml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const dir = makeHost();
    hosts.push(dir);
    const manifest = path.join(dir, path.basename(file));
    fs.writeFileSync(manifest, fs.readFileSync(file, 'utf8').split('{{dir}}').join(dir));
    const flags = (header.fields.flags ?? '').split(' ').filter(Boolean);
    const r = await runCli(['diff', '--docker', '--project', 'corpus', '--host', `unix://${dir}/engine/docker.sock`, ...flags, manifest]);
    const line = markedLine(file, header);
    if (line === undefined) throw new Error(`${file}: mark the object's first line with "# line: N"`);
    // The folder differs per run: messages show it as {{dir}}, as the case writes it.
    const text = `${r.err}${r.out}`.split(dir).join('{{dir}}');
    return { refused: r.code === 1 && text.includes('cannot plan the Docker deployment'), text, location: fileLine(`{{dir}}/${path.basename(file)}`, line) };
  },
  async teardown() {
    for (const dir of hosts.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  },
};

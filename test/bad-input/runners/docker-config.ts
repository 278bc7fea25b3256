import * as path from 'node:path';
import { runCli } from './cli-manifests';
import { CaseHeader, CaseOutcome, CorpusRunner, fileLine, markedLine } from './types';

/**
 * Project config cases: the case file is a `dockyard.yaml`, given to `dockyard <command> --docker
 * --config <case>` (`# command:` picks it, default `diff`); `# <-` marks the line the error must name.
 * A bad config is refused before the engine is contacted, so no engine is needed.
 */
export const dockerConfigRunner: CorpusRunner = {
  extensions: ['.yaml', '.yml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const rel = path.relative(process.cwd(), file);
    const command = header.fields.command ?? 'diff';
    // A host nobody listens on: were the config accepted, the run would fail on the engine, not here.
    const r = await runCli([command, '--docker', '--config', rel, '--host', 'tcp://127.0.0.1:1', 'test/targets/docker/fixtures/web.yaml']);
    const line = markedLine(file, header);
    if (line === undefined) throw new Error(`${rel}: mark the line the error points at with "# <-" or "# line: N"`);
    return { refused: r.code === 1, text: `${r.err}${r.out}`, location: fileLine(rel, line) };
  },
};

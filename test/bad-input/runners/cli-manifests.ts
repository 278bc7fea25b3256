import * as path from 'node:path';
import { main } from '../../../lib/cli/main';
import { CliIo } from '../../../lib/cli/command';
import { CaseHeader, CaseOutcome, CorpusRunner, fileLine, markedLine } from './types';

/** Runs `dockyard <args>` in-process, as the bin does, capturing what the user would see. */
export async function runCli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = ''; let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => stdin, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

/**
 * Manifest cases: the case file is the manifest. `# command:` picks `validate` (default) or `lint`, with flags;
 * the line marked `# <-` (or `# line: N`) is where the error must point.
 */
export function manifestRunner(defaultCommand: 'validate' | 'lint'): CorpusRunner {
  return {
    extensions: ['.yaml', '.yml', '.json'],
    async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
      const rel = path.relative(process.cwd(), file);
      const command = header.fields.command ?? defaultCommand;
      // `# command: lint --pod-security restricted`: the command and its flags, then the case.
      const r = await runCli([...command.split(' ').filter(Boolean), rel]);
      const line = markedLine(file, header);
      if (line === undefined) throw new Error(`${rel}: mark the line the error points at with "# <-" or "# line: N"`);
      return {
        refused: r.code === 1,
        text: `${r.err}${r.out}`,
        location: fileLine(rel, line),
        // validate writes nothing to stdout on failure; lint's stdout is its report, not an artifact.
        partialOutput: command.startsWith('validate') && r.out !== '' ? `stdout: ${r.out.slice(0, 200)}` : undefined,
      };
    },
  };
}

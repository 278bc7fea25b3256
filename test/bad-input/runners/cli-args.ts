import * as fs from 'node:fs';
import { parse } from 'yaml';
import { runCli } from './cli-manifests';
import { CaseHeader, CaseOutcome, CorpusRunner } from './types';

/**
 * Command-line cases: the case file is YAML `{ args: [...], stdin?: "...", where: "..." }`, for
 * mistakes that are not in a manifest (missing files, bad flags, broken stdin).
 */
export const cliArgsRunner: CorpusRunner = {
  extensions: ['.yaml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const spec = parse(fs.readFileSync(file, 'utf8')) as { args: string[]; stdin?: string; where: string };
    const r = await runCli(spec.args, spec.stdin ?? '');
    return { refused: r.code === 1, text: `${r.err}${r.out}`, location: header.fields.where ?? spec.where, partialOutput: r.out && spec.args[0] === 'validate' ? r.out : undefined };
  },
};

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './cli-manifests';
import { CaseHeader, CaseOutcome, CorpusRunner, fileLine, markedLine } from './types';

/**
 * Compose cases: the case file is a compose file, run through `dockyard convert <case> -o <empty dir>`;
 * `# <-` marks the line the error must name, and the output folder must stay empty.
 */
export const composeRunner: CorpusRunner = {
  extensions: ['.yaml', '.yml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const rel = path.relative(process.cwd(), file);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-compose-'));
    // `# flags: --strict` runs the case with those flags (a case valid without them).
    const flags = /^# flags: (.+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1].split(/\s+/) ?? [];
    const r = await runCli(['convert', rel, '-o', outdir, ...flags]);
    const line = markedLine(file, header);
    if (line === undefined) throw new Error(`${rel}: mark the line the error points at with "# <-" or "# line: N"`);
    const left = fs.readdirSync(outdir);
    fs.rmSync(outdir, { recursive: true, force: true });
    return {
      refused: r.code === 1,
      text: `${r.err}${r.out}`,
      location: fileLine(rel, line),
      partialOutput: left.length ? `files written: ${left.join(', ')}` : undefined,
    };
  },
};

import * as fs from 'node:fs';

/**
 * The bad-input corpus: one folder per kind of input (`manifests/`, `policy/`, `cli/`, `props/`, and
 * later `compose/`, `webhook/`), one small file per case, and one runner per folder under `runners/`
 * that turns a case into what the user would see. `corpus.test.ts` checks the same promises for
 * every case: refused, no stack trace, the location, a fix, the expected words, no partial output.
 */

/** What a case file says about itself, from its leading `# key: value` comment lines. */
export interface CaseHeader {
  /** Fragments the user-visible text must contain (`# expect: ...`, one per line). */
  readonly expect: string[];
  /** Every other `# key: value` line (last one wins), e.g. `command`, `line`, `where`. */
  readonly fields: Record<string, string>;
}

/** What running one case produced. */
export interface CaseOutcome {
  /** True when the input was refused: a DockyardError, or the CLI exited 1. */
  readonly refused: boolean;
  /** Everything the user sees (error message, or the CLI's stderr and stdout). */
  readonly text: string;
  /** The location the text must name: `file:line` or a construct path. */
  readonly location: string | RegExp;
  /** Describes output written although the input was refused; undefined when none was. */
  readonly partialOutput?: string;
}

/** Runs the cases of one folder. */
export interface CorpusRunner {
  /** File name endings of case files in the folder (others, like `.expect` sidecars, are skipped). */
  readonly extensions: readonly string[];
  /** Runs one case file. */
  run(file: string, header: CaseHeader): Promise<CaseOutcome>;
  /** Releases what the runner started (a server), after the last case. */
  teardown?(): Promise<void>;
}

/**
 * Reads the header of a case: leading `# key: value` lines. JSON cases cannot hold comments, so
 * `<case>.expect` next to them holds the same lines.
 */
export function readHeader(file: string): CaseHeader {
  const sidecar = `${file}.expect`;
  const text = fs.existsSync(sidecar) ? fs.readFileSync(sidecar, 'utf8') : fs.readFileSync(file, 'utf8');
  const expect: string[] = [];
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^#\s*([a-z-]+):\s?(.*)$/.exec(line);
    if (!m) { if (line.startsWith('#')) continue; break; }
    if (m[1] === 'expect') expect.push(m[2].trim()); else fields[m[1]] = m[2].trim();
  }
  return { expect, fields };
}

/** The 1-based line marked with `# <-` in a case file, or the `# line:` header, or undefined. */
export function markedLine(file: string, header: CaseHeader): number | undefined {
  if (header.fields.line) return Number(header.fields.line);
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => /#\s*<-/.test(l));
  return i >= 0 ? i + 1 : undefined;
}

/** A regexp matching `file:line` but not `file:line0` (so line 1 does not match line 12). */
export function fileLine(file: string, line: number): RegExp {
  return new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}(?!\\d)`);
}

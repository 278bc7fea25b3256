/** The contract every `dockyard <command>` module fulfils (one file per command under commands/). */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Reads all of standard input (for the `-` argument). */
  stdin(): string;
  /** Environment variables. */
  env: NodeJS.ProcessEnv;
  /** Colour the output (a TTY without NO_COLOR, or FORCE_COLOR). @default false */
  color?: boolean;
}

/** A CLI command: parses its own arguments and returns an exit code. */
export interface CliCommand {
  /** One-line summary for `dockyard --help`. */
  readonly summary: string;
  /** Usage text shown by `dockyard <command> --help` and on a usage error. */
  readonly usage: string;
  /** More text for `--help` (what the command writes, environment variables). @default - none */
  readonly description?: string;
  /** Runs the command; throw `DockyardError` for user mistakes, return the exit code otherwise. */
  run(args: string[], io: CliIo): Promise<number>;
}

import { CliCommand, CliIo } from './command';
import { isUserError } from '../core/errors';
import { readStdinUtf8 } from '../core/manifests';
import { closestMatch } from '../core/naming';
import { dockyardManifest } from '../core/peers';
import { collectHelp, helpText } from './args';
import { colorWanted, paint } from './style';

/**
 * The `dockyard` command. Each subcommand lives in its own module under commands/ and is loaded
 * only when used, so `dockyard validate` never pays for dockerode or Pulumi.
 */
const COMMANDS: Record<string, string> = {
  validate: './commands/validate',
  lint: './commands/lint',
  convert: './commands/convert',
  deploy: './commands/deploy',
  diff: './commands/diff',
  destroy: './commands/destroy',
  status: './commands/status',
  webhook: './commands/webhook',
  graph: './commands/graph',
  init: './commands/init',
};

function loadCommand(name: string): CliCommand | undefined {
  const mod = COMMANDS[name];
  if (!mod) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(mod).command as CliCommand;
  } catch (e: any) {
    if (e?.code === 'MODULE_NOT_FOUND' && String(e.message).includes(mod.slice(2))) return undefined;
    throw e;
  }
}

/** Default I/O bound to the process. */
export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  stdin: () => readStdinUtf8(), // invalid UTF-8 is an error naming -:line, not U+FFFD
  env: process.env,
  color: colorWanted(process.stdout.isTTY && process.stderr.isTTY, process.env),
};

function help(): string {
  const lines = ['usage: dockyard <command> [options]', '', 'commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const c = loadCommand(name);
    if (c) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  }
  lines.push('', 'Run `dockyard <command> --help` for the options of one command.');
  return lines.join('\n') + '\n';
}

/** `dockyard <name> --help`: the usage and the table of flags the command parses (read from its parseFlags call). */
export async function commandHelp(name: string, cmd: CliCommand, io: CliIo): Promise<string> {
  const req = await collectHelp(() => cmd.run([], { ...io, out: () => undefined, err: () => undefined }));
  return helpText(name, cmd.summary, req?.usage ?? cmd.usage, req?.flags, cmd.description);
}

/** The names of every command (for help, completion and tests). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/** Loads one command module by name (undefined for an unknown name). */
export function commandByName(name: string): CliCommand | undefined {
  return loadCommand(name);
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] && loadCommand(rest[0])) { io.out(await commandHelp(rest[0], loadCommand(rest[0])!, io)); return 0; }
  if (!name || name === '--help' || name === '-h' || name === 'help') { io.out(help()); return name ? 0 : 2; }
  if (name === '--version') { io.out(`${dockyardManifest().version}\n`); return 0; }
  const cmd = loadCommand(name);
  if (!cmd) {
    const hint = closestMatch(name, Object.keys(COMMANDS));
    io.err(`dockyard: unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ''}\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) { io.out(await commandHelp(name, cmd, io)); return 0; }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (isUserError(e)) { io.err(`${paint(io.color, 'red', `dockyard ${name}:`)} ${(e as Error).message}\n`); return 1; }
    io.err(`dockyard ${name}: internal error (please report it): ${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
  }
}

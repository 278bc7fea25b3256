import { CliCommand, CliIo } from './command';
import { isUserError } from '../core/errors';
import { readStdinUtf8 } from '../core/manifests';

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

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { io.out(help()); return name ? 0 : 2; }
  if (name === '--version') { io.out(`${require('../../../package.json').version}\n`); return 0; }
  const cmd = loadCommand(name);
  if (!cmd) { io.err(`dockyard: unknown command "${name}"\n\n${help()}`); return 2; }
  if (rest.includes('--help') || rest.includes('-h')) { io.out(`usage: ${cmd.usage}\n`); return 0; }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (isUserError(e)) { io.err(`dockyard ${name}: ${(e as Error).message}\n`); return 1; }
    io.err(`dockyard ${name}: internal error (please report it): ${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
  }
}

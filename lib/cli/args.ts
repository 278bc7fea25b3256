import { parseArgs, ParseArgsConfig } from 'node:util';
import { DockyardError } from '../core/errors';
import { closestMatch } from '../core/naming';

type ParseOption = NonNullable<ParseArgsConfig['options']>[string];

/**
 * One flag of a command: node:util's option config plus what `--help` shows. Each command passes its
 * table to `parseFlags`, and `dockyard <command> --help` prints that same table, so a flag added to a
 * command is listed in its help without another edit.
 */
export type FlagSpec = ParseOption & {
  /** One line saying what the flag does. @default - the line in FLAG_HELP for its name */
  readonly help?: string;
  /** The default as shown in --help (parseArgs' own `default`, if set, is shown otherwise). @default - "off" for booleans, "none" for values */
  readonly defaultText?: string;
  /** Placeholder for the value in --help (`FILE`, `N`). @default "VALUE" */
  readonly valueName?: string;
};

/** The flags of a command by long name. */
export type FlagTable = Record<string, FlagSpec>;

/**
 * Help lines for flags defined without `help` (the shared Docker flags live with the Docker target):
 * by `command flag` or flag name, `[help, default, valueName]`.
 */
export const FLAG_HELP: Record<string, readonly [string, string?, string?]> = {
  json: ['print a JSON document instead of text'],
  verbose: ['print every finding (repeated warnings are summarized otherwise)'],
  crd: ['a CustomResourceDefinition file to validate custom resources against', 'cdk8s.yaml `crds:` and local `imports:`', 'FILE'],
  docker: ['deploy to a Docker host (the only target these commands have today)'],
  host: ['Docker engine URL (unix://, tcp://, ssh://)', '$DOCKER_HOST, else the local socket', 'URL'],
  project: ['project name: prefixes names and scopes the ownership labels', '$DOCKYARD_PROJECT, else the folder name', 'NAME'],
  'publish-address': ['host address published ports bind to', '0.0.0.0', 'ADDR'],
  'skip-unsupported': ['skip objects Docker cannot run instead of failing'],
  'allow-docker-socket': ['allow mounting the Docker socket (gives the container the whole host)'],
  'allow-privileged': ['allow privileged containers and added capabilities'],
  'proxy-image': ['image of the relay that spreads a Service over its replicas', '$DOCKYARD_PROXY_IMAGE, else the built-in one', 'IMAGE'],
  'allow-host-paths': ['allow hostPath volumes that write to the host'],
  'max-replicas': ['the most containers one workload may start', 'the target default', 'N'],
  config: ['the project\'s target settings file', 'the settings file in the current folder, if any', 'FILE'],
  'service-type': ['type of the Services made for published ports', 'from the compose ports', 'TYPE'],
  profile: ['compose profile to enable', 'services without a profile only', 'NAME'],
  wait: ['wait until the containers run (and are healthy when they have a check)'],
  'wait-timeout': ['seconds --wait waits before failing', 'the target default', 'SECONDS'],
  'stop-timeout': ['seconds a container gets to stop before it is killed', 'the pod grace period', 'SECONDS'],
  'no-pull': ['never pull images (use what the engine has)'],
  quiet: ['print nothing but errors'],
  volumes: ['also remove the named volumes (kept otherwise)'],
  output: ['output folder', 'dist', 'DIR'],
  format: ['what to write: yaml (manifests) or ts (TypeScript constructs)', 'yaml', 'FORMAT'],
  controller: ['workload kind: deployment, replicationcontroller, daemonset or pod', "each service's deploy.mode", 'KIND'],
  namespace: ['namespace of every object', 'none, the default namespace', 'NS'],
  strict: ['fail on any compose key that does not translate exactly (warnings otherwise)'],
  'convert project': ['compose project name: prefixes the object names', 'the compose name: key, else the folder name', 'NAME'],
  'bind-mounts': ['bind mounts as hostpath volumes, as configmap (file contents), or auto: files and small folders as ConfigMaps, data folders as claims, absolute paths as hostPath', 'auto', 'MODE'],
};

/** Thrown by parseFlags while main collects a command's flag table for `--help`. */
export class HelpRequest extends Error {
  constructor(public readonly flags: FlagTable, public readonly usage: string) {
    super('help requested');
  }
}

let collectingHelp = false;

/** Runs `fn` with parseFlags answering by throwing a HelpRequest (how main reads a command's flags). */
export async function collectHelp(fn: () => Promise<unknown>): Promise<HelpRequest | undefined> {
  collectingHelp = true;
  try {
    await fn();
    return undefined;
  } catch (e) {
    if (e instanceof HelpRequest) return e;
    return undefined;
  } finally {
    collectingHelp = false;
  }
}

function toParseOptions(flags: FlagTable): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(flags)) {
    const { help: _h, defaultText: _d, valueName: _v, ...option } = spec;
    out[name] = option as ParseOption;
  }
  return out;
}

/** Parses flags with node:util, turning its errors into a `DockyardError` that shows the usage (and a did-you-mean). */
export function parseFlags<T extends FlagTable>(
  args: string[], options: T, usage: string,
): { values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K] extends { multiple: true } ? string[] : string }; positionals: string[] } {
  if (collectingHelp) throw new HelpRequest(options, usage);
  try {
    const parsed = parseArgs({ args, options: toParseOptions(options), allowPositionals: true, strict: true });
    return parsed as any;
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify.*$/s, '');
    const unknown = /^Unknown option '(-{1,2})([^'=]+)'/.exec(message);
    const hint = unknown ? closestMatch(unknown[2], Object.keys(options)) : undefined;
    throw new DockyardError({ where: 'arguments', message: hint ? `${message}; did you mean --${hint}?` : message, fix: `usage: ${usage} (dockyard <command> --help lists every flag)` });
  }
}

/** One `--help` row per flag: `--name VALUE, -n   what it does (default: x)`, in the table's order. */
export function flagRows(flags: FlagTable, command = ''): string[] {
  const rows = Object.entries(flags).map(([name, spec]) => {
    const fallback = FLAG_HELP[`${command} ${name}`] ?? FLAG_HELP[name];
    const value = spec.type === 'string' ? ` ${spec.valueName ?? fallback?.[2] ?? 'VALUE'}` : '';
    const left = `--${name}${value}${spec.short ? `, -${spec.short}` : ''}${spec.multiple ? ' (repeatable)' : ''}`;
    const real = (spec as { default?: unknown }).default;
    const def = spec.defaultText ?? (real !== undefined ? String(real) : fallback?.[1]) ?? (spec.type === 'boolean' ? 'off' : 'none');
    return [left, `${spec.help ?? fallback?.[0] ?? '(no description)'} (default: ${def})`] as const;
  });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`);
}

/** The whole `dockyard <command> --help` text. */
export function helpText(name: string, summary: string, usage: string, flags: FlagTable | undefined, description?: string): string {
  const lines = [`usage: ${usage}`, '', summary];
  if (description) lines.push('', description);
  lines.push('', 'options:');
  lines.push(...flagRows({ ...flags, help: { type: 'boolean', short: 'h', help: 'show this help' } }, name));
  return `${lines.join('\n')}\n`;
}

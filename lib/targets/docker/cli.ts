/**
 * What `dockyard deploy|diff|destroy|status --docker` share: flags, loading + validating + planning,
 * and output (progress lines, --quiet, --json). The command modules stay thin wrappers over this.
 */
import * as path from 'node:path';
import { DockyardError, formatProblem, Problem } from '../../core/errors';
import { formatFieldPath } from '../../core/field-path';
import { loadValidatedManifests } from '../../core/manifest-cache';
import { hostPathsOf } from '../../ir/pod-spec';
import { engineHostFacts, engineOnThisMachine } from '../../policy/local-host';
import { toDnsLabel } from '../../core/naming';
import { Change, computeChanges, formatChange } from './changes';
import { CONFIG_FILE_NAMES, DOCKER_SETTINGS, loadProjectConfig, ProjectConfig, ResolvedSetting, resolveSettings } from './config';
import { DockerPlan } from './plan';
import { planDocker } from './planner';
import { progressMode, ProgressRenderer } from './progress';

/** Flags every Docker command takes. */
export const DOCKER_FLAGS = {
  docker: { type: 'boolean' },
  host: { type: 'string' },
  project: { type: 'string' },
  'publish-address': { type: 'string' },
  'skip-unsupported': { type: 'boolean' },
  'allow-docker-socket': { type: 'boolean' },
  'allow-privileged': { type: 'boolean' },
  'allow-host-paths': { type: 'boolean' },
  'max-replicas': { type: 'string' },
  'proxy-image': { type: 'string' },
  wait: { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  'stop-timeout': { type: 'string' },
  'no-pull': { type: 'boolean' },
  volumes: { type: 'boolean' },
  config: { type: 'string' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const COMMON_USAGE = '--docker [--config FILE] [--host URL] [--project NAME] [--publish-address ADDR] [--skip-unsupported] [--allow-docker-socket] [--allow-privileged] [--allow-host-paths] [--max-replicas N] [--proxy-image IMAGE] [--quiet|--json]';

/** What the CLI hands in (the shape of lib/cli's CliIo; this layer does not import the CLI above it). */
export interface DockerIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Reads all of standard input. */
  stdin(): string;
  /** Environment variables. */
  readonly env: NodeJS.ProcessEnv;
  /** Whether standard output is a terminal. @default process.stdout.isTTY */
  readonly isTTY?: boolean;
}

/** The command line split by the CLI's flag parser (`parseFlags(args, DOCKER_FLAGS, usage)`). */
export interface ParsedDockerFlags {
  /** Flag values. */
  readonly values: { readonly [K in keyof typeof DOCKER_FLAGS]?: (typeof DOCKER_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };
  /** Everything else: the manifests. */
  readonly positionals: string[];
}

/** Parsed Docker command line. */
export interface DockerArgs {
  /** Engine URL (undefined: DOCKER_HOST or the default socket). */
  readonly host?: string;
  /** Project name. */
  readonly project: string;
  /** Manifest inputs. */
  readonly inputs: string[];
  /** Raw flag values (only what was typed; `settings` merges in the environment and the config file). */
  readonly values: Record<string, string | boolean | undefined>;
  /** Every target setting with its source: flag > environment > config file > default. */
  readonly settings: Record<string, ResolvedSetting>;
  /** The project config file that was read, if any. */
  readonly config?: ProjectConfig;
}

/** Parses and checks the flags; the target flag is required so later targets can join. */
export function parseDockerArgs(command: string, parsed: ParsedDockerFlags, usage: string, io: DockerIo): DockerArgs {
  const { values, positionals } = parsed;
  if (!values.docker) throw new DockyardError({ where: 'arguments', message: `dockyard ${command} needs a target`, fix: `add --docker (usage: ${usage})` });
  for (const k of ['wait-timeout', 'stop-timeout', 'max-replicas'] as const) {
    if (values[k] !== undefined && !/^\d+$/.test(values[k]!)) throw new DockyardError({ where: `--${k}`, message: `"${values[k]}" is not ${k === 'max-replicas' ? 'a whole number' : 'a number of seconds'}`, fix: `e.g. --${k} 30` });
  }
  const cwd = process.cwd();
  const config = loadProjectConfig(cwd, values.config);
  const flags = values as Record<string, string | boolean | undefined>;
  const settings = resolveSettings(flags, io.env, config);
  // Without a project name anywhere, the project folder names it (the config file's folder, so any
  // subfolder deploys the same project).
  const project = (settings.project.value as string | undefined) ?? toDnsLabel(path.basename(config?.dir ?? cwd));
  // Manifests from the file are absolute; messages name them as the user would type them from here.
  const shorter = (p: string) => { const r = path.relative(cwd, p) || '.'; return p !== '-' && r.length < p.length ? r : p; };
  const inputs = positionals.length ? positionals : ((settings.manifests.value as readonly string[] | undefined) ?? []).map(shorter);
  return { host: settings.host.value as string | undefined, project, inputs, values: flags, settings, config };
}

/** A setting's value with its type (undefined when not set anywhere). */
export function setting<T extends string | boolean | number>(a: Pick<DockerArgs, 'settings'>, key: string): T | undefined {
  return a.settings[key]?.value as T | undefined;
}

/**
 * The engine module and a connection that answered a ping (an unreachable engine is a user error naming
 * the host). The module loads only here, so flag and planning errors never pay for it.
 */
export async function openEngine(a: DockerArgs): Promise<{ engine: import('./engine').Engine; api: typeof import('./engine') }> {
  const api = await import('./engine');
  const engine = new api.Engine(a.host);
  await api.ping(engine);
  return { engine, api };
}

/**
 * The engine's data root (`/info` DockerRootDir), asked only when the engine is on this machine and a
 * manifest has a host path; undefined when the engine does not answer (the ping that follows says so).
 */
async function engineDataRoot(a: DockerArgs, objects: readonly { object: import('../../core/manifests').KubeObject }[]): Promise<string | undefined> {
  if (!engineOnThisMachine(a.host) || !objects.some((l) => hostPathsOf(l.object).length > 0)) return undefined;
  const { Engine } = await import('./engine');
  try { return (await new Engine(a.host).get<{ DockerRootDir?: string }>('/info')).DockerRootDir; } catch { return undefined; }
}

/** Loads manifests, validates them strictly and plans; every problem in one error. */
export async function loadAndPlan(a: DockerArgs, io: DockerIo): Promise<DockerPlan> {
  return (await loadPlanned(a, io)).plan;
}

/** `loadAndPlan`, also handing back the validated objects (diff reads their Secrets to hide their values). */
export async function loadPlanned(a: DockerArgs, io: DockerIo): Promise<{ plan: DockerPlan; objects: ReadonlyArray<Record<string, any>> }> {
  if (a.inputs.length === 0) throw new DockyardError({ where: 'arguments', message: 'no manifests given', fix: `pass files or folders (e.g. dist/), or set "manifests: [dist/]" under "docker:" in ${CONFIG_FILE_NAMES[0]}` });
  // Inputs identical to a run that validated them are read back without parsing or validating again.
  const loaded = loadValidatedManifests(a.inputs, (objects) => {
    // The gate loads only when the inputs are new (a cached re-deploy skips it). Its policy step is the
    // planner's: it runs the guard rules with the host's facts and the --allow-* flags.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { gateObjects } = require('../../pipeline/gate') as typeof import('../../pipeline/gate');
    const issues = gateObjects(objects.map((l) => l.object), { policy: false }).schema.filter((i) => i.severity !== 'warning');
    if (issues.length) {
      throw new DockyardError(issues.map((i) => ({ where: `${objects[i.index].file}:${objects[i.index].line} ${i.object}`, message: `${formatFieldPath(i.fieldPath)}: ${i.message}`, fix: 'fix the field (dockyard validate shows every problem)' })), `invalid manifests, nothing was deployed (${issues.length} problem(s)):`);
    }
  }, { stdin: io.stdin });
  const hostFacts = engineHostFacts(a.host, await engineDataRoot(a, loaded));
  const maxReplicas = setting<number>(a, 'maxReplicas');
  let plan: DockerPlan;
  try {
    plan = planDocker(loaded, {
      project: a.project,
      publishAddress: setting<string>(a, 'publishAddress'),
      skipUnsupported: setting<boolean>(a, 'skipUnsupported') === true,
      allowDockerSocket: setting<boolean>(a, 'allowDockerSocket') === true,
      allowPrivileged: setting<boolean>(a, 'allowPrivileged') === true,
      allowHostPaths: setting<boolean>(a, 'allowHostPaths') === true,
      hostFacts,
      ...(maxReplicas !== undefined ? { maxReplicas } : {}),
      dockerHostSocket: a.host?.startsWith('unix://') ? a.host.slice('unix://'.length) : undefined,
      proxyImage: setting<string>(a, 'proxyImage'),
    });
  } catch (e) {
    if (!(e instanceof DockyardError)) throw e;
    // Keep the planner's heading ("cannot plan the Docker deployment, ..."): a message that is one
    // formatted problem starts with its "[where]".
    const first = e.message.split('\n')[0];
    throw new DockyardError(e.problems.map((p) => inUserTerms(p, a.settings)), first.startsWith('[') ? undefined : first);
  }
  return { plan: { ...plan, warnings: plan.warnings.map((p) => inUserTerms(p, a.settings)) }, objects: loaded.map((l) => l.object) };
}

/** Planner option -> config key (the planner names options; users type flags or config keys). */
const OPTION_KEYS: Record<string, string> = {
  project: 'project', publishAddress: 'publishAddress', skipUnsupported: 'skipUnsupported', allowDockerSocket: 'allowDockerSocket',
  allowPrivileged: 'allowPrivileged', allowHostPaths: 'allowHostPaths', maxReplicas: 'maxReplicas', proxyImage: 'proxyImage', dockerHostSocket: 'host',
};

/**
 * A planner problem in the user's terms: option names become flags; a problem about a setting that
 * the config file (or an environment variable) set points there instead of at the flag; a fix that
 * says to pass an opt-in flag also names its config key. Pure.
 */
export function inUserTerms(p: Problem, settings: Readonly<Record<string, ResolvedSetting>>): Problem {
  const flagOf = (key: string) => DOCKER_SETTINGS.find((s) => s.key === key)?.flag;
  const toFlags = (text: string) => text
    .replace(/\boptions?\.(\w+)\b/g, (m, k: string) => (OPTION_KEYS[k] ? `--${flagOf(OPTION_KEYS[k])}` : m))
    .replace(/(?<![\w-])(publishAddress|skipUnsupported|allowDockerSocket|allowPrivileged|allowHostPaths|maxReplicas|proxyImage|dockerHostSocket)\b/g, (_m, k: string) => `--${flagOf(OPTION_KEYS[k])}`);
  let where = toFlags(p.where);
  if (OPTION_KEYS[where]) where = `--${flagOf(OPTION_KEYS[where])}`;
  // A value that came from the file or the environment: point there.
  const key = DOCKER_SETTINGS.find((s) => s.flag && where === `--${s.flag}`)?.key;
  const from = key ? settings[key] : undefined;
  if (from && (from.source === 'file' || from.source === 'env') && from.origin) where = from.origin;
  let fix = p.fix === undefined ? undefined : toFlags(p.fix);
  if (fix) {
    // Opt-in flags can live in the config file: say so once per flag.
    for (const s of DOCKER_SETTINGS.filter((x) => x.kind === 'boolean' && x.key !== 'pull' && x.key !== 'wait')) {
      if (new RegExp(`--${s.flag}(?![\\w-])`).test(fix) && !fix.includes(`${s.key}: true`)) fix = fix.replace(new RegExp(`--${s.flag}(?![\\w-])`), `--${s.flag} (or "${s.key}: true" in ${CONFIG_FILE_NAMES[0]})`);
    }
  }
  return { where, message: toFlags(p.message), ...(fix !== undefined ? { fix } : {}) };
}

/** Prints plan warnings to stderr (unless --json, where they go in the document). */
export function printWarnings(plan: DockerPlan, a: DockerArgs, io: DockerIo): void {
  if (a.values.json || a.values.quiet) return;
  for (const w of plan.warnings) io.err(`warning: ${formatProblem(w)}\n`);
}

/** A change as JSON (without the container plans, which `diff --json` would otherwise repeat in full). */
export function changeJson(c: Change): Record<string, unknown> {
  const containers = c.containers ? { containers: c.containers.map((x) => x.name) } : {};
  return { action: c.action, kind: c.kind, name: c.name, object: c.object, ...(c.reason ? { reason: c.reason } : {}), ...containers };
}

export { computeChanges, formatChange };

/**
 * The progress renderer for deploy/destroy: a live view on a terminal, plain timestamped lines
 * otherwise, JSON event lines with --json (on stderr: stdout stays the one result document).
 */
export function progressFor(a: DockerArgs, io: DockerIo): ProgressRenderer {
  const isTTY = io.isTTY ?? process.stdout.isTTY === true;
  const mode = progressMode({ json: a.values.json === true, quiet: a.values.quiet === true, isTTY, env: io.env });
  const write = mode === 'json' ? (t: string) => io.err(t) : (t: string) => io.out(t);
  return new ProgressRenderer({ mode, sink: { write, columns: process.stdout.columns, rows: process.stdout.rows } });
}

/**
 * The relay image preflight before any change: `diff` warns, `deploy` (which pulls unless told not
 * to) refuses. Kept here, outside the reconciler, so the CLI checks before calling deploy.
 */
export async function relayImagePreflight(
  engine: import('./engine').Engine, plan: DockerPlan, a: DockerArgs, io: DockerIo, mode: 'diff' | 'deploy',
): Promise<void> {
  const { checkRelayImage } = await import('./relay-image');
  const pull = mode === 'deploy' && a.settings.pull?.value !== false;
  const problem = await checkRelayImage(engine, plan, a.settings, { pull, onPull: (image) => { if (!a.values.quiet && !a.values.json) io.out(`pull    image     ${image} (relay)\n`); } });
  if (!problem) return;
  if (mode === 'deploy') throw new DockyardError(problem, 'nothing was changed:');
  if (!a.values.quiet && !a.values.json) io.err(`warning: ${formatProblem({ ...problem, message: `${problem.message}; deploy would ${a.settings.pull?.value === false ? 'fail' : 'try to pull it'}` })}\n`);
  (plan.warnings as Problem[]).push(problem);
}

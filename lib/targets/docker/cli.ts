/**
 * What `dockyard deploy|diff|destroy|status --docker` share: flags, loading + validating + planning,
 * and output (progress lines, --quiet, --json). The command modules stay thin wrappers over this.
 */
import * as path from 'node:path';
import type { CliIo } from '../../cli/command';
import { parseFlags } from '../../cli/args';
import { DockyardError, formatProblem } from '../../core/errors';
import { loadValidatedManifests } from '../../core/manifest-cache';
import { toDnsLabel } from '../../core/naming';
import { Change, computeChanges, formatChange } from './changes';
import { DockerPlan } from './plan';
import { planDocker } from './planner';

/** Flags every Docker command takes. */
export const DOCKER_FLAGS = {
  docker: { type: 'boolean' },
  host: { type: 'string' },
  project: { type: 'string' },
  'publish-address': { type: 'string' },
  'skip-unsupported': { type: 'boolean' },
  'allow-docker-socket': { type: 'boolean' },
  'allow-privileged': { type: 'boolean' },
  'proxy-image': { type: 'string' },
  wait: { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  'stop-timeout': { type: 'string' },
  'no-pull': { type: 'boolean' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const COMMON_USAGE = '--docker [--host URL] [--project NAME] [--publish-address ADDR] [--skip-unsupported] [--allow-docker-socket] [--allow-privileged] [--proxy-image IMAGE] [--quiet|--json]';

/** Parsed Docker command line. */
export interface DockerArgs {
  /** Engine URL (undefined: DOCKER_HOST or the default socket). */
  readonly host?: string;
  /** Project name. */
  readonly project: string;
  /** Manifest inputs. */
  readonly inputs: string[];
  /** Raw flag values. */
  readonly values: Record<string, string | boolean | undefined>;
}

/** Parses and checks the flags; the target flag is required so later targets can join. */
export function parseDockerArgs(command: string, args: string[], usage: string, io: CliIo): DockerArgs {
  const { values, positionals } = parseFlags(args, DOCKER_FLAGS, usage);
  if (!values.docker) throw new DockyardError({ where: 'arguments', message: `dockyard ${command} needs a target`, fix: `add --docker (usage: ${usage})` });
  const project = values.project ?? io.env.DOCKYARD_PROJECT ?? toDnsLabel(path.basename(process.cwd()));
  for (const k of ['wait-timeout', 'stop-timeout'] as const) {
    if (values[k] !== undefined && !/^\d+$/.test(values[k]!)) throw new DockyardError({ where: `--${k}`, message: `"${values[k]}" is not a number of seconds`, fix: `e.g. --${k} 30` });
  }
  return { host: values.host ?? io.env.DOCKER_HOST, project, inputs: positionals, values: values as Record<string, string | boolean | undefined> };
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

/** Loads manifests, validates them strictly and plans; every problem in one error. */
export function loadAndPlan(a: DockerArgs, io: CliIo): DockerPlan {
  // Inputs identical to a run that validated them are read back without parsing or validating again.
  const loaded = loadValidatedManifests(a.inputs, (objects) => {
    // The schema module loads only when the inputs are new (a cached re-deploy skips ~30 ms of it).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { validateObjects } = require('../../core/schema') as typeof import('../../core/schema');
    const issues = validateObjects(objects.map((l) => l.object)).filter((i) => i.severity !== 'warning');
    if (issues.length) {
      throw new DockyardError(issues.map((i) => ({ where: `${objects[i.index].file}:${objects[i.index].line} ${i.object}`, message: `${i.path}: ${i.message}`, fix: 'fix the field (dockyard validate shows every problem)' })), `invalid manifests, nothing was deployed (${issues.length} problem(s)):`);
    }
  }, { stdin: io.stdin });
  return planDocker(loaded, {
    project: a.project,
    publishAddress: a.values['publish-address'] as string | undefined,
    skipUnsupported: a.values['skip-unsupported'] === true,
    allowDockerSocket: a.values['allow-docker-socket'] === true,
    allowPrivileged: a.values['allow-privileged'] === true,
    dockerHostSocket: a.host?.startsWith('unix://') ? a.host.slice('unix://'.length) : undefined,
    proxyImage: (a.values['proxy-image'] as string | undefined) ?? io.env.DOCKYARD_PROXY_IMAGE,
  });
}

/** Prints plan warnings to stderr (unless --json, where they go in the document). */
export function printWarnings(plan: DockerPlan, a: DockerArgs, io: CliIo): void {
  if (a.values.json || a.values.quiet) return;
  for (const w of plan.warnings) io.err(`warning: ${formatProblem(w)}\n`);
}

/** A change as JSON (without the container plans, which `diff --json` would otherwise repeat in full). */
export function changeJson(c: Change): Record<string, unknown> {
  return { action: c.action, kind: c.kind, name: c.name, object: c.object, ...(c.reason ? { reason: c.reason } : {}), ...(c.containers ? { containers: c.containers.map((x) => x.name) } : {}) };
}

export { computeChanges, formatChange };

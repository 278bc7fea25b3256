/**
 * Stack config of the Pulumi program, read and checked in one place. Pure: it takes a lookup of
 * full config keys (`dockyard:target`), so tests pass a plain object and the program passes Pulumi's.
 */
import { DockyardError, Problem } from '../../core/errors';
import { toDnsLabel } from '../../core/naming';
import { GkeClusterArgs } from './gke-cluster';
import { SecretValues } from './external-secrets';

/** Where the program deploys. */
export type ProgramTarget = 'gke' | 'kind' | 'kubeconfig' | 'docker';
const TARGETS: readonly ProgramTarget[] = ['gke', 'kind', 'kubeconfig', 'docker'];

/** What the stack config asks for. */
export interface ProgramSettings {
  /** `dockyard:target`. */
  readonly target: ProgramTarget;
  /** `dockyard:apps`: app names the program was given, or module paths. @default - the program's default (['./main.ts'] for the shipped entry) */
  readonly apps: string[];
  /** `kubernetes:kubeconfig`: contents or path. @default - `$KUBECONFIG` or `~/.kube/config` */
  readonly kubeconfig?: string;
  /** `kubernetes:context`. @default - 'kind-kind' on kind, the current context otherwise */
  readonly context?: string;
  /** `dockyard:cluster` (GKE only): create the cluster; `location` defaults to `gcp:zone`, then `gcp:region`. @default - no cluster is created */
  readonly cluster?: GkeClusterArgs;
  /** `docker:host`. @default - `DOCKER_HOST`, else the local socket */
  readonly dockerHost?: string;
  /** `dockyard:project` (Docker): ownership scope and name prefix. @default - the stack name as a DNS label */
  readonly project: string;
  /** `dockyard:publishAddress` (Docker): host address for published ports. @default - the planner's ('0.0.0.0') */
  readonly publishAddress?: string;
  /** `dockyard:skipUnsupported` (Docker): skip what Docker cannot run instead of failing. @default false */
  readonly skipUnsupported: boolean;
  /** `dockyard:secrets` (secret): values of Secrets the apps only reference, by name then key. @default {} */
  readonly secrets: SecretValues;
}

/** Looks up a full config key (`namespace:key`); undefined when unset. */
export type ConfigLookup = (fullKey: string) => string | undefined;

const set = (k: string, v: string) => `pulumi config set ${k} ${v}`;

/** Parses a JSON config value (Pulumi stores `--path` objects as JSON). */
function json(lookup: ConfigLookup, key: string, problems: Problem[]): unknown {
  const raw = lookup(key);
  if (raw === undefined) return undefined;
  try { return JSON.parse(raw); } catch {
    problems.push({ where: key, message: `is not a JSON object or list: ${raw.slice(0, 60)}`, fix: `set its fields with --path, e.g. pulumi config set --path '${key}.location' europe-west1-b` });
    return undefined;
  }
}

/** Reads and checks the program's config; every mistake is reported at once, each with the command that fixes it. */
export function readSettings(lookup: ConfigLookup, stack: string, defaultApps: readonly string[] = ['./main.ts']): ProgramSettings {
  const problems: Problem[] = [];
  const target = lookup('dockyard:target');
  if (!target || !TARGETS.includes(target as ProgramTarget)) {
    problems.push({ where: 'dockyard:target', message: target ? `"${target}" is not one of ${TARGETS.join(', ')}` : 'is not set', fix: set('dockyard:target', 'kind') + ' (or gke, kubeconfig, docker)' });
  }

  const appsRaw = lookup('dockyard:apps');
  let apps = [...defaultApps];
  if (appsRaw !== undefined) {
    const parsed = appsRaw.trim().startsWith('[') ? json(lookup, 'dockyard:apps', problems) : appsRaw.split(',');
    apps = Array.isArray(parsed) ? parsed.map((a) => String(a).trim()).filter(Boolean) : [];
    if (apps.length === 0 && Array.isArray(parsed)) problems.push({ where: 'dockyard:apps', message: 'names no app', fix: set('dockyard:apps', './main.ts') + ' (a path to your cdk8s app module, or app names the program knows)' });
  }

  let cluster: GkeClusterArgs | undefined;
  const c = json(lookup, 'dockyard:cluster', problems) as Record<string, unknown> | undefined;
  if (c !== undefined) {
    if (target !== 'gke') problems.push({ where: 'dockyard:cluster', message: `creates a GKE cluster, but the target is ${target ?? 'not set'}`, fix: `${set('dockyard:target', 'gke')}, or pulumi config rm dockyard:cluster` });
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      problems.push({ where: 'dockyard:cluster', message: 'is not an object', fix: "pulumi config set --path 'dockyard:cluster.location' europe-west1-b" });
    } else {
      const location = (c.location as string | undefined) ?? lookup('gcp:zone') ?? lookup('gcp:region');
      if (!location) problems.push({ where: 'dockyard:cluster.location', message: 'is not set, and neither is gcp:zone or gcp:region', fix: "pulumi config set gcp:zone europe-west1-b (or --path 'dockyard:cluster.location')" });
      const nodeCount = c.nodeCount === undefined ? undefined : Number(c.nodeCount);
      if (nodeCount !== undefined && !(Number.isInteger(nodeCount) && nodeCount > 0)) problems.push({ where: 'dockyard:cluster.nodeCount', message: `"${String(c.nodeCount)}" is not a positive whole number`, fix: "pulumi config set --path 'dockyard:cluster.nodeCount' 3" });
      const known = ['location', 'clusterName', 'project', 'nodeCount', 'machineType', 'minMasterVersion', 'deletionProtection'];
      for (const k of Object.keys(c)) if (!known.includes(k)) problems.push({ where: `dockyard:cluster.${k}`, message: 'is not a cluster setting', fix: `use one of ${known.join(', ')}` });
      cluster = {
        location: location ?? '',
        ...(c.clusterName ? { clusterName: String(c.clusterName) } : {}),
        ...(c.project ?? lookup('gcp:project') ? { project: String(c.project ?? lookup('gcp:project')) } : {}),
        ...(nodeCount ? { nodeCount } : {}),
        ...(c.machineType ? { machineType: String(c.machineType) } : {}),
        ...(c.minMasterVersion ? { minMasterVersion: String(c.minMasterVersion) } : {}),
        ...(c.deletionProtection !== undefined ? { deletionProtection: c.deletionProtection === true || c.deletionProtection === 'true' } : {}),
      };
    }
  }

  const secrets = (json(lookup, 'dockyard:secrets', problems) ?? {}) as Record<string, unknown>;
  const secretValues: Record<string, Record<string, string>> = {};
  for (const [name, keys] of Object.entries(secrets)) {
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
      problems.push({ where: `dockyard:secrets.${name}`, message: 'is not a map of keys to values', fix: `pulumi config set --secret --path 'dockyard:secrets.${name}.KEY' <value>` });
      continue;
    }
    secretValues[name] = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, String(v)]));
  }

  const project = lookup('dockyard:project') ?? toDnsLabel(stack);
  if (problems.length) throw new DockyardError(problems, `The stack config has ${problems.length} problem${problems.length > 1 ? 's' : ''}:`);
  return {
    target: target as ProgramTarget,
    apps,
    kubeconfig: lookup('kubernetes:kubeconfig'),
    context: lookup('kubernetes:context'),
    cluster,
    dockerHost: lookup('docker:host'),
    project,
    publishAddress: lookup('dockyard:publishAddress'),
    skipUnsupported: lookup('dockyard:skipUnsupported') === 'true',
    secrets: secretValues,
  };
}

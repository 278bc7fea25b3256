import type { Problem } from '../core/errors';
import type { Finding, PolicyReport } from '../policy/types';
import { ComposeProject, locate, sortProblems } from '../compose/model';
import type { ComposePlan } from '../compose/plan';

/**
 * The policy findings of a converted project as compose problems: each points at the compose key
 * that produced the object (`services.db.environment.POSTGRES_PASSWORD` at file:line:col), and the
 * fixes say what to change in the compose file, since that is the file the user edits.
 */

/** Policy findings split into what fails the conversion and what is printed. */
export interface ComposePolicyProblems {
  /** Error findings (and, with `strict`, warnings too). */
  readonly errors: PolicyProblem[];
  /** Warning findings (empty with `strict`). */
  readonly warnings: PolicyProblem[];
}

/** A policy finding worded for the compose file, with the id of its rule. */
export type PolicyProblem = Problem & {
  /** The policy rule's id (`probes-missing`). */
  readonly rule: string;
};

/** What the user changes in the compose file for the rules whose Kubernetes fix does not apply there. */
const COMPOSE_FIXES: Record<string, string> = {
  'secret-in-env': 'move the value to a compose secret (top-level `secrets: {db_password: {file: ./db_password.txt}}`, `secrets: [db_password]` in the service, read from /run/secrets/db_password, e.g. with POSTGRES_PASSWORD_FILE) or to an env_file, which converts to a Secret; keep only a ${VAR} reference in the compose file if you must',
  'run-as-non-root': 'set the service\'s user to a non-zero numeric UID (user: "1000:1000"), or use an image with a non-root USER',
  'probes-missing': 'add a healthcheck (test: ["CMD", ...]) to the service; it becomes the readiness probe (and start_period a startup probe)',
  'resource-limits-missing': 'set deploy.resources.limits (cpus, memory) on the service',
  'resource-requests-missing': 'set deploy.resources.reservations (cpus, memory) on the service',
  'image-latest-tag': 'pin the image to a version tag or digest in the compose file (image: nginx:1.27)',
  'docker-socket': 'remove this bind mount from the service, or mount a narrower folder that holds no engine socket; if it must drive Docker, convert without it and add the hostPath volume with a Policy.suppress reason in the --format ts code',
  'secret-in-configmap': 'move the value to a compose secret (top-level `secrets: {db_password: {file: ./db_password.txt}}`, `secrets: [db_password]` in the service, read from /run/secrets/db_password, e.g. with POSTGRES_PASSWORD_FILE) or to an env_file, which converts to a Secret',
};

/** Fixes of the privileged rule by the compose key a finding is about (the rule covers several). */
const PRIVILEGED_FIXES: Record<string, string> = {
  pid: 'remove `pid: host` from the service (it then sees only its own processes); to keep it, convert without it with --format ts and put it back in that code with a Policy.suppress reason (hostPID through a JSON patch on the workload)',
  ipc: 'remove `ipc: host` from the service (share memory through a volume instead); to keep it, convert without it with --format ts and put it back in that code with a Policy.suppress reason (hostIPC through a JSON patch on the workload)',
  privileged: 'remove `privileged: true` and add only the capabilities the service needs with cap_add; to keep it, convert without it with --format ts and put it back in that code with a Policy.suppress reason',
  cap_add: 'add only the capabilities the service needs in cap_add (Docker\'s defaults need none added); to keep it, convert without it with --format ts and put it back in that code with a Policy.suppress reason',
  security_opt: 'remove the unconfined seccomp or apparmor option from security_opt; to keep it, convert without it with --format ts and put it back in that code with a Policy.suppress reason',
};

/** The construct id (app or source) a finding's construct path goes through, and its compose service. */
function serviceOf(plan: ComposePlan, f: Finding): { service: string; source?: string } | undefined {
  const { apps, users } = indexOf(plan);
  const segments = (f.constructPath ?? '').split('/');
  for (const seg of segments) {
    const app = apps.get(seg);
    if (app) return { service: app };
    const user = users.get(seg);
    if (user) return { service: user, source: seg };
  }
  return undefined;
}

/** Apps by id and the first app using each source, built once per plan (a search per finding was quadratic). */
const indexes = new WeakMap<ComposePlan, { apps: Map<string, string>; users: Map<string, string> }>();
function indexOf(plan: ComposePlan): { apps: Map<string, string>; users: Map<string, string> } {
  let idx = indexes.get(plan);
  if (idx) return idx;
  idx = { apps: new Map(), users: new Map() };
  for (const a of plan.apps) if (!idx.apps.has(a.id)) idx.apps.set(a.id, a.service);
  const sources = new Set(plan.sources.map((s) => s.id));
  for (const a of plan.apps) {
    for (const id of [...(a.props.envFrom ?? []).map((e) => e.source), ...(a.props.mounts ?? []).map((m) => m.source)]) {
      if (sources.has(id) && !idx.users.has(id)) idx.users.set(id, a.service);
    }
  }
  indexes.set(plan, idx);
  return idx;
}

/** The compose key a finding is about: the env key of an env ConfigMap, the volumes of a host path, else the service. */
function keyOf(plan: ComposePlan, f: Finding): (string | number)[] {
  const owner = serviceOf(plan, f);
  if (!owner) return [];
  // A finding on a sidecar container (containers[1..]) is about the compose service that became it.
  const ci = f.fieldPath.indexOf('containers');
  const sidecar = ci >= 0 && Number(f.fieldPath[ci + 1]) > 0 ? plan.sidecarServices[`${owner.service}/${f.fieldPath[ci + 1]}`] : undefined;
  const base = ['services', sidecar ?? owner.service];
  const fp = f.fieldPath;
  if (owner.source && fp[0] === 'data' && typeof fp[1] === 'string') {
    if (/-env(-\d+)?$/.test(owner.source)) return [...base, 'environment', fp[1]];
    if (/-configs(-\d+)?$/.test(owner.source)) return [...base, 'configs'];
    if (/-bind-\d+(-\d+)?$/.test(owner.source)) return [...base, 'volumes'];
    return base;
  }
  // The most specific key first: privileged and capabilities have their own compose keys.
  const at = (name: string) => fp.indexOf(name);
  const sc = at('securityContext');
  if (sc >= 0) {
    const field = String(fp[sc + 1] ?? '');
    const table: Record<string, string> = { privileged: 'privileged', capabilities: 'cap_add', runAsUser: 'user', runAsGroup: 'user', runAsNonRoot: 'user', allowPrivilegeEscalation: 'security_opt', seccompProfile: 'security_opt', appArmorProfile: 'security_opt', seLinuxOptions: 'security_opt', sysctls: 'sysctls', supplementalGroups: 'group_add', readOnlyRootFilesystem: 'read_only', procMount: 'security_opt' };
    return [...base, table[field] ?? 'user'];
  }
  const i = fp.findIndex((p) => p === 'env' || p === 'command' || p === 'args' || p === 'volumes' || p === 'hostNetwork' || p === 'hostPID' || p === 'hostIPC' || p === 'image' || p === 'resources');
  if (i >= 0) {
    const map: Record<string, string> = { env: 'environment', command: 'entrypoint', args: 'command', volumes: 'volumes', hostNetwork: 'network_mode', hostPID: 'pid', hostIPC: 'ipc', image: 'image', resources: 'deploy' };
    return [...base, map[String(fp[i])]];
  }
  return base;
}

/** Turns a policy report over converted objects into compose problems (located, with compose fixes). */
export function composePolicyProblems(project: ComposeProject, plan: ComposePlan, report: PolicyReport, strict = false): ComposePolicyProblems {
  const errors: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  for (const f of report.findings) {
    const key = keyOf(plan, f);
    const p: PolicyProblem = {
      rule: f.rule,
      where: locate(project, key),
      message: `${key.length ? `${key.join('.')}: ` : ''}policy ${f.severity} ${f.rule}: ${f.object}: ${f.message}`,
      fix: (f.rule === 'privileged' ? PRIVILEGED_FIXES[String(key[key.length - 1])] : undefined) ?? COMPOSE_FIXES[f.rule] ?? f.fix,
    };
    (f.severity === 'error' || strict ? errors : warnings).push(p);
  }
  return { errors: sortProblems(errors), warnings: sortProblems(warnings) };
}

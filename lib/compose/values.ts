import type { Problem } from '../core/errors';
import { ComposeProject, locate } from './model';
import { closestMatch } from '../core/naming';

/**
 * Checks the values the compose-spec schema leaves as free strings but Docker only accepts from a
 * fixed set (`restart_policy.condition: sometimes` is refused by `docker stack deploy`), and names
 * of other services (`depends_on`, `links`, `volumes_from`). Runs on the merged project, so the
 * location is the file that set the value last. Validity only: whether a valid value converts is the
 * mapping's business.
 */

/** One enum-like key: where it is under a service, and what Docker accepts there. */
export interface EnumKey {
  /** Key path under the service; `*` matches every list index. */
  readonly path: readonly string[];
  /** The accepted values, as Docker documents them. */
  readonly values: readonly string[];
  /** Compare without case (Docker lower-cases port protocols). @default false */
  readonly ignoreCase?: boolean;
  /** Accepts values outside `values` that match (`on-failure:3`). @default - none */
  readonly pattern?: RegExp;
}

/** The enum-like service keys that Docker validates and the schema does not. */
export const ENUM_KEYS: readonly EnumKey[] = [
  { path: ['restart'], values: ['no', 'always', 'on-failure', 'unless-stopped'], pattern: /^on-failure:\d+$/ },
  { path: ['deploy', 'mode'], values: ['replicated', 'global', 'replicated-job', 'global-job'] },
  { path: ['deploy', 'endpoint_mode'], values: ['vip', 'dnsrr'] },
  { path: ['deploy', 'restart_policy', 'condition'], values: ['none', 'on-failure', 'any'] },
  { path: ['deploy', 'update_config', 'failure_action'], values: ['continue', 'rollback', 'pause'] },
  { path: ['deploy', 'rollback_config', 'failure_action'], values: ['continue', 'pause'] },
  { path: ['ports', '*', 'protocol'], values: ['tcp', 'udp', 'sctp'], ignoreCase: true },
  { path: ['ports', '*', 'mode'], values: ['ingress', 'host'] },
  { path: ['volumes', '*', 'type'], values: ['volume', 'bind', 'tmpfs', 'npipe', 'cluster', 'image'] },
  { path: ['volumes', '*', 'bind', 'propagation'], values: ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'] },
  { path: ['volumes', '*', 'consistency'], values: ['consistent', 'cached', 'delegated'] },
];

/**
 * Every problem with enum values and service references in a merged project, in service order.
 * `disabled`: services the active profiles leave out (references to them are the profile check's).
 */
export function checkValues(project: ComposeProject, disabled: ReadonlySet<string> = new Set()): Problem[] {
  const out: Problem[] = [];
  const services = Object.keys(project.services).sort();
  const known = new Set([...services, ...disabled]);
  for (const svc of services) {
    const s = project.services[svc] as Record<string, unknown>;
    for (const key of ENUM_KEYS) {
      for (const [at, value] of valuesAt(s, key.path)) {
        if (typeof value !== 'string' || isAllowed(value, key)) continue;
        const name = ['services', svc, ...at].join('.');
        const near = closest(value, key.values);
        const valid = [...key.values, ...(key.pattern ? [patternHint(key)] : [])].join(', ');
        out.push({
          where: locate(project, ['services', svc, ...at]),
          message: `${name} is "${value}", which is not a valid value (valid: ${valid})`,
          fix: near ? `did you mean "${near}"? Write one of the valid values` : `write one of: ${valid}`,
        });
      }
    }
    out.push(...checkServiceRefs(project, svc, services, known));
  }
  return out;
}

/** True when Docker accepts `value` for this key. */
export function isAllowed(value: string, key: EnumKey): boolean {
  const v = key.ignoreCase ? value.toLowerCase() : value;
  return key.values.includes(v) || (key.pattern?.test(v) ?? false);
}

function patternHint(key: EnumKey): string {
  return key.path[0] === 'restart' ? 'on-failure:<max retries>' : String(key.pattern);
}

/** The values under a path with `*` list wildcards, each with its concrete path. */
function valuesAt(root: unknown, path: readonly string[], at: (string | number)[] = []): Array<[(string | number)[], unknown]> {
  if (path.length === 0) return root === undefined ? [] : [[at, root]];
  const [head, ...rest] = path;
  if (head === '*') return Array.isArray(root) ? root.flatMap((item, i) => valuesAt(item, rest, [...at, i])) : [];
  if (!root || typeof root !== 'object' || Array.isArray(root)) return [];
  return valuesAt((root as Record<string, unknown>)[head], rest, [...at, head]);
}

/**
 * `depends_on`, `links` and `volumes_from` must name services of the project, as compose checks
 * before it starts anything (`volumes_from: container:x` names a container, which is not checked).
 */
function checkServiceRefs(project: ComposeProject, svc: string, services: readonly string[], known: ReadonlySet<string>): Problem[] {
  const s = project.services[svc] as Record<string, unknown>;
  const refs: Array<{ at: (string | number)[]; name: string; verb: string }> = [];
  const dependsOn = s.depends_on;
  if (Array.isArray(dependsOn)) dependsOn.forEach((d, i) => refs.push({ at: ['depends_on', i], name: String(d), verb: 'depends on' }));
  else if (dependsOn && typeof dependsOn === 'object') for (const d of Object.keys(dependsOn)) refs.push({ at: ['depends_on', d], name: d, verb: 'depends on' });
  if (Array.isArray(s.links)) s.links.forEach((l, i) => refs.push({ at: ['links', i], name: String(l).split(':')[0], verb: 'links to' }));
  if (Array.isArray(s.volumes_from)) {
    s.volumes_from.forEach((v, i) => {
      const text = String(v);
      if (!text.startsWith('container:')) refs.push({ at: ['volumes_from', i], name: text.replace(/^service:/, '').split(':')[0], verb: 'takes volumes from' });
    });
  }
  const out: Problem[] = [];
  for (const r of refs) {
    if (known.has(r.name)) continue;
    const near = closest(r.name, services.filter((x) => x !== svc));
    out.push({
      where: locate(project, ['services', svc, ...r.at]),
      message: `service "${svc}" ${r.verb} "${r.name}", which is not a service of this project (services: ${services.join(', ')})`,
      fix: near ? `did you mean "${near}"? Name one of the services, or add a service "${r.name}"` : `name one of the services, or add a service "${r.name}"`,
    });
  }
  return out;
}

/** The option a typo most likely meant, when one is close enough. */
export const closest = closestMatch;

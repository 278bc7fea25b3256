import type { Problem } from '../core/errors';
import { locateNode, LocNode } from './locations';
import { isObj, Obj } from './yaml-file';

/**
 * Compose profiles: a service without `profiles` is always enabled; one with profiles only when one
 * of them is active (`--profile`, repeatable, else `COMPOSE_PROFILES`, comma-separated; `*` enables
 * all). A reference from an enabled service to a disabled one does not enable it: as in Compose it
 * is an error, except a `depends_on` marked `required: false`, which is dropped.
 */

/** The active profiles: the flags when given, else COMPOSE_PROFILES. */
export function activeProfiles(flags: readonly string[] | undefined, env: Readonly<Record<string, string | undefined>>): Set<string> {
  const list = flags && flags.length ? flags.flatMap((f) => f.split(',')) : (env.COMPOSE_PROFILES ?? '').split(',');
  return new Set(list.map((p) => p.trim()).filter(Boolean));
}

/** True when a service with these profiles runs under the active ones. */
export function isEnabled(profiles: unknown, active: ReadonlySet<string>): boolean {
  if (!Array.isArray(profiles) || profiles.length === 0) return true;
  return active.has('*') || profiles.some((p) => active.has(String(p)));
}

/** The outcome of applying profiles to merged services. */
export interface ProfileSelection {
  /** The enabled services (depends_on entries on disabled, non-required services removed). */
  readonly services: Obj;
  /** Names of the services the profiles leave out. */
  readonly disabled: ReadonlySet<string>;
  readonly problems: Problem[];
  readonly warnings: Problem[];
}

/** Applies the active profiles to the merged services. */
export function selectProfiles(services: Obj, loc: LocNode | undefined, active: ReadonlySet<string>, fallback: string): ProfileSelection {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const disabled = new Set<string>();
  const known = new Set<string>();
  for (const [name, s] of Object.entries(services)) {
    const profiles = isObj(s) ? s.profiles : undefined;
    if (Array.isArray(profiles)) for (const p of profiles) known.add(String(p));
    if (!isEnabled(profiles, active)) disabled.add(name);
  }
  for (const p of active) {
    if (p !== '*' && !known.has(p)) warnings.push({ where: '--profile', message: `no service has the profile "${p}"${known.size ? ` (profiles: ${[...known].sort().join(', ')})` : ''}`, fix: 'correct the profile name' });
  }
  const out: Obj = {};
  for (const [name, raw] of Object.entries(services)) {
    if (disabled.has(name) || !isObj(raw)) { if (!disabled.has(name)) out[name] = raw; continue; }
    let s = raw;
    const where = (at: (string | number)[]) => locateNode(loc, ['services', name, ...at], fallback);
    const refuse = (at: (string | number)[], target: string, how: string, extra = '') => {
      const tp = (services[target] as Obj).profiles as string[];
      problems.push({
        where: where(at),
        message: `service "${name}" ${how} "${target}", which is disabled: its profiles (${tp.join(', ')}) are not active, and a reference does not enable a service`,
        fix: `enable one with --profile ${tp[0]} (or COMPOSE_PROFILES=${tp[0]})${extra}`,
      });
    };
    const dependsOn = s.depends_on;
    if (Array.isArray(dependsOn)) {
      dependsOn.forEach((d, i) => { if (disabled.has(String(d))) refuse(['depends_on', i], String(d), 'depends on', ', or use the long syntax with "required: false"'); });
    } else if (isObj(dependsOn)) {
      const kept: Obj = {};
      for (const [d, cond] of Object.entries(dependsOn)) {
        if (!disabled.has(d)) { kept[d] = cond; continue; }
        if (isObj(cond) && cond.required === false) continue; // Compose drops an optional dependency on a disabled service
        refuse(['depends_on', d], d, 'depends on', ', or mark the dependency "required: false"');
      }
      s = { ...s, depends_on: kept };
    }
    if (Array.isArray(s.links)) s.links.forEach((l, i) => { const t = String(l).split(':')[0]; if (disabled.has(t)) refuse(['links', i], t, 'links to'); });
    if (Array.isArray(s.volumes_from)) s.volumes_from.forEach((v, i) => { const t = String(v).replace(/^service:/, '').split(':')[0]; if (!String(v).startsWith('container:') && disabled.has(t)) refuse(['volumes_from', i], t, 'takes volumes from'); });
    for (const k of ['network_mode', 'ipc', 'pid']) {
      const v = s[k];
      if (typeof v === 'string' && v.startsWith('service:') && disabled.has(v.slice(8))) refuse([k], v.slice(8), `shares ${k} with`);
    }
    out[name] = s;
  }
  return { services: out, disabled, problems, warnings };
}

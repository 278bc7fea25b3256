import { DockyardError } from '../core/errors';
import { describeObject, KubeObject } from '../core/manifests';
import { formatFieldPath } from '../core/field-path';
import { GUARD_RULES } from './guard-rules';
import { HostFacts } from '../ir/host-paths';
import { OBJECT_RULES } from './object-rules';
import { PodSecurityLevel, podSecurityRule } from './pod-security';
import { podSpecOf, withRunCache } from './run-cache';
import { Finding, PolicyReport, PolicyRule, SuppressedFinding } from './types';
import { WORKLOAD_RULES } from './workload-rules';

/** Every rule, in the order of the docs/policy.md table: the guards first (what hands over the host). */
export const RULES: readonly PolicyRule[] = [...GUARD_RULES.slice(0, 3), ...OBJECT_RULES, ...GUARD_RULES.slice(3), ...WORKLOAD_RULES];

/**
 * Annotation prefix for suppressions written in manifests (kube-linter's `ignore-check.kube-linter.io/`):
 * `suppress.dockyard.dev/image-latest-tag: "pinned by digest in the prod overlay"`. Synth writes the
 * same annotation for `Policy.suppress`, so `dockyard lint dist/` agrees with the synth.
 */
export const SUPPRESS_ANNOTATION_PREFIX = 'suppress.dockyard.dev/';

/** The rule with this id, or undefined. */
export function findRule(id: string): PolicyRule | undefined {
  return RULES.find((r) => r.id === id);
}

/** Throws a DockyardError naming `where` when `id` is not a rule id, suggesting the closest one. */
export function assertRuleId(id: string, where: string): void {
  if (findRule(id)) return;
  const near = RULES.map((r) => r.id).filter((r) => r.includes(id) || id.includes(r) || r.split('-')[0] === id.split('-')[0]);
  throw new DockyardError({
    where,
    message: `unknown policy rule "${id}"${near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)` : ''}`,
    fix: `use one of: ${RULES.map((r) => r.id).join(', ')}`,
  });
}

/** Options of `checkObjects`. */
export interface CheckOptions {
  /** Reason a rule is suppressed for the object at `index` (from the construct tree), if it is. @default none */
  readonly suppressedBy?: (index: number, rule: string) => string | undefined;
  /** Construct path of the object at `index`, when known. @default none */
  readonly constructPathOf?: (index: number) => string | undefined;
  /** The rules to run. @default RULES */
  readonly rules?: readonly PolicyRule[];
  /** Facts about the host that runs the pods (the Docker target fills them). @default none: a cluster node, paths not resolved */
  readonly host?: HostFacts;
  /** Also hold every pod to this Pod Security Standards level (`dockyard lint --pod-security`). @default none */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Honour `suppress.dockyard.dev/<rule>` annotations in the objects. The Docker target turns this off:
   * a manifest must not be able to excuse itself from a guard; its `--allow-*` flags are the opt-in.
   * @default true
   */
  readonly annotationSuppressions?: boolean;
}

/** The suppression reason an object's own annotations give for `rule`, if any. */
export function annotationSuppression(obj: KubeObject, rule: string): string | undefined {
  const v = obj.metadata?.annotations?.[`${SUPPRESS_ANNOTATION_PREFIX}${rule}`];
  return typeof v === 'string' ? v : undefined;
}

/** Runs every rule on every object; cross-object rules see the whole list. Pure: nothing is changed. */
export function checkObjects(objects: readonly KubeObject[], options: CheckOptions = {}): PolicyReport {
  return withRunCache(() => checkAll(objects, options));
}

/** The rules that apply to an object (`appliesTo`), in table order; depends only on its kind and pod spec. */
function ruleSelector(all: readonly PolicyRule[]): (obj: KubeObject) => readonly PolicyRule[] {
  const byKind = [new Map<unknown, PolicyRule[]>(), new Map<unknown, PolicyRule[]>()]; // without, with a pod spec
  return (obj) => {
    const hasPodSpec = podSpecOf(obj) !== undefined;
    const known = byKind[hasPodSpec ? 1 : 0];
    let rules = known.get(obj.kind);
    if (!rules) {
      rules = all.filter(({ appliesTo: a }) => a === undefined || (a === 'pod-spec' ? hasPodSpec : obj.kind === a.kind));
      known.set(obj.kind, rules);
    }
    return rules;
  };
}

function checkAll(objects: readonly KubeObject[], options: CheckOptions): PolicyReport {
  const rulesFor = ruleSelector(options.podSecurity ? [...(options.rules ?? RULES), podSecurityRule(options.podSecurity)] : options.rules ?? RULES);
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const set = { objects: objects.filter((o) => o && typeof o === 'object'), ...(options.host ? { host: options.host } : {}) };
  const fromAnnotation = options.annotationSuppressions === false ? () => undefined : annotationSuppression;
  // Plain loops: this runs rules x objects times, mostly before the JIT has warmed up.
  for (let index = 0; index < objects.length; index++) {
    const obj = objects[index];
    if (!obj || typeof obj !== 'object') continue;
    // Looked up on the first hit only: most objects have none, and the lookup walks the construct tree.
    let constructPath: string | undefined;
    let pathKnown = false;
    const rules = rulesFor(obj);
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      const hits = rule.check(obj, set);
      for (let h = 0; h < hits.length; h++) {
        const hit = hits[h];
        if (!pathKnown) { constructPath = options.constructPathOf?.(index); pathKnown = true; }
        const object = describeObject(obj);
        const f: Finding = {
          where: constructPath ?? object, rule: rule.id, severity: rule.severity, object, index,
          message: hit.message, fix: hit.fix ?? rule.fix, field: formatFieldPath(hit.path), fieldPath: hit.path,
          ...(constructPath ? { constructPath } : {}),
        };
        const reason = options.suppressedBy?.(index, rule.id) ?? fromAnnotation(obj, rule.id);
        if (reason !== undefined) suppressed.push({ ...f, reason }); else findings.push(f);
      }
    }
  }
  // Errors first, so the reason a synth or lint fails is at the top; otherwise stable input order.
  const ordered = [...findings.filter((f) => f.severity === 'error'), ...findings.filter((f) => f.severity === 'warning')];
  return {
    objects: objects.length,
    findings: ordered,
    suppressed,
    errors: ordered.filter((f) => f.severity === 'error').length,
    warnings: ordered.filter((f) => f.severity === 'warning').length,
  };
}

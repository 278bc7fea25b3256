import type { Problem, Severity } from '../core/errors';
import { KubeObject } from '../core/manifests';
import type { FieldPath } from '../core/field-path';
import type { HostFacts } from '../ir/host-paths';

/** How bad a finding is: an `error` fails the synth and `dockyard lint`; a `warning` is printed. */
export type { Severity };

/** A field path inside an object (one definition, in the IR toolkit). */
export type { FieldPath };

/** What one rule reports about one object (the rule adds its id, severity and object). */
export interface RuleHit {
  /** What is wrong, naming the container or key, in one sentence. */
  readonly message: string;
  /** The field the hit is about, so file:line can point at it. */
  readonly path: FieldPath;
  /** How to fix this hit; the rule's general fix when absent. */
  readonly fix?: string;
}

/** Everything in one output, for rules that compare objects (selectors, namespaces). */
export interface ObjectSet {
  /** All objects checked together (one app, one chart, or all manifests given to `dockyard lint`). */
  readonly objects: readonly KubeObject[];
  /** Facts about the host that runs the pods, when it is known (the Docker target). @default none: a cluster node */
  readonly host?: HostFacts;
}

/** A policy rule over plain Kubernetes objects (the IR). */
export interface PolicyRule {
  /** Kebab-case id used in output and in suppressions, e.g. `image-latest-tag`. */
  readonly id: string;
  /** Severity of every hit of this rule. */
  readonly severity: Severity;
  /** What the rule checks, for the rule table. */
  readonly summary: string;
  /** The usual fix, for the rule table and hits without their own. */
  readonly fix: string;
  /**
   * The objects this rule can hit at all: `pod-spec` for objects with a pod spec (Pods, workloads,
   * CronJobs), or one kind. `checkObjects` does not call `check` on the others (it would return no hit).
   * @default every object
   */
  readonly appliesTo?: 'pod-spec' | { readonly kind: string };
  /** Returns the hits of this rule on `obj` (empty when it passes). Must not throw on malformed input. */
  check(obj: KubeObject, set: ObjectSet): RuleHit[];
}

/**
 * One rule violated by one object: a Problem (`where` is the construct path when the object came from
 * a construct tree, else the object) with the rule that found it.
 */
export interface Finding extends Problem {
  /** Rule id. */
  readonly rule: string;
  /** Rule severity. */
  readonly severity: Severity;
  /** `Kind/namespace/name` of the object. */
  readonly object: string;
  /** Index of the object in the checked list. */
  readonly index: number;
  /** How to fix it. */
  readonly fix: string;
  /** Field path as text (`spec.template.spec.containers[0].image`), or `(root)`. */
  readonly field: string;
  /** The same field path as parts, for file:line lookups. */
  readonly fieldPath: FieldPath;
  /** Construct path of the ApiObject, when the object came from a construct tree. */
  readonly constructPath?: string;
}

/** A finding that a suppression silenced, with the reason the user wrote. */
export interface SuppressedFinding extends Finding {
  /** Why the rule does not apply here (from `Policy.suppress` or the annotation). */
  readonly reason: string;
}

/** The result of checking a set of objects. */
export interface PolicyReport {
  /** Number of objects checked. */
  readonly objects: number;
  /** Active findings, errors first, then in object order. */
  readonly findings: readonly Finding[];
  /** Findings silenced by a suppression. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Number of active findings with severity `error`. */
  readonly errors: number;
  /** Number of active findings with severity `warning`. */
  readonly warnings: number;
}

import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { DockyardError, Problem } from '../core/errors';
import { KubeObject, objectKey } from '../core/manifests';
import type { ChartOutput, SynthCheck } from '../core/synth';
import { assertRuleId, checkObjects, SUPPRESS_ANNOTATION_PREFIX } from './check';
import { Finding, PolicyReport } from './types';
import { summarizeByRule } from './summary';

/** Metadata type under which suppressions are stored on construct nodes (visible in the tree). */
const SUPPRESS_METADATA = 'dockyard:policy:suppress';

interface SuppressionEntry { readonly rule: string; readonly reason: string }

/**
 * Policy checks at synth time. Suppressions live in the construct tree, next to the code they excuse,
 * and always carry a reason that the report shows.
 */
export class Policy {
  /**
   * Suppresses `rule` for `scope` and every ApiObject under it, with the reason shown in reports.
   * Throws a DockyardError naming the construct for an unknown rule id or an empty reason.
   */
  public static suppress(scope: IConstruct, rule: string, reason: string): void {
    assertRuleId(rule, scope.node.path || '<app>');
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new DockyardError({ where: scope.node.path || '<app>', message: `suppression of "${rule}" has no reason`, fix: 'say why the rule does not apply here, e.g. Policy.suppress(this, \'run-as-non-root\', \'busybox httpd needs port 80\')' });
    }
    scope.node.addMetadata(SUPPRESS_METADATA, { rule, reason: reason.trim() } satisfies SuppressionEntry);
  }

  /** The suppressions that apply to `scope`: its own and its ancestors' (nearest first). */
  public static suppressionsOf(scope: IConstruct): { rule: string; reason: string; from: string }[] {
    const out: { rule: string; reason: string; from: string }[] = [];
    for (const s of [...scope.node.scopes].reverse()) {
      for (const m of s.node.metadata) {
        if (m.type === SUPPRESS_METADATA) out.push({ ...(m.data as SuppressionEntry), from: s.node.path || '<app>' });
      }
    }
    return out;
  }
}

function apiObjectsUnder(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
}

/** Memoizes `fn` per index, so work for an object is done only when one of its rules hits. */
function perIndex<T>(fn: (i: number) => T): (i: number) => T {
  const memo = new Map<number, T>();
  return (i) => {
    if (!memo.has(i)) memo.set(i, fn(i));
    return memo.get(i)!;
  };
}

/**
 * Checks objects together, each with the construct that made it (for its path and suppressions).
 * `constructOf` is asked only for objects with a hit: most objects have none, and reading the
 * suppressions of every object's ancestors was a good part of the check.
 */
function checkWithConstructs(objects: readonly KubeObject[], constructOf: (i: number) => IConstruct | undefined): PolicyReport {
  const suppressionsOf = perIndex((i) => {
    const c = constructOf(i);
    return c ? Policy.suppressionsOf(c) : [];
  });
  return checkObjects(objects, {
    constructPathOf: (i) => constructOf(i)?.node.path,
    suppressedBy: (i, rule) => suppressionsOf(i).find((s) => s.rule === rule)?.reason,
  });
}

function checkTree(root: IConstruct): { report: PolicyReport; apiObjects: ApiObject[] } {
  const apiObjects = apiObjectsUnder(root);
  return { report: checkWithConstructs(apiObjects.map((o) => o.toJson() as KubeObject), (i) => apiObjects[i]), apiObjects };
}

/** Checks every ApiObject of an app (all charts together, so cross-chart references count). */
export function checkApp(app: App): PolicyReport {
  return checkTree(app).report;
}

/** Checks the ApiObjects of one chart. */
export function checkChart(chart: Chart): PolicyReport {
  return checkTree(chart).report;
}

/** One line for a finding: `[where] severity rule-id: Kind/name: message Fix: fix`. */
export function formatFinding(f: Finding, where = f.constructPath ?? f.object): string {
  return `[${where}] ${f.severity} ${f.rule}: ${f.object}: ${f.message} Fix: ${f.fix}`;
}

/** Options of `enforcePolicy`. */
export interface EnforceOptions {
  /** Where warnings and suppressions are printed. @default a line to stderr */
  readonly log?: (line: string) => void;
  /** Print every warning (repeated ones are summarized per rule otherwise). @default - true when $DOCKYARD_VERBOSE is 1 */
  readonly verbose?: boolean;
}

/**
 * The synth-time gate: prints warnings and suppressions, throws a DockyardError listing every error
 * finding with its construct path. ApiObjects with a suppressed finding get the
 * `suppress.dockyard.dev/<rule>` annotation, so linting the synthesized YAML gives the same verdict.
 */
export function enforcePolicy(app: App, options: EnforceOptions = {}): PolicyReport {
  const { report, apiObjects } = checkTree(app);
  for (const s of report.suppressed) apiObjects[s.index].metadata.addAnnotation(`${SUPPRESS_ANNOTATION_PREFIX}${s.rule}`, s.reason);
  return enforceReport(report, options);
}

/** Prints the warnings and suppressions of a report; throws a DockyardError when it has errors. */
function enforceReport(report: PolicyReport, options: EnforceOptions): PolicyReport {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const warnings = report.findings.filter((f) => f.severity === 'warning');
  const verbose = options.verbose ?? process.env.DOCKYARD_VERBOSE === '1';
  for (const line of summarizeByRule(warnings, (f) => f.rule, (f) => `policy ${formatFinding(f)}`, { verbose, more: 'DOCKYARD_VERBOSE=1 shows all' })) log(line);
  for (const s of report.suppressed) log(`policy [${s.constructPath ?? s.object}] suppressed ${s.rule}: ${s.object}: ${s.reason}`);
  const errors = report.findings.filter((f) => f.severity === 'error');
  if (errors.length) {
    const problems: Problem[] = errors.map((f) => ({ where: f.constructPath ?? f.object, message: `${f.rule}: ${f.object}: ${f.message}`, fix: `${f.fix} (or Policy.suppress(construct, '${f.rule}', 'why'))` }));
    throw new DockyardError(problems, `policy: ${errors.length} error finding(s):`);
  }
  return report;
}

/** The construct at `path` under `root` (`chart/web/Resource`), found child by child, or undefined. */
function constructAt(root: IConstruct, path: string): IConstruct | undefined {
  let c: IConstruct | undefined = root;
  for (const id of path === '' ? [] : path.split('/')) {
    c = c.node.tryFindChild(id);
    // Children are kept in a plain object, so `constructor` or `__proto__` finds something that is no construct.
    if (!Construct.isConstruct(c)) return undefined;
  }
  // tryFindChild sanitizes ids, so a path that no construct has could still land on one: check it.
  return c.node.path === path ? c : undefined;
}

/**
 * The ApiObject behind each rendered object, by index, resolved on demand. synthApp tags objects with
 * construct paths, but an object whose name is lazy (AppConfig's hashed name) may get its chart's path;
 * those few are matched by rendering only the ApiObjects no output claimed.
 */
function constructsOf(app: App, outputs: readonly { object: KubeObject; path: string }[]): (i: number) => IConstruct | undefined {
  let byKey: Map<string, ApiObject> | undefined;
  return perIndex((i) => {
    const o = outputs[i];
    const c = constructAt(app, o.path);
    if (c && ApiObject.isApiObject(c)) return c;
    if (!byKey) {
      const claimed = new Set(outputs.map((x) => x.path));
      byKey = new Map(app.node.findAll().filter((x): x is ApiObject => ApiObject.isApiObject(x) && !claimed.has(x.node.path)).map((a) => [objectKey(a.toJson() as KubeObject), a]));
    }
    return byKey.get(objectKey(o.object)) ?? c;
  });
}

/**
 * The policy gate as a `synthApp` check: `synthApp(app, { checks: [policySynthCheck()] })`. Besides
 * `enforcePolicy`, it writes the suppression annotations into the objects about to be written
 * (synthApp renders before its checks run), so `dockyard lint dist/` agrees with the synth.
 */
export function policySynthCheck(options: EnforceOptions = {}): SynthCheck {
  return (app, charts) => { enforceReport(checkRendered(app, charts), options); };
}

/**
 * The policy report of an app's rendered charts, each finding with its construct path (the objects
 * are not rendered again). Objects with a suppressed finding get the `suppress.dockyard.dev/<rule>`
 * annotation, so `dockyard lint` of the written YAML agrees.
 */
export function checkRendered(app: App, charts: readonly ChartOutput[]): PolicyReport {
  const outputs = charts.flatMap((c) => c.objects);
  const report = checkWithConstructs(outputs.map((o) => o.object), constructsOf(app, outputs));
  for (const s of report.suppressed) {
    const meta = (outputs[s.index].object.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [`${SUPPRESS_ANNOTATION_PREFIX}${s.rule}`]: s.reason };
  }
  return report;
}

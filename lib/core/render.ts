import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { constructValidationProblems } from './construct-problems';
import { Problem } from './errors';
import { KubeObject } from './manifests';

/**
 * Rendering through cdk8s' public API only: `Node.validate()` for construct validations and one
 * `chart.toJson()` per chart (which resolves the app's dependencies and serializes each ApiObject
 * with the app's resolvers), so whatever cdk8s version the user installed renders as its own synth.
 */

/** One rendered object and the ApiObject that made it. */
export interface RenderedObject {
  /** The Kubernetes object, as `apiObject.toJson()` returns it. */
  readonly object: KubeObject;
  /** Its construct. */
  readonly apiObject: ApiObject;
}

/**
 * `c.node.findAll()` (pre-order: a construct, then each child's subtree in order) with a stack
 * instead of a recursive closure per construct.
 */
export function preorder(c: IConstruct): IConstruct[] {
  const out: IConstruct[] = [];
  const stack: IConstruct[] = [c];
  while (stack.length > 0) {
    const next = stack.pop()!;
    out.push(next);
    const children = next.node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/**
 * The validation problems of these constructs, each with its construct path: Dockyard's structured
 * problems (`addProblems`), and any other validation's "what. Fix: how" message split in two.
 */
export function validationProblems(constructs: readonly IConstruct[]): Problem[] {
  const out: Problem[] = [];
  for (const c of constructs) constructValidationProblems(c, out);
  return out;
}

/**
 * The ApiObjects of a chart in cdk8s' output order (its `chartToKube`), once `chart.toJson()` has
 * resolved the app's dependencies. Without any dependency in the chart's tree, cdk8s' DependencyGraph
 * adopts every vertex as an orphan in `findAll()` order, so its topology is that order and building
 * the graph is skipped.
 */
export function chartApiObjects(chart: Chart): ApiObject[] {
  const all = preorder(chart);
  // A chart at the root could have children with integer-like paths, which a JS object orders first.
  if (chart.node.scope !== undefined) {
    const out: ApiObject[] = [];
    let simple = true;
    for (const c of all) {
      if (c.node.dependencies.length !== 0) { simple = false; break; }
      if (ApiObject.isApiObject(c) && c.chart === chart) out.push(c);
    }
    if (simple) return out;
  }
  return new DependencyGraph(chart.node).topology().filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
}

/**
 * The ApiObjects of each chart in tree order (what `chartApiObjects` gives for each chart when no
 * chart holds another), from the app's constructs in one pass.
 */
function apiObjectsByChart(all: readonly IConstruct[]): Map<Chart, ApiObject[]> {
  const out = new Map<Chart, ApiObject[]>();
  for (const c of all) {
    if (!ApiObject.isApiObject(c)) continue;
    const list = out.get(c.chart);
    if (list) list.push(c); else out.set(c.chart, [c]);
  }
  return out;
}

/**
 * True when nothing in the tree declares a dependency and no chart holds another chart: then
 * `chart.toJson()`'s app-wide dependency resolution adds nothing and its order is the tree's order.
 */
function dependencyFree(all: readonly IConstruct[]): boolean {
  for (const c of all) {
    if (c.node.dependencies.length !== 0) return false;
    if (Chart.isChart(c) && !isTopChart(c)) return false;
  }
  return true;
}

/** A chart whose parent chain holds no other chart. */
function isTopChart(chart: Chart): boolean {
  for (let s = chart.node.scope; s !== undefined; s = s.node.scope) if (Chart.isChart(s)) return false;
  return true;
}

/**
 * Each chart's objects, equal to `chart.toJson()` for each chart in turn, with the ApiObject behind
 * each. The caller has already validated every construct (`Node.validate()`), as `chart.toJson()`
 * would again. `all` is the app's constructs in tree order: when none declares a dependency, each
 * object is serialized by its public `toJson()` in `chart.toJson()`'s order, which skips cdk8s
 * re-validating the app and building a dependency graph for every chart; else `chart.toJson()` runs.
 */
export function chartsToJson(charts: readonly Chart[], all?: readonly IConstruct[]): RenderedObject[][] {
  const direct = all !== undefined && dependencyFree(all) ? apiObjectsByChart(all) : undefined;
  return charts.map((chart) => {
    if (direct && chart.node.scope !== undefined) {
      return (direct.get(chart) ?? []).map((apiObject) => ({ object: apiObject.toJson() as KubeObject, apiObject }));
    }
    const objects = chart.toJson() as KubeObject[];
    // chart.toJson() lists chartToKube's objects in this same order (dependencies are resolved now).
    const apiObjects = chartApiObjects(chart);
    return objects.map((object, i) => ({ object, apiObject: apiObjects[i] }));
  });
}

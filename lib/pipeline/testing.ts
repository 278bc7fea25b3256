import { App, Chart, ChartProps, Testing as Cdk8sTesting } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DockyardError, Problem } from '../core/errors';
import type { KnownKind, KubeKinds, Synthesized } from '../core/kinds';
import { KubeObject } from '../core/manifests';
import { constructProblems, toYaml } from '../core/synth';
import { gateApp } from './gate';

/** Options of `Testing.synth` and `Testing.problems`. */
export interface TestingOptions {
  /** Run the policy checks, as synth does (error findings fail; warnings are not printed). @default true */
  readonly policy?: boolean;
}

/**
 * Helpers for users' own tests: synthesize a chart without a cluster, through the same gate as
 * `cdk8s synth` (construct validation, schema, policy), and look at objects or the errors.
 */
export class Testing {
  /** A new app for a test (no output folder is written). */
  public static app(): App {
    return Cdk8sTesting.app();
  }

  /** A new chart in a new app. */
  public static chart(props: ChartProps = {}): Chart {
    return new Chart(Testing.app(), 'test', props);
  }

  /** The validated objects of the chart's app (throws a DockyardError listing every problem). */
  public static synth(chart: Chart, options: TestingOptions = {}): KubeObject[] {
    const outputs = gateApp(chart.node.root, { policy: options.policy, warn: () => undefined });
    return outputs.find((o) => o.chart === chart)?.objects.map((o) => o.object) ?? [];
  }

  /** The YAML `cdk8s synth` would write for the chart. */
  public static yaml(chart: Chart): string {
    return toYaml(Testing.synth(chart));
  }

  /** The problems of the scope's app (constructs, schema, policy), without throwing (empty when valid). */
  public static problems(scope: IConstruct, options: TestingOptions = {}): Problem[] {
    try {
      gateApp(scope.node.root, { policy: options.policy, warn: () => undefined });
      return [];
    } catch (e) {
      if (e instanceof DockyardError) return [...e.problems];
      throw e;
    }
  }

  /**
   * The one object of a kind (and name, if given) among synthesized objects or in a chart; throws when
   * there is not exactly one. Built-in kinds come back typed (`'Service'` gives an `IService`).
   */
  public static find<K extends KnownKind>(objects: readonly KubeObject[] | Chart, kind: K, name?: string): Synthesized<KubeKinds[K]>;
  public static find(objects: readonly KubeObject[] | Chart, kind: string, name?: string): KubeObject;
  public static find(objects: readonly KubeObject[] | Chart, kind: string, name?: string): KubeObject {
    const list = Chart.isChart(objects) ? Testing.synth(objects) : objects;
    const found = Testing.findAll(list, kind).filter((o) => name === undefined || o.metadata?.name === name);
    if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}: ${list.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
    return found[0];
  }

  /** Every object of a kind, in output order (typed for built-in kinds). */
  public static findAll<K extends KnownKind>(objects: readonly KubeObject[] | Chart, kind: K): Synthesized<KubeKinds[K]>[];
  public static findAll(objects: readonly KubeObject[] | Chart, kind: string): KubeObject[];
  public static findAll(objects: readonly KubeObject[] | Chart, kind: string): KubeObject[] {
    const list = Chart.isChart(objects) ? Testing.synth(objects) : objects;
    return list.filter((o) => o.kind === kind);
  }

  /** Construct problems only (no schema check): cheap, for prop validation tests. */
  public static constructProblems(scope: IConstruct): Problem[] {
    return constructProblems(scope.node.root);
  }
}

import { IConstruct } from 'constructs';
import { KubeObject } from '../core/manifests';
import { ChartOutput, renderCharts } from '../core/synth';
import { buildGraph, Graph, nodeId } from './model';

/** What `buildGraph` needs to draw a construct tree: the objects, and where each came from. */
export interface ConstructGraphInput {
  /** Every object of every chart. */
  readonly objects: KubeObject[];
  /** Construct path by node id. */
  readonly constructPaths: Map<string, string>;
  /** Construct class name by construct path, for group captions. */
  readonly constructTypes: Map<string, string>;
}

/**
 * Collects objects and construct paths from rendered charts. Class names are read from the tree so
 * a group says `PodService podservice/hello` rather than only the path.
 */
export function graphInputFromCharts(outputs: readonly ChartOutput[], root?: IConstruct): ConstructGraphInput {
  const objects: KubeObject[] = [];
  const constructPaths = new Map<string, string>();
  for (const o of outputs) {
    for (const s of o.objects) {
      objects.push(s.object);
      constructPaths.set(nodeId(s.object), s.path);
    }
  }
  const constructTypes = new Map<string, string>();
  for (const c of (root ?? outputs[0]?.chart.node.root)?.node.findAll() ?? []) {
    if (c.node.path) constructTypes.set(c.node.path, c.constructor.name);
  }
  return { objects, constructPaths, constructTypes };
}

/** The graph of a cdk8s app (every chart), grouped by the constructs that made the objects. */
export function graphOfApp(app: IConstruct): Graph {
  const input = graphInputFromCharts(renderCharts(app), app);
  return buildGraph(input.objects, { constructPaths: input.constructPaths, constructTypes: input.constructTypes });
}

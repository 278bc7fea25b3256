import { partition } from './mermaid';
import { areaOf, Graph, GraphEdge, GraphNode, NodeShape } from './model';

/** Options of `toDot`. */
export interface DotOptions {
  /** Font family for every label; the PNG renderer sets the font it loaded. @default "Helvetica" */
  readonly fontName?: string;
}

/**
 * Graphviz DOT text of a graph: a cluster per namespace, a nested cluster per parent construct,
 * node shapes by kind, missing objects dashed. Node ids are the object ids, quoted.
 */
export function toDot(graph: Graph, options: DotOptions = {}): string {
  const font = dotString(options.fontName ?? 'Helvetica');
  const lines = [
    'digraph dockyard {',
    '  rankdir=LR;',
    `  graph [fontname=${font}, fontsize=12];`,
    `  node [fontname=${font}, fontsize=11];`,
    `  edge [fontname=${font}, fontsize=10];`,
  ];
  const groupLabel = new Map(graph.groups.map((g) => [g.id, g.label]));
  let clusters = 0;
  for (const [area, nodes] of partition(graph.nodes, (n) => areaOf(n) ?? '')) {
    const indent = area === '' ? '  ' : '    ';
    if (area !== '') lines.push(`  subgraph cluster_${clusters++} {`, `    label=${dotString(`namespace ${area}`)}; style="rounded"; color="#607d8b";`);
    for (const [group, members] of partition(nodes, (n) => n.group ?? '')) {
      const inner = group === '' ? indent : `${indent}  `;
      if (group !== '') lines.push(`${indent}subgraph cluster_${clusters++} {`, `${inner}label=${dotString(groupLabel.get(group) ?? group)}; style="dashed"; color="#90a4ae";`);
      for (const n of members) lines.push(`${inner}${dotString(n.id)} [${nodeAttrs(n)}];`);
      if (group !== '') lines.push(`${indent}}`);
    }
    if (area !== '') lines.push('  }');
  }
  for (const e of graph.edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${edgeAttrs(e)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

const SHAPE: Record<NodeShape, string> = {
  workload: 'shape=box, style="rounded,filled", fillcolor="#e3f2fd"',
  service: 'shape=box, style="rounded,filled", peripheries=2, fillcolor="#e8f5e9"',
  config: 'shape=cylinder, style="filled", fillcolor="#fff8e1"',
  secret: 'shape=cylinder, style="filled", fillcolor="#fce4ec"',
  ingress: 'shape=hexagon, style="filled", fillcolor="#f3e5f5"',
  namespace: 'shape=folder',
  parent: 'shape=component',
  other: 'shape=box',
};

function nodeAttrs(n: GraphNode): string {
  const label = `${n.kind}\n${n.name}${n.missing ? '\n(missing)' : ''}`;
  const look = n.missing ? `shape=${SHAPE[n.shape].match(/shape=(\w+)/)![1]}, style="dashed", color="#9e9e9e", fontcolor="#616161"` : SHAPE[n.shape];
  return `label=${dotString(label)}, ${look}`;
}

function edgeAttrs(e: GraphEdge): string {
  const attrs: string[] = [];
  if (e.label) attrs.push(`label=${dotString(e.label)}`);
  if (e.missing) attrs.push('style="dashed"', 'color="#9e9e9e"');
  else if (e.relation === 'owns') attrs.push('style="bold"');
  return attrs.length ? ` [${attrs.join(', ')}]` : '';
}

/** A DOT double-quoted string (newlines become DOT's centred line breaks). */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

import { areaOf, Graph, GraphEdge, GraphNode, NodeShape } from './model';

/**
 * Mermaid flowchart text of a graph (`flowchart LR`), the format that pastes into a README or a pull
 * request: a subgraph per namespace, one inside it per parent construct, node shapes by kind, missing
 * objects dashed. Ids are derived from object ids, so a change to one object changes only its lines.
 */
export function toMermaid(graph: Graph): string {
  const ids = safeIds(graph.nodes.map((n) => n.id), 'n_');
  const lines = ['flowchart LR'];
  const byArea = partition(graph.nodes, (n) => areaOf(n) ?? '');
  const areaIds = safeIds([...byArea.keys()].filter((a) => a !== ''), 'ns_');
  const groupIds = safeIds(graph.groups.map((g) => g.id), 'g_');
  const groupLabel = new Map(graph.groups.map((g) => [g.id, g.label]));
  for (const [area, nodes] of byArea) {
    const indent = area === '' ? '  ' : '    ';
    if (area !== '') lines.push(`  subgraph ${areaIds.get(area)}["namespace ${text(area)}"]`);
    for (const [group, members] of partition(nodes, (n) => n.group ?? '')) {
      const inner = group === '' ? indent : `${indent}  `;
      if (group !== '') lines.push(`${indent}subgraph ${groupIds.get(group)}["${text(groupLabel.get(group) ?? group)}"]`);
      for (const n of members) lines.push(`${inner}${ids.get(n.id)}${mermaidShape(n.shape, label(n))}`);
      if (group !== '') lines.push(`${indent}end`);
    }
    if (area !== '') lines.push('  end');
  }
  for (const e of graph.edges) lines.push(`  ${ids.get(e.from)} ${arrow(e)} ${ids.get(e.to)}`);
  const missing = graph.nodes.filter((n) => n.missing).map((n) => ids.get(n.id));
  lines.push(...CLASS_DEFS);
  for (const [cls, list] of partition(graph.nodes.filter((n) => !n.missing && CLASSED.has(n.shape)), (n) => n.shape)) {
    lines.push(`  class ${list.map((n) => ids.get(n.id)).join(',')} ${cls}`);
  }
  if (missing.length) lines.push(`  class ${missing.join(',')} missing`);
  return lines.join('\n') + '\n';
}

const CLASSED = new Set<NodeShape>(['workload', 'service', 'config', 'secret', 'ingress']);

// Light fills that read on both GitHub themes; missing objects are dashed and grey.
const CLASS_DEFS = [
  '  classDef workload fill:#e3f2fd,stroke:#1565c0',
  '  classDef service fill:#e8f5e9,stroke:#2e7d32',
  '  classDef config fill:#fff8e1,stroke:#f9a825',
  '  classDef secret fill:#fce4ec,stroke:#ad1457',
  '  classDef ingress fill:#f3e5f5,stroke:#6a1b9a',
  '  classDef missing fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:5 5,color:#616161',
];

/** Node text: kind over name, and a note when the object is missing. */
function label(n: GraphNode): string {
  return `${text(n.kind)}<br/>${text(n.name)}${n.missing ? '<br/>(missing)' : ''}`;
}

/** Mermaid's node syntax for a shape, around a quoted label. */
export function mermaidShape(s: NodeShape, l: string): string {
  switch (s) {
    case 'workload': return `("${l}")`;
    case 'service': return `(["${l}"])`;
    case 'config':
    case 'secret': return `[("${l}")]`;
    case 'ingress': return `{{"${l}"}}`;
    case 'parent': return `[["${l}"]]`;
    case 'namespace': return `[/"${l}"/]`;
    default: return `["${l}"]`;
  }
}

function arrow(e: GraphEdge): string {
  const body = e.missing ? '-.->' : e.relation === 'owns' ? '==>' : '-->';
  return e.label ? `${body}|"${text(e.label)}"|` : body;
}

/** Escapes text for a quoted Mermaid label (entity codes, as Mermaid documents). */
function text(s: string): string {
  return s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Mermaid-safe, collision-free ids for a sorted list of keys. */
export function safeIds(keys: readonly string[], prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const k of [...keys].sort()) {
    const base = prefix + k.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '');
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    out.set(k, id);
  }
  return out;
}

/** Splits a list by key, keys sorted ('' first), keeping each part's order. */
export function partition<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const k of [...new Set(items.map(key))].sort()) m.set(k, []);
  for (const i of items) m.get(key(i))!.push(i);
  return m;
}

/**
 * Text rendering of a StatusReport: the workload table, then drift with the command that repairs it.
 * Pure: `dockyard status` prints what these return (and `--watch` reprints it in place).
 */
import { DriftItem, StatusReport, WorkloadRow } from './status';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units with one decimal (`1.5MiB`), as `docker stats` prints them. */
export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${Math.round(v)}B` : `${v.toFixed(1)}${UNITS[i]}`;
}

/** A percentage with two decimals under 10 %, one above (`0.25%`, `25.5%`). */
export function formatPercent(p: number): string {
  return `${p < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** `Kind/name` for the default namespace, `Kind/namespace/name` otherwise; relays get ` (relay)`. */
export function displayObject(object: string, role = 'workload'): string {
  const parts = object.split('/');
  const base = parts.length === 3 && parts[1] === 'default' ? `${parts[0]}/${parts[2]}` : object;
  return role === 'proxy' ? `${base} (relay)` : base;
}

/** The CPU cell: `12.0% / 25%` against the limit, `12.0%` without one, `-` when not sampled. */
export function cpuCell(r: Pick<WorkloadRow, 'cpuPercent' | 'cpuLimitPercent'>): string {
  if (r.cpuPercent === undefined) return '-';
  return r.cpuLimitPercent === undefined ? formatPercent(r.cpuPercent) : `${formatPercent(r.cpuPercent)} / ${Math.round(r.cpuLimitPercent * 10) / 10}%`;
}

/** The memory cell: `1.2MiB / 32.0MiB (3.8%)` against the limit, `1.2MiB` without one, `-` when not sampled. */
export function memoryCell(r: Pick<WorkloadRow, 'memoryBytes' | 'memoryLimitBytes'>): string {
  if (r.memoryBytes === undefined) return '-';
  if (!r.memoryLimitBytes) return `${formatBytes(r.memoryBytes)} (no limit)`;
  return `${formatBytes(r.memoryBytes)} / ${formatBytes(r.memoryLimitBytes)} (${formatPercent((100 * r.memoryBytes) / r.memoryLimitBytes)})`;
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** One drift line: `  stopped  it-web-2  (Deployment/web): is stopped ...`. */
export function driftLine(d: DriftItem, nameWidth = 0): string {
  return `  ${d.kind.padEnd(11)} ${d.name.padEnd(nameWidth)}  (${displayObject(d.object)}): ${d.message}`;
}

/** The whole text view of one refresh. */
export function renderStatus(report: StatusReport, engine?: string): string {
  const time = report.time.slice(11, 19);
  let out = `project ${report.project}${engine ? ` on ${engine}` : ''} at ${time} UTC\n`;
  if (report.workloads.length === 0) {
    out += `${report.project}: no containers${report.comparedWithManifests ? ' and nothing in the manifests' : ''}\n`;
  } else {
    const head = ['WORKLOAD', 'READY', 'HEALTH', 'RESTARTS', 'CPU', 'MEMORY', 'PORTS'];
    const rows = report.workloads.map((r) => [
      displayObject(r.object, r.role) + (r.drift ? ' !' : ''),
      `${r.running}/${r.desired}`,
      r.health,
      String(r.restarts),
      cpuCell(r),
      memoryCell(r),
      r.ports.join(', ') || '-',
    ]);
    out += table([head, ...rows]);
  }
  if (report.drift.length === 0) {
    out += report.comparedWithManifests ? 'no drift: the engine runs what the manifests say\n' : 'no drift seen in the labels (pass the manifests to also compare specs and replica counts)\n';
    return out;
  }
  out += `drift (${report.drift.length}):\n`;
  const w = Math.max(...report.drift.map((d) => d.name.length));
  for (const d of report.drift) out += `${driftLine(d, w)}\n`;
  const fixes = [...new Set(report.drift.map((d) => d.fix))];
  out += fixes.length === 1 ? `repair: ${fixes[0]}\n` : `repair:\n${fixes.map((f) => `  ${f}`).join('\n')}\n`;
  return out;
}

/**
 * Units and shared types of the compose mapping: durations, sizes, CPUs, commands, and the
 * Note/Mapped result shape every mapping function returns.
 */
import type { ProblemDetail } from '../core/errors';
import type { FieldPath } from '../core/field-path';

/**
 * Something the mapping dropped or changed: a problem at a key path relative to the service, before
 * the plan locates it (`where` = file:line, `fieldPath` = the key from the top of the file).
 */
export interface Note extends ProblemDetail {
  /** Key path under the service (`['deploy', 'update_config', 'monitor']`). */
  readonly key: FieldPath;
  /** What happened and why, in one or two sentences. */
  readonly message: string;
  /** How to fix it (errors always have one). @default - none (a warning) */
  readonly fix?: string;
}

/** A mapping result with its notes. */
export interface Mapped<T> {
  readonly value: T;
  readonly notes: Note[];
  /** Input that cannot be converted at all (wrong syntax); the caller turns these into errors. */
  readonly errors?: Note[];
}

// ---------------------------------------------------------------------------------------------
// Scalars: durations, sizes, CPUs, commands

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go/compose duration (`1m30s`, `500ms`, `10s`) in seconds; undefined when malformed. */
export function parseDuration(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'number') return text;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) { total += Number(m[1]) * DURATION_UNITS[m[2]]; end = re.lastIndex; }
  return end === s.length && end > 0 ? total : undefined;
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** A compose size (`512M`, `1g`, `2048`; Docker's units are powers of 1024) in bytes. */
export function parseBytes(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'number') return text;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? BYTE_UNITS[m[2].toLowerCase()] : undefined;
  return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : undefined;
}

/** Bytes as a Kubernetes quantity, in the largest binary unit that divides it (`512Mi`). */
export function memoryQuantity(bytes: number): string {
  for (const [suffix, size] of [['Ti', 1024 ** 4], ['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

/** Compose `cpus` (`0.5`, `'2'`) as a Kubernetes quantity (`500m`, `2`); undefined when malformed. */
export function cpuQuantity(cpus: string | number | undefined): string | undefined {
  if (cpus === undefined) return undefined;
  const n = Number(cpus);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const milli = Math.round(n * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Splits a command string like a POSIX shell does (quotes and backslashes), as compose does. */
export function shellSplit(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") { quote = c; has = true; }
    else if (c === '\\' && i + 1 < text.length) { cur += text[++i]; has = true; }
    else if (/\s/.test(c)) { if (has || cur) out.push(cur); cur = ''; has = false; }
    else cur += c;
  }
  if (has || cur) out.push(cur);
  return out;
}

/**
 * A compose `command`/`entrypoint` as a Kubernetes list. Kubernetes expands `$(VAR)` in them and
 * compose does not, so a literal `$(` is escaped as `$$(` to keep its meaning.
 */
export function commandList(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v.map(String) : shellSplit(v);
  return list.map((a) => a.replace(/\$\(/g, '$$$$('));
}

/** Copies an object without its undefined fields (so generated code and YAML stay minimal). */
export function dropUndefined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Readers of untyped JSON (objects as YAML or a user's code gave them), one definition each: the
 * schema, the API-server rules, the IR toolkit, policy and graph read objects that may not pass the
 * schema, so each reader tolerates wrong types instead of throwing.
 */
import type { FieldPath } from './field-path';

/** True for a JSON mapping (not null, not a list). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as a mapping, or undefined. */
export function asMap(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined;
}

/** The value as a list, or an empty list. */
export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value at `path` inside `obj` (through mappings and lists), or undefined. */
export function getIn(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** The string values of a mapping (labels, annotations, a selector); other values are left out. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const k of Object.keys(v)) if (typeof v[k] === 'string') out[k] = v[k] as string;
  return out;
}

/**
 * Sets `obj[key]` to `value` unless it is undefined; returns `obj`. A body built with it in key order
 * is already as render writes it (keys sorted, no undefined fields), so render need not copy it.
 */
export function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): T {
  if (value !== undefined) obj[key] = value;
  return obj;
}

/** A copy of a mapping with its keys in sorted order (labels merged from several places, for a body). */
export function sortedCopy<T>(v: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(v).sort()) out[k] = v[k];
  return out;
}

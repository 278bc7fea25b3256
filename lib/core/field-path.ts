/** One step of a field path: a field name or a list index. */
export type FieldPathPart = string | number;

/** A field path as parts: `['spec', 'containers', 0, 'image']`. */
export type FieldPath = readonly FieldPathPart[];

/** A field path as messages show it: `spec.template.spec.containers[0].image` (`(root)` when empty). */
export function formatFieldPath(parts: readonly FieldPathPart[]): string {
  let s = '';
  for (const p of parts) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(root)';
}

/** The parts of a formatted field path (the inverse of `formatFieldPath`; `(root)` is no part). */
export function parseFieldPath(text: string): FieldPathPart[] {
  if (text === '(root)' || text === '') return [];
  return text.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

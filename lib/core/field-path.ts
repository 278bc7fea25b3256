/** One step of a field path: a field name or a list index. */
export type FieldPathPart = string | number;

/** A field path inside an object, like `['spec', 'template', 'spec', 'containers', 0, 'image']`. */
export type FieldPath = readonly FieldPathPart[];

/** A field path as messages show it: `spec.template.spec.containers[0].image` (`(root)` when empty). */
export function formatFieldPath(parts: FieldPath): string {
  let s = '';
  for (const p of parts) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(root)';
}

/** The parts of a formatted field path (the inverse of `formatFieldPath`; `(root)` is no part). */
export function parseFieldPath(text: string): FieldPathPart[] {
  if (text === '(root)' || text === '') return [];
  return text.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The parts of a JSON Pointer (`/spec/ports/0`, what ajv reports as `instancePath`); digits become indexes. */
export function parseJsonPointer(pointer: string): FieldPathPart[] {
  if (pointer === '') return [];
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

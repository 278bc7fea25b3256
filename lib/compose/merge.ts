import { kid, LocNode } from './locations';
import { isObj, Json, Obj } from './yaml-file';

/**
 * Compose override semantics, for `-f a.yml -f b.yml` and for `extends`: mappings merge key by key,
 * scalars and `command`/`entrypoint`/`healthcheck.test` are replaced, service `volumes` merge by
 * target path, other lists are extended without duplicates. Locations follow the values, so a
 * warning names the file that set the key last. Cost is linear in what is merged.
 */

/** A value with its location tree. */
export interface Located<T extends Json = Json> {
  readonly value: T;
  readonly loc?: LocNode;
}

/** Keys whose lists an override replaces instead of extending (compose merge rules). */
const REPLACED = new Set(['command', 'entrypoint', 'test']);

/** Merges `b` over `a`; `at` is the key path (it decides the list rules). */
export function mergeValue(a: Located | undefined, b: Located, at: readonly string[] = []): Located {
  if (!a) return b;
  const last = at[at.length - 1] ?? '';
  if (isObj(a.value) && isObj(b.value)) {
    const res: Obj = { ...a.value };
    const kids = new Map(a.loc?.kids ?? []);
    for (const [k, v] of Object.entries(b.value)) {
      const m = k in a.value ? mergeValue({ value: a.value[k], loc: kid(a.loc, k) }, { value: v, loc: kid(b.loc, k) }, [...at, k]) : { value: v, loc: kid(b.loc, k) };
      res[k] = m.value;
      if (m.loc) kids.set(k, m.loc); else kids.delete(k);
    }
    return { value: res, loc: { at: b.loc?.at ?? a.loc?.at, kids } };
  }
  if (Array.isArray(a.value) && Array.isArray(b.value) && !REPLACED.has(last)) {
    const res = [...a.value];
    const kids = new Map(a.loc?.kids ?? []);
    const isVolumes = at.length === 3 && at[0] === 'services' && at[2] === 'volumes';
    const keyOf = (x: Json) => (isVolumes ? volumeTarget(x) ?? JSON.stringify(x) : JSON.stringify(x));
    const index = new Map<string, number>();
    res.forEach((x, i) => { const k = keyOf(x); if (!index.has(k)) index.set(k, i); });
    b.value.forEach((item, j) => {
      const k = keyOf(item);
      let i = index.get(k);
      if (i === undefined) { i = res.push(item) - 1; index.set(k, i); } else res[i] = item;
      const l = kid(b.loc, j);
      if (l) kids.set(String(i), l);
    });
    return { value: res, loc: { at: b.loc?.at ?? a.loc?.at, kids } };
  }
  return b;
}

/** The container path of a volume entry (short or long syntax). */
export function volumeTarget(v: Json): string | undefined {
  if (typeof v === 'string') {
    const parts = v.split(':');
    return parts.length === 1 ? parts[0] : parts[1];
  }
  return isObj(v) && typeof v.target === 'string' ? v.target : undefined;
}

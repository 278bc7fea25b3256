import { isMap, isPair, isScalar, isSeq, Node } from 'yaml';

/**
 * Where each key of a compose file came from, as a tree that mirrors the value (`services` ->
 * `web` -> `ports` -> `0`). Merging files and resolving `extends` graft and replace whole subtrees,
 * so each step costs what it touches, not the size of the project (a flat `a/b/c` map needed a scan
 * of every key per merged key: quadratic in the number of services). Nodes are never changed once
 * built: merges make new nodes and share the untouched subtrees.
 */
export interface LocNode {
  /** `file:line:col` of this key (or list item). */
  readonly at?: string;
  /** Children by key (list items by index as a string). */
  readonly kids?: ReadonlyMap<string, LocNode>;
}

/** A child of a node, if any. */
export function kid(node: LocNode | undefined, key: string | number): LocNode | undefined {
  return node?.kids?.get(String(key));
}

/** A node with one child replaced (or added); `undefined` removes it. */
export function withKid(node: LocNode | undefined, key: string, child: LocNode | undefined): LocNode {
  const kids = new Map(node?.kids ?? []);
  if (child) kids.set(key, child); else kids.delete(key);
  return { at: node?.at, kids };
}

/** The node at a path, if any. */
export function nodeAt(root: LocNode | undefined, path: readonly (string | number)[]): LocNode | undefined {
  let n = root;
  for (const p of path) { n = kid(n, p); if (!n) return undefined; }
  return n;
}

/** `root` with the node at `path` replaced (parents are created as needed). */
export function setAt(root: LocNode | undefined, path: readonly string[], node: LocNode | undefined): LocNode {
  if (path.length === 0) return node ?? {};
  const [head, ...rest] = path;
  return withKid(root, head, setAt(kid(root, head), rest, node));
}

/** Builds the location tree of a YAML node; `where` turns a source offset into `file:line:col`. */
export function locationsOf(node: Node | null | undefined, where: (offset?: number) => string, at?: string): LocNode {
  const kids = new Map<string, LocNode>();
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      kids.set(key, locationsOf(pair.value as Node | null, where, where((pair.key as Node | null)?.range?.[0])));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => kids.set(String(i), locationsOf(item as Node | null, where, where((item as Node | null)?.range?.[0]))));
  }
  return kids.size ? { at, kids } : { at };
}

/** The flat `a/b/c -> file:line:col` record the model carries (one walk over the tree). */
export function flatten(root: LocNode, out: Record<string, string> = {}, prefix = ''): Record<string, string> {
  for (const [k, n] of root.kids ?? []) {
    const p = prefix ? `${prefix}/${k}` : k;
    if (n.at) out[p] = n.at;
    if (n.kids) flatten(n, out, p);
  }
  return out;
}

/** `file:line:col` of a path, or of its nearest located parent, else `fallback`. */
export function locateNode(root: LocNode | undefined, path: readonly (string | number)[], fallback: string): string {
  let n = root;
  let best: string | undefined;
  for (const p of path) {
    n = kid(n, p);
    if (!n) break;
    if (n.at) best = n.at;
  }
  return best ?? fallback;
}

/**
 * The tree as the model's `a/b/c -> file:line:col` record, read through a proxy: a lookup walks the
 * tree, and the flat record (hundreds of thousands of keys for a big project) is only built if
 * something lists the keys.
 */
export function locationRecord(root: LocNode): Readonly<Record<string, string>> {
  let flat: Record<string, string> | undefined;
  const all = () => (flat ??= flatten(root));
  const lookup = (key: string | symbol): string | undefined => (typeof key === 'string' ? nodeAt(root, key.split('/'))?.at : undefined);
  return new Proxy({} as Record<string, string>, {
    get: (_t, key) => lookup(key),
    has: (_t, key) => lookup(key) !== undefined,
    ownKeys: () => Object.keys(all()),
    getOwnPropertyDescriptor: (_t, key) => {
      const value = lookup(key);
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
    },
    set: () => false,
    deleteProperty: () => false,
  });
}

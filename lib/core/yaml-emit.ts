import * as path from 'node:path';
import { Yaml } from 'cdk8s';

/**
 * A fast YAML emitter whose output is byte-identical to cdk8s' `Yaml.stringify` (the `yaml` package,
 * YAML 1.1 schema, `lineWidth: 0`, `keepUndefined: true`), which is where synth spent most of its time.
 *
 * It writes the common shape of Kubernetes objects directly (plain maps, lists, numbers, booleans,
 * null and strings) with the same decisions `yaml` makes: the scalar rules below are a port of its
 * `plainString`/`quotedString` for single-line strings, and it asks `yaml` itself for anything rarer
 * (multi-line strings, control characters, fractions). A document it cannot prove identical (shared
 * object references that `yaml` would turn into anchors, class instances, `toJSON`, very long or odd
 * keys, `|+` block scalars) is handed whole to `Yaml.stringify`. The tests compare both emitters on
 * the example apps, the benchmark apps and a randomized corpus of awkward strings.
 */

/** Thrown inside the fast path when a document needs the reference emitter. */
class Fallback extends Error {}
const FALLBACK = new Fallback('fallback');

interface TagTest { readonly test: RegExp }

let tagTests: TagTest[] | undefined;

/** The implicit-type tests of the YAML 1.1 schema `yaml` uses: a plain string matching one must be quoted. */
function schemaTags(): TagTest[] {
  if (tagTests) return tagTests;
  // The `yaml` package cdk8s' Yaml.stringify writes with (cdk8s bundles its own copy, already loaded
  // with cdk8s), so the rules are the reference emitter's and no second copy is loaded.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const YAML = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));
  const schema = new YAML.Document(null, { version: '1.1' }).schema;
  const all: any[] = [...schema.tags, ...(schema.compat ?? [])];
  // The merge tag is not a test here: yaml picks it for the string "<<" itself and writes it plain.
  tagTests = all.filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.tag !== 'tag:yaml.org,2002:merge' && t.test instanceof RegExp).map((t) => ({ test: t.test }));
  return tagTests;
}

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
// Copied from yaml's plainString: what a plain scalar may not start with, contain or end with.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOC_MARKER = /^(%|---|\.\.\.)/m;
const LETTER_START = /^[A-Za-z_/]/;

const implicitCache = new Map<string, boolean>();

/** True when a plain scalar `s` would be read back as another type (bool, null, number, time...). */
function looksTyped(s: string): boolean {
  if (s === '<<') return false;
  // Only the null/bool words (at most 5 letters) can match when the string starts with a letter.
  if (s.length > 5 && LETTER_START.test(s)) return false;
  let hit = implicitCache.get(s);
  if (hit === undefined) {
    hit = schemaTags().some((t) => { t.test.lastIndex = 0; return t.test.test(s); });
    if (implicitCache.size < 100000) implicitCache.set(s, hit);
  }
  return hit;
}

/** yaml's quotedString for a single-line string without control characters. */
function quoted(s: string): string {
  const hasDouble = s.includes('"');
  const hasSingle = s.includes("'");
  if (hasDouble && !hasSingle) return `'${s}'`;
  return JSON.stringify(s);
}

const memo = new Map<unknown, string>();

/** A scalar value as `yaml` writes it as a mapping value at the top level (`k: <here>`), from yaml itself. */
function referenceScalar(v: unknown): string {
  const key = typeof v === 'string' ? `s${v}` : v;
  let text = memo.get(key);
  if (text === undefined) {
    const out = Yaml.stringify({ k: v });
    if (!out.startsWith('k: ') || !out.endsWith('\n')) throw FALLBACK;
    text = out.slice(3, -1);
    const header = text.split('\n', 1)[0];
    // Keep-chomping block scalars (`|+`) change how the next line is joined: leave those to yaml.
    if (text.includes('\n') && (header[0] !== '|' || header.includes('+'))) throw FALLBACK;
    if (memo.size < 10000) memo.set(key, text);
  }
  return text;
}

/** A string as a value in block context (a mapping value or a list item). */
function stringValue(s: string, indent: string): string {
  if (s.includes('\n') || CONTROL.test(s)) {
    const text = referenceScalar(s);
    // Block scalar lines sit two spaces right of their owner; the reference was made at indent ''.
    return text.includes('\n') ? text.replace(/\n(?=[^\n])/g, `\n${indent}`) : text;
  }
  if (s === '' || NOT_PLAIN.test(s) || looksTyped(s)) return quoted(s);
  return s;
}

/** A mapping key (an implicit key: plain when it can be, else quoted; odd keys go to yaml). */
function keyText(k: string): string {
  if (k.includes('\n') || CONTROL.test(k) || DOC_MARKER.test(k) || k.length > 1000) throw FALLBACK;
  if (k === '' || NOT_PLAIN.test(k) || looksTyped(k)) return quoted(k);
  return k;
}

function scalarText(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string': return stringValue(v, indent);
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return Number.isInteger(v) && !Object.is(v, -0) ? String(v) : referenceScalar(v);
    case 'undefined': return 'null';
    default:
      if (v === null) return 'null';
      throw FALLBACK;
  }
}

/** 0 for scalars and empty collections (written inline), 1 for a non-empty mapping, 2 for a non-empty list. */
type Kind = 0 | 1 | 2;

/** A key's text (`key:`, and `key: ` before a scalar), cached: Kubernetes objects repeat the same few hundred keys. */
const keyCache = new Map<string, readonly [string, string]>();

function cachedKeys(k: string): readonly [string, string] {
  let texts = keyCache.get(k);
  if (texts === undefined) {
    const text = keyText(k) + ':';
    texts = [text, text + ' '];
    if (keyCache.size < 50000) keyCache.set(k, texts);
  }
  return texts;
}

/** True for the common plain strings (names, images, paths, quantities) without running the regexes. */
function simplePlain(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const c0 = s.charCodeAt(0);
  // first character: a letter, "_" or "/" (digits, dots and signs may read as numbers: use the slow path)
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95 || c0 === 47)) return false;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 47) continue;
    // ":" is plain unless followed by a space or last; a space never reaches here
    if (c === 58 && i < n - 1) continue;
    return false;
  }
  return n > 5 || !looksTyped(s);
}

/** Indentation strings by depth, made once: `INDENT[d]` is 2d spaces. */
const INDENT: string[] = [''];
function indentAt(depth: number): string {
  while (INDENT.length <= depth) INDENT.push(INDENT[INDENT.length - 1] + '  ');
  return INDENT[depth];
}


/**
 * Writes one document as a list of pieces joined once at the end: appending to one string would
 * keep a tree of some hundred intermediate strings per document alive until the file is joined.
 */
class Emitter {
  private readonly seen = new Set<object>();
  private readonly parts: string[] = [];

  /** The kind of a value; throws to fall back for anything yaml would write differently. */
  private kind(v: unknown): Kind {
    if (v === null || typeof v !== 'object') return 0;
    // yaml turns a second reference to the same object into an alias (&a1/*a1).
    if (this.seen.has(v)) throw FALLBACK;
    this.seen.add(v);
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) throw FALLBACK;
      return v.length ? 2 : 0;
    }
    const proto = Object.getPrototypeOf(v);
    if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') throw FALLBACK;
    for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return 1;
    return 0;
  }

  private inline(v: unknown, indent: string): string {
    if (typeof v === 'string') return simplePlain(v) ? v : stringValue(v, indent);
    if (v !== null && typeof v === 'object') return Array.isArray(v) ? '[]' : '{}';
    return scalarText(v, indent);
  }

  /** The pairs of a non-empty mapping; the first continues the current line, the rest start at indentation `depth`. */
  map(obj: Record<string, unknown>, depth: number): void {
    const parts = this.parts;
    const indent = indentAt(depth);
    let first = true;
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      const v = obj[k];
      if (!first) parts.push(indent);
      first = false;
      const kind = this.kind(v);
      if (kind === 0) {
        parts.push(cachedKeys(k)[1], this.inline(v, indent), '\n');
      } else {
        parts.push(cachedKeys(k)[0], '\n', indentAt(depth + 1));
        if (kind === 1) this.map(v as Record<string, unknown>, depth + 1);
        else this.list(v as unknown[], depth + 1);
      }
    }
  }

  /** The items of a non-empty list; the first continues the current line, the rest start at indentation `depth`. */
  list(items: unknown[], depth: number): void {
    const parts = this.parts;
    const indent = indentAt(depth);
    for (let i = 0; i < items.length; i++) {
      const v = items[i];
      if (i > 0) parts.push(indent);
      parts.push('- ');
      const kind = this.kind(v);
      if (kind === 1) this.map(v as Record<string, unknown>, depth + 1);
      else if (kind === 2) this.list(v as unknown[], depth + 1);
      else parts.push(this.inline(v, indent), '\n');
    }
  }

  document(doc: unknown): string {
    const kind = this.kind(doc);
    if (kind === 1) this.map(doc as Record<string, unknown>, 0);
    else if (kind === 2) this.list(doc as unknown[], 0);
    else throw FALLBACK; // scalar and empty documents are rare: let yaml write them
    return this.parts.join('');
  }
}

/** The fast emitter's text for one document, or undefined when only `yaml` can write it identically. */
export function emitDocumentFast(doc: unknown): string | undefined {
  try {
    return new Emitter().document(doc);
  } catch (e) {
    if (e !== FALLBACK) throw e;
    return undefined;
  }
}

/** One document as cdk8s writes it. */
export function stringifyDocument(doc: unknown): string {
  if (doc === undefined) return '\n';
  return emitDocumentFast(doc) ?? Yaml.stringify(doc);
}

/** Byte-identical to cdk8s' `Yaml.stringify(...docs)`: the documents separated by `---`. */
export function stringifyYaml(docs: readonly unknown[]): string {
  return docs.map(stringifyDocument).join('---\n');
}

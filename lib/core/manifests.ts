import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { DockyardError, Problem } from './errors';

/** The yaml package, loaded on first parse: it takes ~0.1 s to load, which a cached re-deploy never needs. */
function yamlLib(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return require('yaml');
}

/** A Kubernetes API object as plain JSON (the IR every target reads). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [key: string]: unknown;
}

/** An object read from a manifest, with where it came from. */
export interface LoadedObject {
  /** The object itself. */
  readonly object: KubeObject;
  /** File it came from (`-` for stdin, `<chart>` for in-memory objects). */
  readonly file: string;
  /** 1-based line where the object's YAML document starts. */
  readonly line: number;
  /** 1-based line of a field inside the object (`['spec', 'ports', 0]`), or the document line. */
  lineOf(fieldPath: readonly (string | number)[]): number;
}

/** `Kind/name` (with `namespace/` before the name when it has one), for messages. */
export function describeObject(o: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }): string {
  const kind = typeof o.kind === 'string' ? o.kind : '<no kind>';
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '<no name>';
  const ns = typeof o.metadata?.namespace === 'string' ? `${o.metadata.namespace}/` : '';
  return `${kind}/${ns}${name}`;
}

/** Where a loaded object is, as `file:line`. */
export function locate(o: LoadedObject, fieldPath?: readonly (string | number)[]): string {
  return `${o.file}:${fieldPath ? o.lineOf(fieldPath) : o.line}`;
}

const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

/** Expands inputs (files, folders, `-`) into a sorted list of manifest files; folders are walked. */
export function expandInputs(inputs: readonly string[]): string[] {
  const problems: Problem[] = [];
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') { out.push('-'); continue; }
    let st: fs.Stats;
    try { st = fs.statSync(input); } catch {
      problems.push({ where: input, message: 'no such file or folder', fix: 'check the path (relative paths start from the current folder)' });
      continue;
    }
    if (st.isDirectory()) {
      const found = walk(input);
      if (found.length === 0) problems.push({ where: input, message: 'folder holds no .yaml, .yml or .json file', fix: 'point at a folder of manifests, e.g. dist/' });
      out.push(...found);
    } else out.push(input);
  }
  if (problems.length) throw new DockyardError(problems);
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (!e.name.startsWith('.')) out.push(...walk(p)); } else if (MANIFEST_EXT.has(path.extname(e.name))) out.push(p);
  }
  return out;
}

/** Parses YAML (or JSON) text holding one or more documents into located objects. */
export function parseManifests(text: string, file: string): LoadedObject[] {
  const { LineCounter, parseAllDocuments, isMap, isNode, isScalar } = yamlLib();
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  const out: LoadedObject[] = [];
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [docs as unknown as Document.Parsed];
  for (const doc of list) {
    for (const err of doc.errors) {
      const pos = lc.linePos(err.pos[0]);
      problems.push({ where: `${file}:${pos.line}:${pos.col}`, message: `invalid YAML: ${err.message.split('\n')[0]}`, fix: 'fix the YAML syntax at this position' });
    }
    if (doc.errors.length) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // toJS throws (not doc.errors) for an alias without its anchor and for alias bombs.
      problems.push({ where: `${file}:${aliasLine(doc, lc)}`, message: `invalid YAML: ${(e as Error).message}`, fix: 'define the anchor (&name) before its alias (*name), and do not nest aliases deeply' });
      continue;
    }
    if (value === null || value === undefined) continue; // empty document between `---`
    const startLine = doc.contents && isNode(doc.contents) && doc.contents.range ? lc.linePos(doc.contents.range[0]).line : 1;
    const items: unknown[] = isList(value) ? (value as { items: unknown[] }).items : [value];
    for (const item of items) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        problems.push({ where: `${file}:${startLine}`, message: 'document is not a Kubernetes object (a mapping with apiVersion and kind)', fix: 'each YAML document must be one object' });
        continue;
      }
      const obj = item as KubeObject;
      if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
        problems.push({ where: `${file}:${startLine}`, message: `object has no ${typeof obj.apiVersion !== 'string' ? 'apiVersion' : 'kind'}`, fix: 'add apiVersion and kind, e.g. "apiVersion: v1" and "kind: Service"' });
        continue;
      }
      const fromList = items.length > 1 || isList(value);
      const idx = items.indexOf(item);
      out.push({
        object: obj,
        file,
        line: startLine,
        lineOf: (fieldPath) => {
          const full = fromList ? ['items', idx, ...fieldPath] : [...fieldPath];
          for (let n = full.length; n > 0; n--) {
            // Point at the key of a mapping entry (the line a reader looks for), else at the value.
            const parent = doc.getIn(full.slice(0, n - 1), true);
            if (isMap(parent)) {
              const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === full[n - 1]);
              if (pair && isNode(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]).line;
            }
            const node = doc.getIn(full.slice(0, n), true);
            if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
          }
          return startLine;
        },
      });
    }
  }
  if (problems.length) throw new DockyardError(problems);
  return out;
}

/** Line of the first alias whose anchor is missing (or of the document), for toJS errors. */
function aliasLine(doc: Document.Parsed, lc: LineCounter): number {
  const { isNode, visit } = yamlLib();
  let line = doc.contents && isNode(doc.contents) && doc.contents.range ? lc.linePos(doc.contents.range[0]).line : 1;
  visit(doc, { Alias(_, node) {
    if (node.resolve(doc) === undefined && node.range) { line = lc.linePos(node.range[0]).line; return visit.BREAK; }
    return undefined;
  } });
  return line;
}

function isList(v: unknown): boolean {
  const o = v as { kind?: unknown; items?: unknown };
  return !!o && typeof o.kind === 'string' && /List$/.test(o.kind) && Array.isArray(o.items);
}

/** One manifest input as read: its name (`-` for stdin) and text. */
export interface InputText {
  /** File path as given (or found in a folder), `-` for stdin. */
  readonly file: string;
  /** Its content. */
  readonly text: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of manifest bytes. Invalid UTF-8 is an error naming `file:line:col` of the first bad byte:
 * decoding it to U+FFFD would change a value (a password, a key) in silence.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    let start = 0;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) { line++; start = i + 1; }
    const hex = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DockyardError({ where: `${file}:${line}:${at - start + 1}`, message: `is not valid UTF-8 (byte ${at}: ${hex})`, fix: 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), and put binary values in binaryData as base64' });
  }
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), or the length. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    // Lead byte: sequence length and the allowed range of the second byte (no overlongs, surrogates, > U+10FFFF).
    let n: number; let lo = 0x80; let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) { n = 2; if (c === 0xe0) lo = 0xa0; if (c === 0xed) hi = 0x9f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; if (c === 0xf0) lo = 0x90; if (c === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return i;
}

/** Standard input as strict UTF-8 text (named `-` in errors). */
export function readStdinUtf8(): string {
  return decodeUtf8(fs.readFileSync(0), '-');
}

/**
 * Reads the text of every manifest input (files, folders, `-`), in a stable order. Unreadable files
 * are returned as problems, so a caller can report them with the parse problems of the others.
 */
export function readInputs(inputs: readonly string[], stdin: () => string = readStdinUtf8): { texts: InputText[]; problems: Problem[] } {
  if (inputs.length === 0) throw new DockyardError({ where: 'arguments', message: 'no manifests given', fix: 'pass files, folders, or - for stdin (e.g. dist/)' });
  const out: InputText[] = [];
  const problems: Problem[] = [];
  for (const file of expandInputs(inputs)) {
    try {
      out.push({ file, text: file === '-' ? stdin() : decodeUtf8(fs.readFileSync(file), file) });
    } catch (e) {
      if (e instanceof DockyardError) { problems.push(...e.problems); continue; }
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      problems.push({ where: file, message: `cannot read it (${code})`, fix: 'check that the path is a readable file (a broken link or a folder is not)' });
    }
  }
  return { texts: out, problems };
}

/** Parses read inputs; every file's problems (and `earlier` ones, e.g. unreadable files) are reported together. */
export function parseInputs(texts: readonly InputText[], earlier: readonly Problem[] = []): LoadedObject[] {
  const out: LoadedObject[] = [];
  const problems: Problem[] = [...earlier];
  for (const { file, text } of texts) {
    try {
      out.push(...parseManifests(text, file));
    } catch (e) {
      if (e instanceof DockyardError) problems.push(...e.problems); else throw e;
    }
  }
  if (problems.length) throw new DockyardError(problems);
  return out;
}

/** Reads manifests from files, folders and `-` (stdin), in a stable order. */
export function loadManifests(inputs: readonly string[], stdin: () => string = readStdinUtf8): LoadedObject[] {
  const { texts, problems } = readInputs(inputs, stdin);
  return parseInputs(texts, problems);
}

/** Wraps in-memory objects (from a chart) as located objects, so targets read both the same way. */
export function fromObjects(objects: readonly KubeObject[], source = '<chart>'): LoadedObject[] {
  return objects.map((object, i) => ({ object, file: source, line: i + 1, lineOf: () => i + 1 }));
}

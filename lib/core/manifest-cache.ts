/**
 * Validated manifests, by content. A Docker command spends most of its start-up loading the yaml
 * package and kubernetes-models' validators (~0.2-0.3 s), though a re-deploy usually reads the very
 * same files. When the inputs and the code that parses and validates them are byte-identical to a run
 * that found them valid, the objects are read back from `node_modules/.cache/dockyard/manifests`
 * instead. Only valid input is stored; the line of a field (for a later error) is found by parsing
 * the text again, on demand. `DOCKYARD_MANIFEST_CACHE=off` turns it off.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputText, LoadedObject, parseInputs, parseManifests, readInputs } from './manifests';

/** Options of `loadValidatedManifests`. */
export interface ManifestCacheOptions {
  /** Reads stdin for `-`. @default - fs.readFileSync(0) */
  readonly stdin?: () => string;
  /** Cache folder. @default - node_modules/.cache/dockyard/manifests of this install */
  readonly dir?: string;
  /** What the entry depends on besides the inputs. @default - codeKey(): this code and the schema packages */
  readonly codeKey?: string;
  /** Entries kept; older ones are removed when a new one is written. @default 64 */
  readonly maxEntries?: number;
}

interface Entry {
  readonly objects: Array<{ readonly file: number; readonly index: number; readonly line: number; readonly object: LoadedObject['object'] }>;
}

/**
 * Loads manifests and runs `check` on them (it throws on invalid input), or returns the objects of an
 * earlier run over the same inputs whose check passed, without parsing or checking again.
 */
export function loadValidatedManifests(inputs: readonly string[], check: (loaded: LoadedObject[]) => void, options: ManifestCacheOptions = {}): LoadedObject[] {
  const { texts, problems } = readInputs(inputs, options.stdin);
  const dir = process.env.DOCKYARD_MANIFEST_CACHE === 'off' || problems.length ? undefined : options.dir ?? defaultDir();
  const file = dir ? path.join(dir, `${entryKey(texts, options.codeKey ?? codeKey())}.json`) : undefined;
  const hit = file ? readEntry(file, texts) : undefined;
  if (hit) return hit;
  const loaded = parseInputs(texts, problems);
  check(loaded);
  if (file) writeEntry(file, texts, loaded, options.maxEntries ?? 64);
  return loaded;
}

/** Hash of the files whose code decides what is parsed and what is valid, and of the schema packages' versions. */
export function codeKey(): string {
  const h = createHash('sha256');
  for (const f of [require.resolve('./manifests'), require.resolve('./schema'), __filename]) h.update(readOr(f));
  for (const pkg of ['yaml', 'kubernetes-models', '@kubernetes-models/base', 'cdk8s-plus-33']) {
    try { h.update(readOr(require.resolve(`${pkg}/package.json`))); } catch { h.update(`${pkg}:missing`); }
  }
  return h.digest('hex');
}

function entryKey(texts: readonly InputText[], code: string): string {
  const h = createHash('sha256').update(code);
  for (const t of texts) h.update(`\0${t.file}\0${t.text.length}\0`).update(t.text);
  return h.digest('hex').slice(0, 40);
}

function defaultDir(): string | undefined {
  try {
    return path.join(path.dirname(path.dirname(require.resolve('kubernetes-models/package.json'))), '.cache', 'dockyard', 'manifests');
  } catch {
    return undefined;
  }
}

const readOr = (f: string) => { try { return fs.readFileSync(f); } catch { return Buffer.from(`${f}:unreadable`); } };

/** The cached objects, or undefined when there is no usable entry (missing, unreadable, not matching). */
function readEntry(file: string, texts: readonly InputText[]): LoadedObject[] | undefined {
  let entry: Entry;
  try { entry = JSON.parse(fs.readFileSync(file, 'utf8')) as Entry; } catch { return undefined; }
  if (!entry || !Array.isArray(entry.objects) || entry.objects.some((o) => !texts[o?.file] || typeof o.line !== 'number' || !o.object)) return undefined;
  // Lines of fields need the parsed documents: parse a file again only if an error asks for one.
  const parsed = new Map<number, LoadedObject[]>();
  const reparse = (i: number) => {
    if (!parsed.has(i)) parsed.set(i, parseManifests(texts[i].text, texts[i].file));
    return parsed.get(i)!;
  };
  return entry.objects.map((o) => ({
    object: o.object,
    file: texts[o.file].file,
    line: o.line,
    lineOf: (fieldPath) => reparse(o.file)[o.index]?.lineOf(fieldPath) ?? o.line,
  }));
}

function writeEntry(file: string, texts: readonly InputText[], loaded: readonly LoadedObject[], maxEntries: number): void {
  const fileIndex = new Map(texts.map((t, i) => [t.file, i]));
  const seen = new Map<number, number>();
  const objects = loaded.map((l) => {
    const f = fileIndex.get(l.file)!;
    const index = seen.get(f) ?? 0;
    seen.set(f, index + 1);
    return { file: f, index, line: l.line, object: l.object };
  });
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ objects }));
    fs.renameSync(tmp, file);
    prune(path.dirname(file), maxEntries);
  } catch {
    // A cache that cannot be written is simply not used.
  }
}

function prune(dir: string, maxEntries: number): void {
  const entries = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  if (entries.length <= maxEntries) return;
  const byAge = entries.map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, entries.length - maxEntries)) fs.rmSync(path.join(dir, n), { force: true });
}

/**
 * Validated manifests, by content. A Docker command spends much of its start-up loading the yaml
 * package and the schema check, though a re-deploy usually reads the very same files. When the inputs and the code that parses and validates them are byte-identical to a run
 * that found them valid, the objects are read back from `node_modules/.cache/dockyard/manifests`
 * instead. Only valid input is stored; the line of a field (for a later error) is found by parsing
 * the text again, on demand. `DOCKYARD_MANIFEST_CACHE=off` turns it off.
 *
 * Secret values are never stored: a Secret is kept as its position in its file and parsed again from
 * the input on a hit. The folder is 0700 and entries 0600, owned by this user; a folder with looser
 * modes is tightened and emptied (an older version wrote 0644 entries), one owned by someone else
 * or behind a link is not used. Entries are keyed by content, not by project, so `destroy` leaves
 * nothing of a project's behind that the next deploy of other inputs would not prune.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputText, LoadedObject, parseInputs, parseManifests, readInputs } from './manifests';
import { schemaFile } from './schema-table';
import { writeFileAtomic } from './write-file';

/** Options of `loadValidatedManifests`. */
export interface ManifestCacheOptions {
  /** Reads stdin for `-`. @default - fs.readFileSync(0) */
  readonly stdin?: () => string;
  /** Cache folder. @default - node_modules/.cache/dockyard/manifests of this install */
  readonly dir?: string;
  /** What the entry depends on besides the inputs. @default - codeKey(): Dockyard's parse and schema code, its schema table and packages */
  readonly codeKey?: string;
  /** Entries kept; older ones are removed when a new one is written. @default 64 */
  readonly maxEntries?: number;
}

/** One cached object: the object itself, or (`secret`) only where to parse it again. */
interface EntryObject { readonly file: number; readonly index: number; readonly line: number; readonly object?: LoadedObject['object']; readonly secret?: true }

interface Entry {
  readonly objects: EntryObject[];
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

/** Dockyard's modules that decide what is parsed and what is valid (the parser, the schema check and its rules, this cache). */
const CODE = ['manifests', 'schema', 'schema-table', 'k8s-formats', 'api-rules', 'pod-template', 'crd-schema', 'naming', 'field-path', 'json'];
/**
 * The packages they run: the YAML parser and ajv (custom resources). What the build took from
 * kubernetes-models is in the schema table, which is hashed itself.
 */
const PACKAGES = ['yaml', 'ajv'];

/**
 * The files a cached result depends on: Dockyard's package.json (its version), its parse and schema
 * code, the schema table of the build (`k8s-schema.json`), and the package.json of each package that
 * code runs (their versions).
 */
export function codeKeyFiles(): string[] {
  // Beside this module, in the same form (.js when built, .ts when run from the sources).
  const code = CODE.map((m) => path.join(__dirname, `${m}${path.extname(__filename)}`));
  return [ownPackageJson(), schemaFile(), ...code, __filename, ...PACKAGES.map(packageJsonOf)];
}

/**
 * The package.json of an installed package, found as Node finds the package (the nearest
 * node_modules/<pkg> above this module); read directly, as some packages' `exports` hide it.
 */
function packageJsonOf(pkg: string): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', pkg, 'package.json');
    if (fs.existsSync(file)) return file;
  }
  return `${pkg}:missing`;
}

/** Hash of the files of `codeKeyFiles` (a missing one hashes as its name). */
export function codeKey(): string {
  const h = createHash('sha256');
  for (const f of codeKeyFiles()) h.update(`\0${f}\0`).update(readOr(f));
  return h.digest('hex');
}

/** Dockyard's package.json: the first one above this module (lib/core in a checkout, build/lib/core when built). */
function ownPackageJson(): string {
  for (let dir = path.dirname(__dirname); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return file;
  }
  return 'package.json:missing';
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

/** The cached objects, or undefined when there is no usable entry (missing, unreadable, not matching, not private). */
function readEntry(file: string, texts: readonly InputText[]): LoadedObject[] | undefined {
  if (!privateDir(path.dirname(file), false)) return undefined;
  let entry: Entry;
  try { entry = JSON.parse(readPrivateFile(file)) as Entry; } catch { return undefined; }
  if (!entry || !Array.isArray(entry.objects) || entry.objects.some((o) => !texts[o?.file] || typeof o.line !== 'number' || !(o.object || o.secret))) return undefined;
  // Lines of fields (and Secrets) need the parsed documents: parse a file again only when asked.
  const parsed = new Map<number, LoadedObject[]>();
  const reparse = (i: number) => {
    if (!parsed.has(i)) parsed.set(i, parseManifests(texts[i].text, texts[i].file));
    return parsed.get(i)!;
  };
  const out: LoadedObject[] = [];
  for (const o of entry.objects) {
    const object = o.secret ? reparse(o.file)[o.index]?.object : o.object;
    if (!object || (o.secret && object.kind !== 'Secret')) return undefined;
    out.push({ object, file: texts[o.file].file, line: o.line, lineOf: (fieldPath) => reparse(o.file)[o.index]?.lineOf(fieldPath) ?? o.line });
  }
  return out;
}

/** The text of a cache file that only this user can read; a wider one is removed (it may hold a Secret). */
function readPrivateFile(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || (st.mode & 0o077) !== 0 || !ownedByMe(st)) {
      fs.rmSync(file, { force: true });
      throw new Error('not a private cache file');
    }
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

const ownedByMe = (st: fs.Stats) => typeof process.getuid !== 'function' || st.uid === process.getuid();

/**
 * True when `dir` is a folder only this user can use (0700, owned by us, not a link). A folder
 * with looser modes is tightened and its entries removed; with `create`, a missing one is made 0700.
 */
export function privateDir(dir: string, create: boolean): boolean {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    if (!create) return false;
    try {
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.mkdirSync(dir, { mode: 0o700 });
      st = fs.lstatSync(dir);
    } catch {
      return false;
    }
  }
  if (!st.isDirectory() || !ownedByMe(st)) return false;
  if ((st.mode & 0o777) !== 0o700) {
    try {
      fs.chmodSync(dir, 0o700);
      // Entries written while the folder was open to others may hold Secret values (older versions).
      for (const n of fs.readdirSync(dir)) if (/\.json$|\.tmp/.test(n)) fs.rmSync(path.join(dir, n), { force: true });
    } catch {
      return false;
    }
  }
  return true;
}

function writeEntry(file: string, texts: readonly InputText[], loaded: readonly LoadedObject[], maxEntries: number): void {
  const fileIndex = new Map(texts.map((t, i) => [t.file, i]));
  const seen = new Map<number, number>();
  const objects: EntryObject[] = loaded.map((l) => {
    const f = fileIndex.get(l.file)!;
    const index = seen.get(f) ?? 0;
    seen.set(f, index + 1);
    // A Secret's values stay in the user's file only: on a hit it is parsed again from there.
    return l.object.kind === 'Secret' ? { file: f, index, line: l.line, secret: true } : { file: f, index, line: l.line, object: l.object };
  });
  try {
    if (!privateDir(path.dirname(file), true)) return;
    writeFileAtomic(file, JSON.stringify({ objects }), { secret: true });
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

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { addProblems } from '../core/construct-problems';
import { DockyardError, Problem, ProblemDetail } from '../core/errors';
import { checkDnsSubdomain, isValidConfigKey, shortHash, stableStringify, toDnsLabel } from '../core/naming';
import { sortedCopy } from '../core/json';

/**
 * Something whose keys a workload can read: an `AppConfig` (ConfigMap) or an `AppSecret` (Secret).
 * Workloads depend on this interface, never on the concrete classes.
 */
export interface IConfigSource extends IConstruct {
  /** `ConfigMap` or `Secret`. */
  readonly sourceKind: 'ConfigMap' | 'Secret';
  /** Final object name (with the content hash when enabled). */
  readonly name: string;
  /** Namespace the object lives in, or undefined for the default one. */
  readonly namespace: string | undefined;
  /** The keys it holds, sorted. */
  readonly keys: string[];
  /**
   * Keys whose value is binary (a ConfigMap's `binaryData`): mounted as files, but never env vars,
   * which Kubernetes fills from `data` only. @default - none
   */
  readonly binaryKeys?: readonly string[];
}

/** Parses `KEY=VALUE` lines (blank lines and `#` comments skipped), naming file:line on errors. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([^=\s]+)\s*=(.*)$/.exec(line);
    if (!m) {
      // The line itself is not shown: in a secrets file it may hold the value.
      problems.push({ where: `${file}:${i + 1}`, message: 'line is not KEY=VALUE', fix: 'write one KEY=VALUE per line (# starts a comment)' });
      return;
    }
    let value = m[2].trim();
    if ((value.startsWith('"') && value.endsWith('"') && value.length >= 2) || (value.startsWith("'") && value.endsWith("'") && value.length >= 2)) value = value.slice(1, -1);
    out[m[1]] = value;
  });
  if (problems.length) throw new DockyardError(problems);
  return out;
}

/**
 * Reads a file: its text when it is UTF-8, else its bytes (kept binary-safe as `binaryData` or Secret
 * `data`; read as UTF-8 they would be silently corrupted).
 */
function readContent(file: string, what: string): string | Buffer {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new DockyardError({ where: file, message: `cannot read the ${what} (${code})`, fix: 'check the path; relative paths start from the folder you run synth in' });
  }
  return isUtf8(buf) ? buf.toString('utf8') : buf;
}

/** Reads a text file; binary content is refused (an env file must be text). */
function readText(file: string, what: string): string {
  const content = readContent(file, what);
  if (typeof content !== 'string') {
    throw new DockyardError({ where: file, message: `the ${what} is not UTF-8 text`, fix: 'save it as UTF-8 KEY=VALUE lines' });
  }
  return content;
}

/** Reads a file as one key (default: its base name); binary content comes back as bytes. */
export function readFileEntry(file: string, key?: string): [string, string | Buffer] {
  return [key ?? path.basename(file), readContent(file, 'file')];
}

/** Reads every regular file in a folder (not recursive), one key per file name, sorted; binary files as bytes. */
export function readDirectoryEntries(dir: string): Record<string, string | Buffer> {
  let names: string[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new DockyardError({ where: dir, message: `cannot read the folder (${code})`, fix: 'check the path; relative paths start from the folder you run synth in' });
  }
  const out: Record<string, string | Buffer> = {};
  for (const n of names) out[n] = readContent(path.join(dir, n), 'file');
  return out;
}

/** Reads an env file (`KEY=VALUE` lines). */
export function readEnvFile(file: string): Record<string, string> {
  return parseEnvFile(readText(file, 'env file'), file);
}

/** Validation problems of config keys (shared by AppConfig and AppSecret). */
export function checkKeys(keys: readonly string[]): ProblemDetail[] {
  return keys.filter((k) => !isValidConfigKey(k)).map((k) => ({ message: `key "${k}" is not a valid ConfigMap/Secret key`, fix: 'use only letters, digits, "-", "_" and "."' }));
}

/** The problem of a key that does not exist in a source; `what` (like `env DB: `) starts the message. */
export function missingKey(what: string, source: IConfigSource, key: string): ProblemDetail {
  const have = source.keys.length ? source.keys.map((k) => `"${k}"`).join(', ') : 'no keys';
  return { message: `${what}${source.sourceKind} "${source.name}" (${source.node.path}) has no key "${key}"; it has ${have}`, fix: `use one of those keys or add "${key}" to it` };
}

/** Props shared by `AppConfig` and `AppSecret`. */
export interface ConfigSourceProps {
  /** Literal key/value pairs. @default - no keys (add them with `addData`, `addFile`, ...) */
  readonly data?: Record<string, string>;
  /** Base name of the object. @default - the construct id as a DNS-1123 label */
  readonly name?: string;
  /** Append a hash of the content to the name, so that a change rolls the pods that read it. @default true */
  readonly hashSuffix?: boolean;
  /** Namespace of the object; its consumers must be in the same one. @default - the chart's namespace */
  readonly namespace?: string;
  /** Mark the object immutable (only sensible with `hashSuffix`). @default false */
  readonly immutable?: boolean;
}

type SourceClass<T, P> = new (scope: Construct, id: string, props?: P) => T;

/**
 * Key/value state and loaders shared by `AppConfig` and `AppSecret` (one level of inheritance; the
 * subclasses only add the L1 object they emit).
 */
export abstract class ConfigSourceBase extends Construct implements IConfigSource {
  /** From literal key/value pairs (`url=http://...`). */
  public static fromLiterals<T extends ConfigSourceBase, P extends ConfigSourceProps>(
    this: SourceClass<T, P>,
    scope: Construct,
    id: string,
    data: Record<string, string>,
    props?: P,
  ): T {
    return new this(scope, id, { ...props, data: { ...props?.data, ...data } } as P);
  }

  /** One key holding a file's content (key defaults to the file's base name). */
  public static fromFile<T extends ConfigSourceBase, P extends ConfigSourceProps>(
    this: SourceClass<T, P>,
    scope: Construct,
    id: string,
    file: string,
    props?: P & { readonly key?: string },
  ): T {
    const c = new this(scope, id, props);
    c.addFile(file, props?.key);
    return c;
  }

  /** One key per file of a folder. */
  public static fromDirectory<T extends ConfigSourceBase, P extends ConfigSourceProps>(this: SourceClass<T, P>, scope: Construct, id: string, dir: string, props?: P): T {
    const c = new this(scope, id, props);
    c.addDirectory(dir);
    return c;
  }

  /** The `KEY=VALUE` lines of an env file. */
  public static fromEnvFile<T extends ConfigSourceBase, P extends ConfigSourceProps>(this: SourceClass<T, P>, scope: Construct, id: string, file: string, props?: P): T {
    const c = new this(scope, id, props);
    c.addEnvFile(file);
    return c;
  }

  public abstract readonly sourceKind: 'ConfigMap' | 'Secret';
  protected readonly data: Record<string, string> = {};
  /** Binary values, base64 (what Kubernetes' `binaryData` and Secret `data` hold). */
  protected readonly binary: Record<string, string> = {};
  private readonly baseName: string;
  private readonly hashSuffix: boolean;
  private readonly ns: string | undefined;
  private cachedName: string | undefined;
  private readonly loadProblems: Problem[] = [];

  protected constructor(scope: Construct, id: string, props: ConfigSourceProps, hashByDefault = true) {
    super(scope, id);
    this.baseName = props.name ?? toDnsLabel(id);
    this.hashSuffix = props.hashSuffix ?? hashByDefault;
    this.ns = props.namespace ?? Chart.of(this).namespace;
    Object.assign(this.data, props.data ?? {});
    addProblems(this, () => this.validateSource());
  }

  /** Adds a literal key. */
  public addData(key: string, value: string): void {
    this.data[key] = value;
    delete this.binary[key];
    this.cachedName = undefined;
  }

  /** Adds bytes as one key (a ConfigMap keeps them in `binaryData`: mountable as a file, not an env var). */
  public addBinaryData(key: string, value: Uint8Array): void {
    this.binary[key] = Buffer.from(value).toString('base64');
    delete this.data[key];
    this.cachedName = undefined;
  }

  /** Adds a file's content as one key (default: the file's base name). */
  public addFile(file: string, key?: string): void {
    this.load(() => { const [k, v] = readFileEntry(file, key); return { [k]: v }; });
  }

  /** Adds every file of a folder, one key per file. */
  public addDirectory(dir: string): void {
    this.load(() => readDirectoryEntries(dir));
  }

  /** Adds the `KEY=VALUE` lines of an env file. */
  public addEnvFile(file: string): void {
    this.load(() => readEnvFile(file));
  }

  /**
   * Runs a loader; a file that cannot be read is reported at synth with this construct's path,
   * together with every other problem, instead of stopping the program here.
   */
  private load(read: () => Record<string, string | Buffer>): void {
    try {
      for (const [k, v] of Object.entries(read())) {
        if (typeof v === 'string') this.addData(k, v); else this.addBinaryData(k, v);
      }
      this.cachedName = undefined;
    } catch (e) {
      if (!(e instanceof DockyardError)) throw e;
      this.loadProblems.push(...e.problems);
    }
  }

  /** The keys, sorted (text and binary). */
  public get keys(): string[] {
    const keys = Object.keys(this.data);
    for (const k in this.binary) keys.push(k);
    return keys.sort();
  }

  /** The keys holding binary values, sorted. */
  public get binaryKeys(): string[] {
    return Object.keys(this.binary).sort();
  }

  /** The object name, with the content hash when enabled. */
  public get name(): string {
    // Cached: every consumer reads it at synth; the add* methods reset it when the content changes.
    this.cachedName ??= this.hashSuffix ? `${this.baseName}-${shortHash(this.hashText(), 8)}` : this.baseName;
    return this.cachedName;
  }

  /** The namespace the object lives in. */
  public get namespace(): string | undefined {
    return this.ns;
  }

  /**
   * What the name's hash is of: `stableStringify(sortedData())`. With only string values that is
   * `JSON.stringify(sortedData())`, as sortedData() already inserts its keys sorted (the copy with
   * sorted keys that stableStringify makes would enumerate in the same order).
   */
  private hashText(): string {
    const sorted = this.sortedData();
    let text: string | undefined;
    for (const k in sorted) if (typeof sorted[k] !== 'string') { text = stableStringify(sorted); break; }
    text ??= JSON.stringify(sorted);
    // Binary keys join the hash only when there are some, so text-only names stay as they were.
    const binary = this.sortedBinary();
    return binary ? `${text}\0binaryData${JSON.stringify(binary)}` : text;
  }

  /** The binary values (base64) with keys sorted, or undefined when there are none. */
  protected sortedBinary(): Record<string, string> | undefined {
    const keys = this.binaryKeys;
    if (!keys.length) return undefined;
    const out: Record<string, string> = {};
    for (const k of keys) out[k] = this.binary[k];
    return out;
  }

  /** The data with keys sorted (a copy). */
  protected sortedData(): Record<string, string> {
    return sortedCopy(this.data);
  }

  /**
   * False when the data is surely at most `bytes` in UTF-8: each UTF-16 unit of a string is at most 3
   * bytes (then the exact size, which reads every value, is not needed).
   */
  private mayExceed(bytes: number): boolean {
    let upper = 0;
    for (const k in this.data) {
      const v = this.data[k];
      upper += typeof v === 'string' ? v.length * 3 : Infinity;
    }
    for (const k in this.binary) upper += this.binary[k].length;
    return upper > bytes;
  }

  private validateSource(): ProblemDetail[] {
    // A load problem's file:line leads the message; `where` is this construct's path.
    const errors: ProblemDetail[] = this.loadProblems.map((p) => ({ message: `${p.where}: ${p.message}.`, ...(p.fix ? { fix: p.fix } : {}) }));
    errors.push(...checkKeys(this.keys));
    const bad = checkDnsSubdomain(this.name);
    if (bad) errors.push({ message: `name "${this.name}" ${bad}`, fix: 'pass a name like "app-config"', fieldPath: ['name'] });
    const size = this.mayExceed(1024 * 1024) ? Object.values(this.data).reduce((n, v) => n + Buffer.byteLength(v), 0) + Object.values(this.binary).reduce((n, v) => n + Buffer.byteLength(v, 'base64'), 0) : 0;
    if (size > 1024 * 1024) errors.push({ message: `holds ${size} bytes; a ${this.sourceKind} can hold at most 1 MiB`, fix: 'split it or mount the files another way' });
    return errors;
  }
}

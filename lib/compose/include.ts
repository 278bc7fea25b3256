import * as path from 'node:path';
import type { Problem } from '../core/errors';
import { kid, locateNode, withKid } from './locations';
import { isObj, Json, Obj, ParsedFile } from './yaml-file';

/**
 * Top-level `include`: each entry is a sub-project (one or more files merged like `-f`, relative
 * paths from its `project_directory`, default the first file's folder, variables from its own
 * `env_file`/`.env` under the including project's environment). Its resources are added to the
 * including file; a name defined on both sides is an error, as in Compose.
 */

/** One `include` entry with absolute paths. */
export interface IncludeEntry {
  /** The files of the sub-project, in merge order. */
  readonly files: string[];
  /** Env files for its variables. @default - `.env` in `projectDir` */
  readonly envFiles?: string[];
  /** Where its relative paths start. */
  readonly projectDir: string;
  /** `file:line:col` of the entry. */
  readonly where: string;
}

/** Resource kinds an included project contributes. */
const KINDS = ['services', 'volumes', 'networks', 'configs', 'secrets', 'models'] as const;

/** The entries of a file's `include`, resolved against the file's folder. */
export function includeEntries(p: ParsedFile): IncludeEntry[] {
  const list = Array.isArray(p.value.include) ? p.value.include : [];
  const dir = path.dirname(p.file);
  const abs = (f: Json) => path.resolve(dir, String(f));
  return list.map((e, i) => {
    const where = locateNode(p.loc, ['include', i], `${p.file}:1:1`);
    if (typeof e === 'string') return { files: [abs(e)], projectDir: path.dirname(abs(e)), where };
    const o = isObj(e) ? e : {};
    const files = (Array.isArray(o.path) ? o.path : o.path === undefined ? [] : [o.path]).map(abs);
    const envFiles = o.env_file === undefined ? undefined : (Array.isArray(o.env_file) ? o.env_file : [o.env_file]).map(abs);
    const projectDir = typeof o.project_directory === 'string' ? abs(o.project_directory) : path.dirname(files[0] ?? p.file);
    return { files, envFiles, projectDir, where };
  });
}

/** Adds an included project's resources to the including file; conflicts are problems. */
export function addIncluded(into: ParsedFile, included: ParsedFile, entry: IncludeEntry, problems: Problem[]): ParsedFile {
  const value: Obj = { ...into.value };
  let loc = into.loc;
  for (const kind of KINDS) {
    const theirs = included.value[kind];
    if (!isObj(theirs)) continue;
    const ours: Obj = isObj(value[kind]) ? { ...(value[kind] as Obj) } : {};
    const kindLoc = kid(loc, kind);
    const kids = new Map(kindLoc?.kids ?? []);
    for (const [name, v] of Object.entries(theirs)) {
      if (name in ours) {
        const mine = locateNode(into.loc, [kind, name], entry.where);
        const other = locateNode(included.loc, [kind, name], included.file);
        problems.push({ where: mine, message: `${kind.slice(0, -1)} "${name}" is defined here and also in the included ${other}; Compose refuses the conflict`, fix: `rename one of them, or remove "${name}" from one of the files (an included project cannot be overridden by the file that includes it)` });
        continue;
      }
      ours[name] = v;
      const l = kid(kid(included.loc, kind), name);
      if (l) kids.set(name, l);
    }
    value[kind] = ours;
    loc = withKid(loc, kind, { at: kindLoc?.at ?? kid(included.loc, kind)?.at, kids });
  }
  return { ...into, value, loc };
}

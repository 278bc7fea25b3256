import * as path from 'node:path';
import type { Problem } from '../core/errors';
import { kid, LocNode, locateNode, withKid } from './locations';
import { mergeValue } from './merge';
import { isObj, Json, Obj, ParsedFile } from './yaml-file';

/**
 * `extends: service` and `extends: {file, service}`, as Compose resolves them: a service is the pair
 * (file, name), its base is resolved first and merged under it. A chain may leave a file and come
 * back into it (a.yml:web -> b.yml:base -> a.yml:common is valid); a chain that reaches a pair it is
 * already resolving is a "Circular reference", reported once with every step's file:line.
 */

/** Loads (once) the file an `extends` names; undefined when it cannot be used (already reported). */
export type ExtendsFileLoader = (file: string, where: string) => ParsedFile | undefined;

interface Step { readonly file: string; readonly name: string; readonly where: string }

/** The file with every service's `extends` resolved. */
export function resolveExtends(p: ParsedFile, load: ExtendsFileLoader, problems: Problem[], memo = new Map<string, Resolved | null>()): ParsedFile {
  const services = isObj(p.value.services) ? p.value.services : undefined;
  if (!services || !Object.values(services).some((s) => isObj(s) && s.extends !== undefined)) return p;
  const out: Obj = {};
  const servicesLoc = kid(p.loc, 'services');
  const kids = new Map(servicesLoc?.kids ?? []);
  for (const name of Object.keys(services)) {
    const r = resolveService(p, name, [], load, problems, memo);
    out[name] = r ? r.value : services[name];
    if (r?.loc) kids.set(name, r.loc);
  }
  return { ...p, value: { ...p.value, services: out }, loc: withKid(p.loc, 'services', { at: servicesLoc?.at, kids }) };
}

/** A resolved service and its locations. */
export interface Resolved { readonly value: Obj; readonly loc?: LocNode }

function resolveService(file: ParsedFile, name: string, chain: Step[], load: ExtendsFileLoader, problems: Problem[], memo: Map<string, Resolved | null>): Resolved | undefined {
  const key = `${file.file}\0${name}`;
  const known = memo.get(key);
  if (known !== undefined) return known ?? undefined;
  const services = isObj(file.value.services) ? file.value.services : {};
  const s = services[name];
  const sLoc = kid(kid(file.loc, 'services'), name);
  if (!isObj(s)) return undefined;
  if (s.extends === undefined) {
    const r = { value: s, loc: sLoc };
    memo.set(key, r);
    return r;
  }
  const where = locateNode(file.loc, ['services', name, 'extends'], `${file.file}:1:1`);
  const ext = s.extends as Obj | string;
  const baseName = typeof ext === 'string' ? ext : String(ext.service);
  const step: Step = { file: file.file, name, where };
  const baseFile = typeof ext === 'object' && typeof ext.file === 'string' ? load(path.resolve(path.dirname(file.file), ext.file), locateNode(file.loc, ['services', name, 'extends', 'file'], where)) : file;
  if (!baseFile) { memo.set(key, null); return undefined; } // reported while reading it
  const loop = [...chain, step].findIndex((c) => c.file === baseFile.file && c.name === baseName);
  if (loop >= 0) {
    const cycle = [...chain, step].slice(loop);
    for (const c of cycle) memo.set(`${c.file}\0${c.name}`, null);
    const steps = cycle.map((c) => `"${c.name}" (${c.where})`).join(' extends ');
    problems.push({ where: cycle[0].where, message: `Circular reference: service ${steps} extends "${baseName}" again`, fix: 'remove one of the extends in the cycle (a service cannot extend itself, directly or through others)' });
    return undefined;
  }
  const base = resolveService(baseFile, baseName, [...chain, step], load, problems, memo);
  if (memo.get(key) === null) return undefined; // part of a cycle found further down
  if (!base) {
    memo.set(key, null);
    const exists = isObj(baseFile.value.services) && isObj(baseFile.value.services[baseName]);
    if (!exists) {
      const names = Object.keys(isObj(baseFile.value.services) ? baseFile.value.services : {}).sort();
      const inFile = baseFile === file ? 'this file' : baseFile.file;
      problems.push({ where, message: `service "${name}" extends "${baseName}", which is not a service of ${inFile}${names.length && names.length <= 20 ? ` (services: ${names.join(', ')})` : ''}`, fix: 'name an existing service in extends' });
    }
    return undefined;
  }
  const own: Obj = { ...s };
  delete own.extends;
  const ownLoc = sLoc?.kids ? { at: sLoc.at, kids: new Map([...sLoc.kids].filter(([k]) => k !== 'extends')) } : sLoc;
  const merged = mergeValue({ value: base.value as Json, loc: base.loc }, { value: own, loc: ownLoc }, ['services', name]);
  const r: Resolved = { value: merged.value as Obj, loc: merged.loc };
  memo.set(key, r);
  return r;
}

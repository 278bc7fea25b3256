import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, parse as parseYaml, Scalar, visit } from 'yaml';
import type { Problem } from '../core/errors';
import { isRecord } from '../core/json';
import { COMPOSE_FILE_LIMIT, decodeUtf8, readProjectFile } from './files';
import { interpolate } from './interpolate';
import { kid, LocNode, locationsOf, withKid } from './locations';
import { sortProblems } from './model';
import { composeSchema, composeValidator, schemaProblems } from './schema';

/**
 * One compose file from bytes to a validated value: bounded read, UTF-8, YAML with positions
 * (duplicate keys and alias bombs are errors), interpolation of every scalar value (not keys),
 * then the schema. A file that is not a compose mapping is named by path only: its content is
 * never printed (`extends: {file: /etc/shadow}` must not echo the file).
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

/** One parsed, interpolated, validated file. */
export interface ParsedFile {
  readonly file: string;
  readonly value: Obj;
  readonly loc: LocNode;
}

/**
 * How far aliases may expand, per alias written in the file: `<<: *defaults` in every service grows
 * with the file, an alias bomb (`[*a, *a, ...]` nested) grows exponentially and is refused.
 */
const ALIAS_FACTOR = 100;

/** True for a YAML mapping (core's `isRecord`, typed as compose JSON). */
export function isObj(v: unknown): v is Obj {
  return isRecord(v);
}

/** Reads a compose file (one named on the command line, by `extends` or by `include`) as UTF-8 text. */
export function readComposeFile(
  file: string, problems: Problem[], use: { where?: string; what?: string; projectDir?: string } = {}, warnings?: Problem[],
): string | undefined {
  const what = use.what ?? 'compose file';
  const r = readProjectFile(file, { what, where: use.where ?? file, projectDir: use.projectDir, limit: COMPOSE_FILE_LIMIT });
  if (r.missing) {
    problems.push({ where: use.where ?? file, message: `the ${what} ${file} does not exist`, fix: use.where ? 'correct the path (relative to the file that names it)' : 'check the path (relative paths start from the current folder)' });
    return undefined;
  }
  if (r.problem) { problems.push(r.problem); return undefined; }
  if (r.warning) warnings?.push(r.warning);
  const d = decodeUtf8(r.data!, file, what);
  if (d.problem) { problems.push(d.problem); return undefined; }
  return d.text;
}

/** A top-level key a compose file may have: a file with none of them is not a compose file. */
function isComposeKey(k: string): boolean {
  return k.startsWith('x-') || Object.prototype.hasOwnProperty.call(composeSchema().properties ?? {}, k);
}

/** Says "not a compose file" naming only the path (no content: the file may be anything). */
function notCompose(file: string, why: string, namedAt?: string): Problem {
  return { where: namedAt ?? `${file}:1:1`, message: `${file} is not a compose file (${why}); its content is not shown`, fix: 'name a compose file (a YAML mapping with "services:")' };
}

/**
 * Parses one compose file. Returns undefined (with problems recorded) when it cannot be used.
 * `unset` collects variables used without a value (name -> first `file:line:col`); `namedAt` is
 * where an `extends` or `include` names the file (a file that is not compose is reported there).
 */
export function parseComposeText(
  text: string | undefined, file: string, vars: Readonly<Record<string, string | undefined>>, problems: Problem[],
  unset = new Map<string, string>(), namedAt?: string,
): ParsedFile | undefined {
  if (text === undefined) return undefined;
  const lc = new LineCounter();
  // Unique keys are checked below in one pass: the yaml package's own check is quadratic in a map's size.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  const at = (offset: number | undefined): string => {
    const pos = lc.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  const top = doc.contents;
  if (!isMap(top)) {
    problems.push(doc.errors.length || top ? notCompose(file, top ? 'it is not a YAML mapping' : 'it is not valid YAML', namedAt) : notCompose(file, 'it is empty', namedAt));
    return undefined;
  }
  // A file that `extends` or `include` names may be anything (`/etc/shadow`): unless it has a compose
  // key, its keys are not listed as unknown. The user's own files get the key-by-key report.
  const keys = top.items.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  if (namedAt && !keys.some(isComposeKey)) {
    problems.push(notCompose(file, 'none of its top-level keys is a compose key such as "services"', namedAt));
    return undefined;
  }
  if (doc.errors.length) {
    // yaml's messages describe the syntax, not the text; the position says where.
    for (const err of doc.errors) problems.push({ where: at(err.pos[0]), message: `invalid YAML: ${err.message.split('\n')[0]}`, fix: 'fix the YAML syntax at this position' });
    return undefined;
  }
  const before = problems.length;
  duplicateKeys(doc, at, problems);
  if (problems.length > before) return undefined;
  visit(doc, {
    Scalar(key, node) {
      // Compose reads YAML 1.1 numbers: `mode: 0440` is octal there, decimal 440 in YAML 1.2.
      if (key !== 'key' && node.type === Scalar.PLAIN && typeof node.value === 'number' && /^0[0-7]+$/.test(node.source ?? '')) { node.value = parseInt(node.source!, 8); return; }
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      const r = interpolate(node.value, vars);
      // The value stays as written, and the file is still validated: every problem comes out in one run.
      if (r.failure) { problems.push({ where: at(node.range?.[0]), message: r.failure.message, fix: r.failure.fix }); return; }
      // Compose warns once per unset name and substitutes ""; the first place it is used is named.
      for (const name of r.unset) if (!unset.has(name)) unset.set(name, at(node.range?.[0]));
      node.value = node.type === Scalar.PLAIN ? retype(r.value ?? '') : r.value;
    },
  });
  // An alias must follow its anchor (document order); yaml's own errors for a missing one have no position.
  let aliases = 0;
  const beforeAliases = problems.length;
  const anchors = new Set<string>();
  visit(doc, (_k, node) => {
    if (isAlias(node)) {
      aliases++;
      if (!anchors.has(node.source)) problems.push({ where: at(node.range?.[0]), message: `invalid YAML: the alias *${node.source} names no anchor defined before it`, fix: `define the anchor &${node.source} before this alias, or correct the name` });
    } else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) anchors.add(node.anchor);
    return undefined;
  });
  if (problems.length > beforeAliases) return undefined;
  const maxAliasCount = Math.max(1000, aliases * ALIAS_FACTOR);
  let value: Json;
  try {
    value = doc.toJS({ maxAliasCount }) as Json;
  } catch (e) {
    // yaml throws for an alias bomb ("Excessive alias count") and an alias to a missing anchor.
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    problems.push({ where: `${file}:1:1`, message: /alias count/i.test(message) ? `invalid YAML: aliases expand to more than ${maxAliasCount} nodes, far more than the file's size explains (an alias bomb)` : `invalid YAML: ${message}`, fix: 'use fewer nested aliases (*name): write the values out, or use extends' });
    return undefined;
  }
  let loc = locationsOf(top, at);
  loc = aliasListEntries(value as Obj, loc);
  const validate = composeValidator();
  if (!validate(value)) problems.push(...sortProblems(schemaProblems(validate.errors ?? [], loc, file)));
  // A file with schema problems still goes on (merge, profiles, references), so later checks report
  // in the same run; the caller throws everything at the end.
  return { file, value: value as Obj, loc };
}

/** Every repeated key of every mapping, one problem each (a Set per mapping: linear). */
function duplicateKeys(doc: Document, at: (offset?: number) => string, problems: Problem[]): void {
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<string, number | undefined>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const k = String(pair.key.value);
        if (k === '<<') continue; // YAML merge keys may repeat
        const offset = (pair.key as Node).range?.[0];
        if (seen.has(k)) {
          const first = at(seen.get(k)).replace(/^.*:(\d+):\d+$/, '$1');
          problems.push({ where: at(offset), message: `invalid YAML: map keys must be unique, and "${k}" is already set on line ${first}`, fix: `remove one of the two "${k}" keys` });
        } else seen.set(k, offset);
      }
    },
  });
}

/** A plain scalar that became "3" or "true" after interpolation is typed again, as compose does. */
function retype(text: string): unknown {
  if (text === '') return text;
  if (!/^[-+.0-9tTfFnN~]/.test(text)) return text;
  try {
    const v = parseYaml(text);
    return typeof v === 'number' || typeof v === 'boolean' ? v : text;
  } catch {
    return text;
  }
}

/**
 * `environment: ["KEY=value"]` is normalized to a dict, so warnings name `environment.KEY`: that path
 * gets the location of its list entry (not of the whole list).
 */
function aliasListEntries(value: Obj, loc: LocNode): LocNode {
  const services = isObj(value.services) ? value.services : {};
  const servicesLoc = kid(loc, 'services');
  // The location tree is still private to this file: its services map is updated in place (one copy, not one per service).
  const updated = new Map(servicesLoc?.kids ?? []);
  let changed = false;
  for (const [name, s] of Object.entries(services)) {
    if (!isObj(s)) continue;
    let sLoc = kid(servicesLoc, name);
    for (const at of [['environment'], ['labels'], ['annotations'], ['deploy', 'labels']]) {
      const list = at.length === 1 ? s[at[0]] : isObj(s.deploy) ? s.deploy.labels : undefined;
      if (!Array.isArray(list)) continue;
      const parent = at.length === 1 ? sLoc : kid(sLoc, 'deploy');
      const listLoc = kid(parent, at[at.length - 1]);
      const kids = new Map(listLoc?.kids ?? []);
      list.forEach((item, i) => {
        const key = String(item).split('=')[0];
        const l = kids.get(String(i));
        if (l && !kids.has(key)) kids.set(key, l);
      });
      const next: LocNode = { at: listLoc?.at, kids };
      sLoc = at.length === 1 ? withKid(sLoc, at[0], next) : withKid(sLoc, 'deploy', withKid(parent, 'labels', next));
    }
    if (sLoc && sLoc !== kid(servicesLoc, name)) { updated.set(name, sLoc); changed = true; }
  }
  return changed ? withKid(loc, 'services', { at: servicesLoc?.at, kids: updated }) : loc;
}

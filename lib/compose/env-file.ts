import type { Problem } from '../core/errors';
import { interpolate } from './interpolate';

/**
 * Env files (`.env` and a service's `env_file`) read as Docker Compose v2 reads them:
 * - `KEY=value`, `export KEY=value`, `KEY: value`; `KEY` alone takes the value from the environment;
 * - unquoted values end at the line end or at ` #` (a comment), and are trimmed;
 * - `"double quoted"` values may span lines, turn `\n`, `\r`, `\t` into control characters and `\x` into `x`;
 * - unquoted and double-quoted values interpolate `${VAR}` (with Compose's `:-`, `?`, `+` forms) from
 *   the lookup first (the project environment), then from earlier lines of the same file;
 * - `'single quoted'` values are literal (no escapes, no interpolation).
 * Messages name the file and line, never a value: an env file often holds secrets.
 */

/** The parsed file. */
export interface EnvFileResult {
  /** Values by name, in file order. */
  readonly values: Record<string, string>;
  /** The line each name was set on. */
  readonly lines: Record<string, number>;
  /** Syntax errors and failed `${VAR:?...}`, each at `file:line`. */
  readonly problems: Problem[];
  /** Variables used without a value, each with the first `file:line` (they become ""). */
  readonly unset: Array<{ readonly name: string; readonly where: string }>;
}

const SPACE = new Set([' ', '\t', '\v', '\f', '\r']);
const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;

/** Parses env file text; `lookup` gives the project environment (it wins over earlier lines, as in Compose). */
export function parseEnvText(text: string, file: string, lookup: (name: string) => string | undefined = () => undefined): EnvFileResult {
  const values: Record<string, string> = {};
  const lines: Record<string, number> = {};
  const problems: Problem[] = [];
  const unset: Array<{ name: string; where: string }> = [];
  const seenUnset = new Set<string>();
  const vars = new Proxy({} as Record<string, string | undefined>, { get: (_t, k) => (typeof k === 'string' ? lookup(k) ?? (Object.prototype.hasOwnProperty.call(values, k) ? values[k] : undefined) : undefined) });
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let line = 1;
  const at = (n: number) => `${file}:${n}`;
  const skipLine = () => { while (i < src.length && src[i] !== '\n') i++; };
  const expand = (value: string, n: number): string | undefined => {
    if (!value.includes('$')) return value;
    const r = interpolate(value, vars);
    if (r.failure) {
      // A required-variable message names the variable and the author's own hint; other failures quote the value, so they are replaced.
      const message = r.failure.message.startsWith('required variable') ? r.failure.message : 'a ${...} reference is not closed or is not valid';
      problems.push({ where: at(n), message: `line ${n}: ${message}`, fix: r.failure.message.startsWith('required variable') ? r.failure.fix : 'write ${NAME}, ${NAME:-default} or $$ for a literal $' });
      return undefined;
    }
    for (const name of r.unset) if (!seenUnset.has(name)) { seenUnset.add(name); unset.push({ name, where: at(n) }); }
    return r.value;
  };

  while (i < src.length) {
    // Statement start: skip blank space and comment lines.
    const c = src[i];
    if (c === '\n') { line++; i++; continue; }
    if (SPACE.has(c)) { i++; continue; }
    if (c === '#') { skipLine(); continue; }
    const start = line;
    if (src.startsWith('export', i) && SPACE.has(src[i + 6] ?? '')) { i += 6; while (SPACE.has(src[i] ?? '')) i++; }
    // The name, up to "=", ":" or the line end.
    let key = '';
    let bad = false;
    while (i < src.length && src[i] !== '=' && src[i] !== ':' && src[i] !== '\n') {
      if (!SPACE.has(src[i]) && !KEY_CHAR.test(src[i])) bad = true;
      key += src[i++];
    }
    key = key.trimEnd();
    if (bad || key === '' || /\s/.test(key)) {
      problems.push({ where: at(start), message: `line ${start}: ${key === '' ? 'there is no variable name before "="' : 'the variable name has a character that is not allowed'}`, fix: 'write NAME=value, with a name of letters, digits, "_", "." and "-" (# starts a comment)' });
      skipLine();
      continue;
    }
    if (i >= src.length || src[i] === '\n') {
      // `KEY` alone: the value comes from the environment, and the key is left out when it is not set.
      const v = lookup(key);
      if (v !== undefined) { values[key] = v; lines[key] = start; }
      continue;
    }
    i++; // "=" or ":"
    while (SPACE.has(src[i] ?? '')) i++;
    const q = src[i];
    let value: string | undefined;
    if (q === '"' || q === "'") {
      let j = i + 1;
      let n = line;
      while (j < src.length && !(src[j] === q && src[j - 1] !== '\\')) { if (src[j] === '\n') n++; j++; }
      if (j >= src.length) {
        problems.push({ where: at(start), message: `line ${start}: the quoted value has no closing ${q === '"' ? 'double' : 'single'} quote`, fix: `close the value with ${q}` });
        break;
      }
      const inner = src.slice(i + 1, j);
      line = n;
      i = j + 1;
      value = q === "'" ? inner : expand(unescape(inner), start);
      while (SPACE.has(src[i] ?? '')) i++;
      if (src[i] === '#') skipLine();
      else if (i < src.length && src[i] !== '\n') {
        problems.push({ where: at(line), message: `line ${line}: there is text after the closing quote`, fix: 'put a comment after " #", or quote the whole value' });
        skipLine();
      }
    } else {
      const end = src.indexOf('\n', i);
      let raw = src.slice(i, end < 0 ? src.length : end);
      i = end < 0 ? src.length : end;
      const hash = raw.search(/[ \t]#/);
      if (hash >= 0) raw = raw.slice(0, hash);
      value = expand(raw.trimEnd(), start);
    }
    if (value !== undefined) { values[key] = value; lines[key] = start; }
  }
  return { values, lines, problems, unset };
}

/** Double-quoted escapes: `\n`, `\r`, `\t` are control characters, `\x` is `x` (`\$` stays for interpolation's `$$`-free text). */
function unescape(s: string): string {
  return s.replace(/\\(.)/gs, (m, ch: string) => (ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch === 't' ? '\t' : ch === '$' ? m : ch));
}

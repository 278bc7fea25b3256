/**
 * Compose variable interpolation, as `docker compose` does it: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` for a
 * literal `$`. Pure: the caller passes the variables and turns failures into located problems.
 */
import type { ProblemDetail } from '../core/errors';

/** Why one string could not be interpolated: a problem the caller locates (file:line, key). */
export interface InterpolationFailure extends ProblemDetail {
  /** How to fix it. */
  readonly fix: string;
}

/** The result of interpolating one string. */
export interface InterpolationResult {
  /** The text with every variable replaced (undefined when `failure` is set). */
  readonly value?: string;
  /** Set when a required variable is missing or the syntax is wrong. */
  readonly failure?: InterpolationFailure;
  /** Variables that were referenced without a default and are not set (they become ""). */
  readonly unset: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * How deep `${A:-${B:-...}}` may nest. Real files nest two or three levels; the bound keeps a hostile
 * value (thousands of levels) from costing quadratic time or overflowing the stack.
 */
export const MAX_NESTING = 32;

/** The deepest `${` nesting in `text`, counted in one pass (stops counting past `MAX_NESTING`). */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') { i++; continue; }
    if (text[i] === '$' && text[i + 1] === '{') { depth++; i++; if (depth > max) max = depth; if (max > MAX_NESTING) return max; continue; }
    if (text[i] === '}' && depth > 0) depth--;
  }
  return max;
}

/** Replaces compose variables in `text` with values from `vars`. */
export function interpolate(text: string, vars: Readonly<Record<string, string | undefined>>): InterpolationResult {
  if (text.includes('${') && nesting(text) > MAX_NESTING) {
    return fail(`a variable reference is nested more than ${MAX_NESTING} levels deep (\${A:-\${B:-...}})`, `flatten the defaults: set the variable in .env, or nest at most ${MAX_NESTING} levels`);
  }
  return expand(text, vars);
}

function expand(text: string, vars: Readonly<Record<string, string | undefined>>): InterpolationResult {
  let out = '';
  const unset: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') { out += c; i++; continue; }
    const next = text[i + 1];
    if (next === '$') { out += '$'; i += 2; continue; }
    if (next === '{') {
      const end = findClose(text, i + 2);
      if (end < 0) return fail(`"${short(text)}" has a "\${" without its closing "}"`, 'close the variable with "}", or write "$$" for a literal "$"');
      const body = text.slice(i + 2, end);
      const r = expandBraced(body, vars, unset);
      if (r.failure) return { failure: r.failure, unset };
      out += r.value;
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (!m) { out += '$'; i++; continue; } // a lone "$" (e.g. "cost: 5$") stays as it is, like compose
    const v = vars[m[0]];
    if (v === undefined) unset.push(m[0]);
    out += v ?? '';
    i += 1 + m[0].length;
  }
  return { value: out, unset };
}

/** A value as quoted in a message: long ones are cut, so a hostile value cannot flood the terminal. */
function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function fail(message: string, fix: string): InterpolationResult {
  return { failure: { message, fix }, unset: [] };
}

/** Index of the "}" closing a "${" whose body starts at `from`, allowing nested "${...}" in defaults. */
function findClose(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '$' && text[j + 1] === '{') { depth++; j++; continue; }
    if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

function expandBraced(body: string, vars: Readonly<Record<string, string | undefined>>, unset: string[]): InterpolationResult {
  const m = NAME.exec(body);
  if (!m) return fail(`"\${${short(body)}}" is not a valid variable reference`, 'use a name of letters, digits and "_", like ${DB_HOST}');
  const name = m[0];
  const rest = body.slice(name.length);
  const value = vars[name];
  if (rest === '') {
    if (value === undefined) unset.push(name);
    return { value: value ?? '', unset };
  }
  const op = /^(:?[-?+])/.exec(rest);
  if (!op) return fail(`"\${${short(body)}}" has an unknown modifier "${short(rest)}"`, 'use ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error} or ${VAR:+alt}');
  const arg = rest.slice(op[1].length);
  const colon = op[1].startsWith(':');
  const missing = colon ? value === undefined || value === '' : value === undefined;
  // The argument may itself hold variables (`${A:-${B}}`).
  const inner = (): InterpolationResult => expand(arg, vars);
  switch (op[1].slice(-1)) {
    case '-': {
      if (!missing) return { value, unset };
      const r = inner();
      unset.push(...r.unset);
      return r.failure ? r : { value: r.value, unset };
    }
    case '+': {
      if (missing) return { value: '', unset };
      const r = inner();
      return r.failure ? r : { value: r.value, unset };
    }
    default: {
      if (!missing) return { value, unset };
      const r = inner();
      const why = r.value ? `: ${r.value}` : '';
      return fail(`required variable ${name} is ${value === undefined ? 'not set' : 'empty'}${why}`, `set ${name} in the environment or in the .env file next to the compose file`);
    }
  }
}

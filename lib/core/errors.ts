/**
 * User-facing errors. A `DockyardError` is a mistake in the user's input (props, manifests, compose
 * files, flags): the CLI prints its message without a stack trace and exits 1. Anything else is a bug.
 */

import { FieldPath, formatFieldPath } from './field-path';

/** How bad a problem is: an `error` fails the synth or command; a `warning` is printed. */
export type Severity = 'error' | 'warning';

/**
 * One problem found in the user's input: the one shape constructs, the schema check, policy, the
 * compose loader and the Docker planner all report.
 */
export interface Problem {
  /** Where: a construct path (`chart/web`), `file:line[:col]`, or an object (`Deployment/web`). */
  readonly where: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** How to fix it, in one sentence. Optional only when the message already says it. */
  readonly fix?: string;
  /** A warning is printed and does not fail. @default 'error' */
  readonly severity?: Severity;
  /** The field inside `object` (or the props) the problem is about; shown with `formatFieldPath`. */
  readonly fieldPath?: FieldPath;
  /** `Kind/name` of the object `fieldPath` is in, when `where` is not that object (a construct path, a file). */
  readonly object?: string;
}

/** A problem before its `where` is known (a construct's path, the object a check was given). */
export type ProblemDetail = Omit<Problem, 'where'>;

/** A problem at a field of an object the caller names (a schema check's result). */
export type FieldProblem = ProblemDetail & { readonly fieldPath: FieldPath };

/**
 * `object: field: ` for a problem inside an object (the object left out where `where` already names
 * it); '' otherwise: a problem with a field path but no object (a construct's props, a compose key)
 * names the field in its message.
 */
function objectPrefix(p: ProblemDetail, where: string | undefined): string {
  if (p.object === undefined) return '';
  const object = p.object === where ? '' : `${p.object}: `;
  return p.fieldPath === undefined ? object : `${object}${formatFieldPath(p.fieldPath)}: `;
}

/** A problem without its `where`: `object: field: message. Fix: fix` (a construct validation's text). */
export function problemText(p: ProblemDetail, where?: string): string {
  const message = p.fix && !/[.!?:]$/.test(p.message) ? `${p.message}.` : p.message;
  const text = p.fix ? `${message} Fix: ${p.fix}` : message;
  return `${objectPrefix(p, where)}${text}`;
}

/** Renders a problem as one line: `[where] object: field: message. Fix: fix` (object and field when set). */
export function formatProblem(p: Problem): string {
  return `[${p.where}] ${problemText(p, p.where)}`;
}

/** An error caused by user input; carries one or more problems, each with a location and a fix. */
export class DockyardError extends Error {
  /** The problems; never empty. */
  public readonly problems: readonly Problem[];

  constructor(problems: Problem | readonly Problem[], heading?: string) {
    const list = Array.isArray(problems) ? [...(problems as Problem[])] : [problems as Problem];
    if (list.length === 0) throw new Error('DockyardError needs at least one problem');
    const body = list.map(formatProblem);
    const head = heading ?? (list.length === 1 ? undefined : `${list.length} problems found:`);
    super(head ? [head, ...body.map((l) => `  ${l}`)].join('\n') : body[0]);
    this.name = 'DockyardError';
    this.problems = list;
  }
}

/** True for errors that are the user's mistake (no stack trace wanted). */
export function isUserError(err: unknown): err is Error {
  if (err instanceof DockyardError) return true;
  // cdk8s' App.synth throws a plain Error that starts with this text after collecting validations;
  // constructs throws the second when two children of one scope get the same id.
  return err instanceof Error && (/^Validation failed with the following errors:/.test(err.message) || DUPLICATE_ID.test(err.message));
}

const DUPLICATE_ID = /^There is already a Construct with name '([^']*)' in (\w+)(?: \[([^\]]*)\])?/;

/** A user error's text for the terminal: the message, plus where and the fix for a duplicate construct id. */
export function userErrorText(err: Error): string {
  const dup = DUPLICATE_ID.exec(err.message);
  if (!dup) return err.message;
  return formatProblem({ where: dup[3] ? `${dup[3]}/${dup[1]}` : dup[1], message: `two constructs in ${dup[2]} ${dup[3] ?? '(the app)'} have the id "${dup[1]}"`, fix: 'give each child of a scope its own id' });
}

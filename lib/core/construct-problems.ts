import { IConstruct, IValidation } from 'constructs';
import { Problem, ProblemDetail, problemText } from './errors';

/**
 * Structured construct validation. A Dockyard construct reports problems (`{message, fix,
 * fieldPath}`) through `addProblems`; they reach cdk8s as an ordinary validation, so a plain
 * `app.synth()` fails with the same "what. Fix: how" text, while Dockyard's render reads the
 * problems themselves. Only public constructs API is used: `addValidation` and `validate()`.
 */

/** A validation whose last `validate()` kept its problems besides returning their text. */
class ProblemValidation implements IValidation {
  /** The problems of the last `validate()` call. */
  public last: readonly ProblemDetail[] = [];

  constructor(private readonly check: () => readonly ProblemDetail[]) {}

  public validate(): string[] {
    const problems = this.check();
    this.last = problems;
    return problems.length === 0 ? [] : problems.map((p) => problemText(p));
  }
}

const registered = new WeakMap<IConstruct, ProblemValidation[]>();

/**
 * Adds a validation to `construct` that reports structured problems (each becomes
 * `[construct path] message. Fix: fix` in the error). `check` runs when the app is validated,
 * so it sees every later change to the construct.
 */
export function addProblems(construct: IConstruct, check: () => readonly ProblemDetail[]): void {
  const validation = new ProblemValidation(check);
  construct.node.addValidation(validation);
  const list = registered.get(construct);
  if (list) list.push(validation); else registered.set(construct, [validation]);
}

/**
 * A validation message that is not a Dockyard problem (a user's own `addValidation`): "what. Fix:
 * how", the constructs' message style, becomes `message` and `fix`.
 */
export function validationProblem(where: string, message: string): Problem {
  const i = message.indexOf('. Fix: ');
  return i >= 0 ? { where, message: message.slice(0, i + 1), fix: message.slice(i + 7) } : { where, message };
}

/**
 * The problems of one construct's validations (`node.validate()`, which runs each in the order
 * added): Dockyard's structured ones as they were reported, any other validation's message split by
 * `validationProblem`.
 */
export function constructValidationProblems(c: IConstruct, out: Problem[] = []): Problem[] {
  const messages = c.node.validate();
  if (messages.length === 0) return out;
  const where = c.node.path;
  const ours = registered.get(c);
  // Walk the messages in order; each of ours produced its problems' texts as one run.
  const pending: ProblemDetail[] = [];
  if (ours) for (const v of ours) for (const p of v.last) pending.push(p);
  let next = 0;
  for (const message of messages) {
    const p = pending[next];
    if (p !== undefined && problemText(p) === message) {
      out.push({ where, ...p });
      next++;
    } else out.push(validationProblem(where, message));
  }
  return out;
}

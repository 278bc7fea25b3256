import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addProblems } from '../../lib/core/construct-problems';
import { formatProblem } from '../../lib/core/errors';
import { constructProblems } from '../../lib/core/synth';

/** constructProblems as written with the public Node.validate(). */
function reference(root: IConstruct): unknown[] {
  const out: unknown[] = [];
  for (const c of root.node.findAll()) {
    for (const message of c.node.validate()) {
      const i = message.indexOf('. Fix: ');
      out.push(i >= 0 ? { where: c.node.path, message: message.slice(0, i + 1), fix: message.slice(i + 7) } : { where: c.node.path, message });
    }
  }
  return out;
}

describe('constructProblems', () => {
  test('equals the problems of every node.validate(), for any shape of validation result', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const results: unknown[] = [
      [], ['one. Fix: do it'], ['a', 'b. Fix: x. Fix: y'],
      // eslint-disable-next-line no-sparse-arrays
      ['hole', , 'after'], 'not an array. Fix: z', [['nested']],
    ];
    results.forEach((r, i) => {
      const c = new Construct(chart, `c${i}`);
      c.node.addValidation({ validate: () => r as string[] });
      if (i % 2) c.node.addValidation({ validate: () => [`second of ${i}`] });
      new Construct(c, 'child');
    });
    const custom = new Construct(chart, 'custom');
    (custom.node as any).validate = () => ['from an overridden validate'];
    expect(constructProblems(app)).toEqual(reference(app));
    expect(constructProblems(app).length).toBeGreaterThan(8);
  });
});

describe('addProblems', () => {
  const bad = { message: 'port 0 is out of range', fix: 'use a whole number between 1 and 65535', fieldPath: ['ports', 0, 'port'] };

  test('GIVEN a structured problem THEN render keeps its fix and field path, and it is an error', () => {
    const app = new App();
    const c = new Construct(new Chart(app, 'c'), 'web');
    addProblems(c, () => [bad]);
    const [p] = constructProblems(app);
    expect(p).toEqual({ where: 'c/web', ...bad });
    expect(p.severity ?? 'error').toBe('error');
    expect(formatProblem(p)).toBe('[c/web] port 0 is out of range. Fix: use a whole number between 1 and 65535');
  });

  test('GIVEN a structured problem THEN plain cdk8s app.synth() fails with the "what. Fix: how" text', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dy-problems-')) });
    const c = new Construct(new Chart(app, 'c'), 'web');
    addProblems(c, () => [{ message: 'image "" is not a valid image reference', fix: 'pass an image like "nginx:1.27"' }]);
    expect(() => app.synth()).toThrow('[c/web] image "" is not a valid image reference. Fix: pass an image like "nginx:1.27"');
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test('GIVEN structured and foreign validations on one construct THEN each keeps its place and the foreign text is split', () => {
    const app = new App();
    const c = new Construct(new Chart(app, 'c'), 'web');
    c.node.addValidation({ validate: () => ['first. Fix: one'] });
    addProblems(c, () => [bad, { message: 'is wrong', object: 'Pod/p', fieldPath: ['spec'] }]);
    c.node.addValidation({ validate: () => ['plain text'] });
    expect(constructProblems(app)).toEqual([
      { where: 'c/web', message: 'first.', fix: 'one' },
      { where: 'c/web', ...bad },
      { where: 'c/web', message: 'is wrong', object: 'Pod/p', fieldPath: ['spec'] },
      { where: 'c/web', message: 'plain text' },
    ]);
    expect(constructProblems(app)).toEqual(reference(app).map((r, i) => (i === 1 || i === 2 ? expect.anything() : r)));
  });

  test('GIVEN a check that passes after a change THEN no stale problem is reported', () => {
    const app = new App();
    const c = new Construct(new Chart(app, 'c'), 'web');
    let port = 0;
    addProblems(c, () => (port === 0 ? [bad] : []));
    expect(constructProblems(app)).toHaveLength(1);
    port = 80;
    expect(constructProblems(app)).toEqual([]);
  });
});

describe('formatProblem', () => {
  test('GIVEN an object and a field THEN both lead the message, the object only where `where` does not name it', () => {
    const p = { message: 'must be a string', fix: 'quote it', object: 'Pod/p', fieldPath: ['spec', 'containers', 0, 'image'] };
    expect(formatProblem({ where: 'c/p/Resource', ...p })).toBe('[c/p/Resource] Pod/p: spec.containers[0].image: must be a string. Fix: quote it');
    expect(formatProblem({ where: 'Pod/p', ...p })).toBe('[Pod/p] spec.containers[0].image: must be a string. Fix: quote it');
    expect(formatProblem({ where: 'f.yaml:3', message: 'has a tab', fieldPath: ['x'] })).toBe('[f.yaml:3] has a tab');
    expect(formatProblem({ where: 'w', message: 'ends with a question?', fix: 'f' })).toBe('[w] ends with a question? Fix: f');
  });
});

import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
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

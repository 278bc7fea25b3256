import * as root from '../../lib';
import * as compose from '../../lib/compose';
import * as graph from '../../lib/graph';
import * as docker from '../../lib/targets/docker';

// The package root loads compose, the Docker target and the graph on first use (lib/lazy-exports.ts
// lists their names): every value export of those modules must still be reachable from the root.
describe('lazy root exports', () => {
  test.each([['compose', compose], ['targets/docker', docker]] as const)('%s: every value export is on the root, the same value', (_name, mod) => {
    const names = Object.keys(mod);
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect([n, (root as Record<string, unknown>)[n]]).toEqual([n, (mod as Record<string, unknown>)[n]]);
  });

  test('graph: the public subset', () => {
    for (const n of ['buildGraph', 'graphOfApp', 'toMermaid', 'toDot', 'graphToSvg', 'graphToPng']) expect((root as Record<string, unknown>)[n]).toBe((graph as Record<string, unknown>)[n]);
  });
});

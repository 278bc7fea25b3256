import * as fs from 'node:fs';
import * as lib from '../../lib';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { SIZES, benchYaml, golden, fileOf } = require('../../bench/synth/golden.js');

// The benchmark app's YAML is pinned (generated once, `node bench/synth/golden.js --write`): a
// rewrite of rendering, constructs or the YAML emitter must not change one byte of it.
describe('benchmark app output is byte-for-byte the pinned golden', () => {
  test.each(SIZES as number[])('N=%i', (n) => {
    const text = benchYaml(n, lib);
    expect(text.length).toBeGreaterThan(n * 1000);
    expect(golden(n, text)).toBe(fs.readFileSync(fileOf(n), 'utf8'));
  });
});

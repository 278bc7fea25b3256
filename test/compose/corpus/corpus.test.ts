import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ComposeApp } from '../../../lib/compose/compose-app';
import { validateObjects } from '../../../lib/core/schema';
import { Testing } from '../../../lib/pipeline/testing';
import { ExpectedService, FieldResult, score } from './score';

/**
 * The compose corpus: compose files written after the setups well-known projects document, each
 * with the Kubernetes fields a careful engineer expects (cases/<name>/expected.yaml, by hand).
 * Every field of every expected service is scored; the match rate must stay at or above 90%.
 */
const CASES = path.join(__dirname, 'cases');
const names = fs.readdirSync(CASES).filter((n) => fs.existsSync(path.join(CASES, n, 'compose.yaml'))).sort();

function convertCase(name: string) {
  const chart = Testing.chart();
  new ComposeApp(chart, 'stack', { files: [path.join(CASES, name, 'compose.yaml')], env: {} });
  return Testing.synth(chart, { policy: false }); // scoring the mapping; convert's policy has its own tests
}

describe('compose corpus', () => {
  const results: Record<string, FieldResult[]> = {};

  test('has at least 25 cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  test.each(names)('%s converts to schema-valid objects and is scored field by field', (name) => {
    const objects = convertCase(name);
    expect(validateObjects(objects)).toEqual([]);
    const expected = (parse(fs.readFileSync(path.join(CASES, name, 'expected.yaml'), 'utf8')) as { services: Record<string, ExpectedService> }).services;
    results[name] = score(expected, objects);
    expect(results[name].length).toBeGreaterThan(0);
  });

  afterAll(() => {
    const all = Object.values(results).flat();
    const ok = all.filter((r) => r.ok).length;
    const misses = all.filter((r) => !r.ok).map((r) => `  ${r.service}.${r.field}: expected ${JSON.stringify(r.expected)}, got ${JSON.stringify(r.actual)}`);
    const perCase = Object.entries(results).map(([n, rs]) => `${n} ${rs.filter((r) => r.ok).length}/${rs.length}`);
    // The figure the issue asks for, printed on every run.
    process.stdout.write(`compose corpus: ${ok}/${all.length} fields match (${((100 * ok) / Math.max(1, all.length)).toFixed(1)}%) over ${Object.keys(results).length} files\n${perCase.join('\n')}\n${misses.length ? `misses:\n${misses.join('\n')}\n` : ''}`);
  });

  test('matches at least 90% of the expected fields', () => {
    // Runs after the per-case tests (jest runs tests in order within a file).
    const all = Object.values(results).flat();
    expect(all.length).toBeGreaterThan(25 * 10);
    expect(all.filter((r) => r.ok).length / all.length).toBeGreaterThanOrEqual(0.9);
  });
});

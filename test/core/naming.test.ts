import { createHash } from 'node:crypto';
import { DNS_1035_LABEL, DNS_LABEL, dnsLabelOf, isValidLabel, isValidLabelValue, labelKeyProblem, shortHash, stableStringify, toDnsLabel } from '../../lib/core/naming';

describe('toDnsLabel', () => {
  test('gives what the full conversion gives, for labels, near-labels and anything else', () => {
    let seed = 3;
    const rnd = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const alphabet = ['a', 'z', '0', '9', '-', '-', 'A', '_', '.', ' ', 'é'];
    const inputs = ['web-1', 'web--1', '-web', 'web-', 'a', '', '9', 'config-0', 'a'.repeat(40), 'a'.repeat(41), 'a'.repeat(63), 'a'.repeat(64), 'webApp', 'WEB'];
    for (let i = 0; i < 3000; i++) inputs.push(Array.from({ length: Math.floor(rnd() * 70) }, () => alphabet[Math.floor(rnd() * (rnd() < 0.7 ? 5 : alphabet.length))]).join(''));
    for (const input of inputs) {
      for (const max of [63, 40, 10, 9]) expect(`${input} ${max}: ${toDnsLabel(input, max)}`).toBe(`${input} ${max}: ${dnsLabelOf(input, max)}`);
    }
  });
});

describe('shortHash', () => {
  test('is the sha256 hex prefix of the text (or of the stable JSON of a value)', () => {
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    for (const text of ['', 'web', 'é\u{1F600}', '\uD800 lone', 'x'.repeat(100000)]) {
      expect(shortHash(text, 64)).toBe(sha(text));
      expect(shortHash(text)).toBe(sha(text).slice(0, 10));
    }
    const value = { b: [1, { d: 2, c: 3 }], a: 'x' };
    expect(shortHash(value, 8)).toBe(sha(stableStringify(value)).slice(0, 8));
  });
});

describe('labels and DNS-1035 names: one definition for schema, API rules, compose and PodService', () => {
  test.each([
    ['app', 'web', true],
    ['example.com/tier', 'front-end_1.0', true],
    ['a'.repeat(63), '', true],
    ['a'.repeat(64), 'x', false],
    ['Example.com/tier', 'x', false], // the prefix is a DNS subdomain: lower case
    ['example.com/', 'x', false],
    ['tier', '-x', false],
    ['tier', 'x'.repeat(64), false],
    [`${'a'.repeat(254)}/k`, 'x', false],
  ])('isValidLabel(%j, %j) is %s', (key, value, ok) => {
    expect(isValidLabel(key, value)).toBe(ok);
    expect(labelKeyProblem(key) === undefined && isValidLabelValue(value)).toBe(ok);
  });

  test('labelKeyProblem names the part that is wrong', () => {
    expect(labelKeyProblem('Example.com/tier')).toBe('the prefix "Example.com" must be a DNS subdomain (lowercase letters, digits, "-" and ".")');
    expect(labelKeyProblem('-tier')).toMatch(/^must be at most 63 letters/);
  });

  test('DNS_1035_LABEL refuses a leading digit that DNS_LABEL allows', () => {
    expect(DNS_LABEL.test('1web')).toBe(true);
    expect(DNS_1035_LABEL.test('1web')).toBe(false);
    expect(DNS_1035_LABEL.test('web-1')).toBe(true);
    expect(DNS_1035_LABEL.test('web-')).toBe(false);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliArgsRunner } from './runners/cli-args';
import { manifestRunner } from './runners/cli-manifests';
import { composeRunner } from './runners/compose';
import { dockerRunner } from './runners/docker';
import { dockerConfigRunner } from './runners/docker-config';
import { propsRunner } from './runners/props';
import { CorpusRunner, readHeader } from './runners/types';
import { webhookRunner } from './runners/webhook';

/**
 * Walks test/bad-input/<kind>/ and holds every case to the same promise: the input is refused with a
 * user error (no stack trace), the message names the location and a fix, it says what the case
 * expects, and nothing was written. A new kind of input adds a folder, a runner and one entry here.
 */
const RUNNERS: Record<string, CorpusRunner> = {
  manifests: manifestRunner('validate'),
  policy: manifestRunner('lint'),
  cli: cliArgsRunner,
  props: propsRunner,
  compose: composeRunner,
  webhook: webhookRunner,
  docker: dockerRunner,
  'docker-config': dockerConfigRunner,
};

const ROOT = __dirname;
const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
/** A fix: a `Fix:` sentence, a did-you-mean, or an example of the valid form (`like 30s`, `e.g.`, `add "image:"`). */
const FIX_HINT = /\bfix\b|did you mean|\blike\b|\be\.g\.|\badd "/i;

function casesOf(kind: string): string[] {
  const dir = path.join(ROOT, kind);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => RUNNERS[kind].extensions.some((e) => f.endsWith(e))).sort().map((f) => path.join(dir, f));
}

const all = Object.keys(RUNNERS).flatMap((kind) => casesOf(kind).map((file) => ({ kind, file, name: `${kind}/${path.basename(file)}` })));

describe('bad-input corpus', () => {
  afterAll(async () => {
    for (const r of Object.values(RUNNERS)) await r.teardown?.();
  });

  test('has at least 200 cases, each with expectations', () => {
    expect(all.length).toBeGreaterThanOrEqual(200);
    for (const c of all) expect([c.name, readHeader(c.file).expect.length > 0]).toEqual([c.name, true]);
  });

  test.each(all.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const header = readHeader(c.file);
    const o = await RUNNERS[c.kind].run(c.file, header);
    const shown = `--- what the user saw ---\n${o.text}`;
    expect([o.refused, shown]).toEqual([true, shown]);
    expect(o.text).not.toMatch(STACK_TRACE);
    expect(o.text).not.toContain('internal error');
    expect([o.text.match(o.location) !== null || o.text.includes(String(o.location)), String(o.location), shown]).toEqual([true, String(o.location), shown]);
    // `# gap: ...` marks a message that lacks a fix hint, reported to its owner; the rest still holds.
    if (!header.fields.gap) expect([FIX_HINT.test(o.text), shown]).toEqual([true, shown]);
    for (const fragment of header.expect) expect(o.text).toContain(fragment);
    expect(o.partialOutput).toBeUndefined();
  });
});

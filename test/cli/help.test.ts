import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliIo } from '../../lib/cli/command';
import { COMMAND_NAMES, commandByName, commandHelp, main } from '../../lib/cli/main';
import { colorWanted, paint } from '../../lib/cli/style';

const DOC = path.join(__dirname, '../../docs/cli.md');

function io(env: NodeJS.ProcessEnv = {}): CliIo & { text: () => { out: string; err: string } } {
  let out = ''; let err = '';
  return { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => '', env, text: () => ({ out, err }) };
}

async function helpOf(name: string): Promise<string> {
  return commandHelp(name, commandByName(name)!, io());
}

/** docs/cli.md as generated from the commands' flag tables (UPDATE_DOCS=1 rewrites it). */
async function renderDoc(): Promise<string> {
  const parts = [
    '# The dockyard command',
    '',
    '`dockyard <command> --help` prints the same text as below: it is generated from the flag table each',
    'command parses, so a new flag shows up in its help by itself (this page is checked by',
    '`test/cli/help.test.ts`; `UPDATE_DOCS=1 npx jest test/cli/help.test.ts` rewrites it).',
    'A mistyped command or flag gets a did-you-mean. Colours are used only on a terminal: `NO_COLOR=1`',
    'turns them off, `FORCE_COLOR=1` on. Exit codes: 0 done, 1 a problem in your input (printed with its',
    'location and a fix, never a stack trace), 2 a usage error of `dockyard` itself, 70 a bug in Dockyard.',
    '',
  ];
  for (const name of COMMAND_NAMES) parts.push(`## dockyard ${name}`, '', '```', (await helpOf(name)).trimEnd(), '```', '');
  return parts.join('\n');
}

describe('dockyard <command> --help', () => {
  test.each(COMMAND_NAMES.map((n) => [n]))('%s lists every flag it parses, each with one line and its default', async (name) => {
    const text = await helpOf(name);
    expect(text).toMatch(new RegExp(`^usage: dockyard ${name}`));
    const rows = text.split('\n').filter((l) => /^ {2}--/.test(l));
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      expect([row, /\(default: [^)]+\)$/.test(row)]).toEqual([row, true]);
      expect([row, row.includes('(no description)')]).toEqual([row, false]);
    }
  });

  test('the help of a command is what `dockyard <command> --help` and `dockyard help <command>` print', async () => {
    const a = io(); const b = io();
    expect(await main(['validate', '--help'], a)).toBe(0);
    expect(await main(['help', 'validate'], b)).toBe(0);
    expect(a.text().out).toBe(await helpOf('validate'));
    expect(b.text().out).toBe(a.text().out);
    expect(a.text().out).toContain('--crd FILE (repeatable)');
  });

  test('init --help says what it writes', async () => {
    const text = await helpOf('init');
    for (const f of ['package.json', 'cdk8s.yaml', 'main.ts', 'main.test.ts', 'Pulumi.yaml', 'tsconfig.json', 'jest.config.js', '--force']) expect(text).toContain(f);
  });

  test('docs/cli.md is the generated help of every command', async () => {
    const want = await renderDoc();
    if (process.env.UPDATE_DOCS === '1') fs.writeFileSync(DOC, want);
    expect(fs.readFileSync(DOC, 'utf8')).toBe(want);
  });
});

describe('mistakes get a did-you-mean', () => {
  test('a mistyped command', async () => {
    const o = io();
    expect(await main(['valdate', 'x.yaml'], o)).toBe(2);
    expect(o.text().err).toContain('unknown command "valdate"; did you mean "validate"?');
  });

  test('a mistyped flag names the flag it was probably meant to be', async () => {
    const o = io();
    expect(await main(['lint', '--verbos', 'x.yaml'], o)).toBe(1);
    expect(o.text().err).toContain("Unknown option '--verbos'; did you mean --verbose?");
    expect(o.text().err).not.toMatch(/^\s+at /m);
  });
});

describe('colours', () => {
  test('only on a TTY; NO_COLOR turns them off, FORCE_COLOR on', () => {
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(false, {})).toBe(false);
    expect(colorWanted(undefined, {})).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(true, { TERM: 'dumb' })).toBe(false);
    expect(colorWanted(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(paint(false, 'red', 'x')).toBe('x');
    expect(paint(true, 'red', 'x')).toBe('\u001b[31mx\u001b[0m');
  });

  test('a CLI run without a terminal prints no escape codes', async () => {
    const o = io();
    await main(['validate', 'test/bad-input/manifests/volume-condigmap.yaml'], o);
    expect(o.text().err).not.toContain('\u001b[');
    expect(o.text().err).toContain('condigMap');
  });
});

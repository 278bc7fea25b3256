import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The TypeScript blocks of the user docs compile as written, under strict mode, against the package
 * (`dockyard` resolved to lib/index.ts as a user's project resolves it to the built entry).
 */
const ROOT = path.resolve(__dirname, '../..');
const DOCS = ['README.md', 'docs/testing.md', 'docs/custom-resources.md'];

/** The ```ts blocks of a Markdown file, with the line each starts on. */
export function tsBlocks(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const re = /^( *)```(ts|typescript)\n([\s\S]*?)^ *```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    const indent = m[1].length;
    out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[3].split('\n').map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n') });
  }
  return out;
}

const blocks = DOCS.flatMap((doc) => tsBlocks(fs.readFileSync(path.join(ROOT, doc), 'utf8')).map((b) => ({ name: `${doc}:${b.line}`, code: b.code })));

test('the docs have TypeScript examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  expect(blocks.filter((b) => b.name.startsWith('README.md')).length).toBeGreaterThanOrEqual(2);
});

test('every TypeScript block of the user docs type-checks strictly against the package', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dy-docs-'));
  const files = blocks.map((b, i) => {
    const file = path.join(dir, `block${i}.ts`);
    fs.writeFileSync(file, `${b.code}\nexport {};\n`);
    return file;
  });
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, strict: true, noEmit: true,
    esModuleInterop: true, skipLibCheck: true, types: ['node', 'jest'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    baseUrl: ROOT, paths: { 'dockyard': ['lib/index.ts'], 'dockyard/pulumi': ['lib/targets/pulumi/index.ts'], 'dockyard/docker': ['lib/targets/docker/index.ts'], 'dockyard/*': ['lib/*/index.ts'], '*': ['node_modules/*', 'node_modules/@types/*'] },
  });
  const errors = files.flatMap((f, i) => {
    const sf = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => `${blocks[i].name} (+${d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line} lines): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  });
  expect(errors).toEqual([]);
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliCommand, CliIo } from '../command';
import { DockyardError } from '../../core/errors';
import { parseFlags } from '../args';

const usage = 'dockyard synth [--watch] [-o|--output DIR] [-a|--app COMMAND]';

/** How an app command runs: a JS or TS file loaded into this process, or the command in a shell. */
export type AppEntry =
  | { readonly kind: 'js'; readonly file: string }
  | { readonly kind: 'ts'; readonly file: string }
  | { readonly kind: 'shell'; readonly command: string };

/**
 * The entry of a cdk8s.yaml `app` command: `node <file>` runs in-process; `ts-node [-T] <file.ts>`,
 * `npx ts-node ...` and `tsx <file.ts>` run in-process when ts-node can be loaded from `cwd` (with
 * transpile-only: type errors are `tsc`'s job); any other command runs in a shell as `cdk8s synth`
 * runs it.
 */
export function appEntry(command: string, cwd: string, canLoad: (mod: string) => boolean = (m) => resolvable(m, cwd)): AppEntry {
  const words = command.trim().split(/\s+/);
  if (words[0] === 'npx') words.shift();
  const file = words[words.length - 1];
  if (words.length === 2 && words[0] === 'node' && /\.c?js$/.test(file)) return { kind: 'js', file: path.resolve(cwd, file) };
  const tsRunner = words[0] === 'ts-node' || words[0] === 'tsx';
  const flags = words.slice(1, -1);
  if (tsRunner && /\.ts$/.test(file) && flags.every((f) => f === '-T' || f === '--transpile-only') && canLoad('ts-node')) return { kind: 'ts', file: path.resolve(cwd, file) };
  return { kind: 'shell', command };
}

function resolvable(mod: string, cwd: string): boolean {
  try {
    require.resolve(mod, { paths: [cwd] });
    return true;
  } catch {
    return false;
  }
}

/** The `app` and `output` of cdk8s.yaml in `cwd`. */
function readConfig(cwd: string): { app?: string; output?: string } {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return {};
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const YAML = require('yaml') as typeof import('yaml');
  let doc: unknown;
  try {
    doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DockyardError({ where: file, message: `is not valid YAML (${(e as Error).message.split('\n')[0]})`, fix: 'fix the file; it needs at least `app: <command>`' });
  }
  const config = (doc ?? {}) as Record<string, unknown>;
  return { app: typeof config.app === 'string' ? config.app : undefined, output: typeof config.output === 'string' ? config.output : undefined };
}

let tsRegistered = false;

/** Forgets the modules of the project (not node_modules), so the next require loads the changed files. */
function forgetProjectModules(cwd: string): void {
  const root = path.resolve(cwd) + path.sep;
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(root) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
  }
}

/**
 * Runs the app once, as `cdk8s synth` does (`output` as given: relative to `cwd`, or absolute): the output folder emptied, the app run with CDK8S_OUTDIR
 * set (its standard output is not shown, as cdk8s-cli captures it), then the manifests listed.
 * Returns the exit code.
 */
export function synthOnce(entry: AppEntry, output: string, cwd: string, io: CliIo, again = false): number {
  const outdir = path.resolve(cwd, output);
  io.out('Synthesizing application\n');
  fs.rmSync(outdir, { recursive: true, force: true });
  const code = entry.kind === 'shell' ? runShell(entry.command, outdir, cwd) : runInProcess(entry, outdir, cwd, io, again);
  if (code !== 0) {
    io.err(`Error: the app ("${entry.kind === 'shell' ? entry.command : path.relative(cwd, entry.file)}") failed with exit code ${code}\n`);
    return 1;
  }
  if (!fs.existsSync(outdir)) {
    io.err(`ERROR: synthesis failed, app expected to create "${output}"\n`);
    return 1;
  }
  const manifests = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort();
  if (manifests.length === 0) io.err('No manifests synthesized\n');
  for (const f of manifests) io.out(`  - ${path.join(output, f)}\n`);
  return 0;
}

function runShell(command: string, outdir: string, cwd: string): number {
  const r = spawnSync(command, { shell: true, cwd, stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, CDK8S_OUTDIR: outdir } });
  return r.status ?? 1;
}

function runInProcess(entry: Extract<AppEntry, { file: string }>, outdir: string, cwd: string, io: CliIo, again: boolean): number {
  if (entry.kind === 'ts' && !tsRegistered) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require(require.resolve('ts-node', { paths: [cwd] })).register({ transpileOnly: true });
    tsRegistered = true;
  }
  const saved = { outdir: process.env.CDK8S_OUTDIR, exitCode: process.exitCode, write: process.stdout.write };
  process.env.CDK8S_OUTDIR = outdir;
  process.exitCode = undefined;
  // The app's standard output is dropped, as `cdk8s synth` drops it; its errors go to stderr.
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    // A re-run (--watch) loads the changed files: the project's modules are forgotten first.
    if (again) forgetProjectModules(cwd);
    require(entry.file);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    process.stdout.write = saved.write;
    io.err(`${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  } finally {
    process.stdout.write = saved.write;
    process.exitCode = saved.exitCode;
    if (saved.outdir === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved.outdir;
  }
}

/** True for a changed file that should re-run the synth (not the output, caches or dependencies). */
export function triggersResynth(file: string, outdir: string, cwd: string): boolean {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  const out = path.relative(cwd, outdir);
  if (rel.startsWith('..') || (out && (rel === out || rel.startsWith(out + path.sep)))) return false;
  const top = rel.split(path.sep)[0];
  return !['node_modules', '.git', '.dockyard'].includes(top) && !/\.(tmp-|old-)\d+/.test(rel);
}

/** Re-runs `synth` after changes under `cwd`, debounced; never resolves (Ctrl-C stops it). */
function watch(cwd: string, outdir: string, synth: () => void, io: CliIo): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  fs.watch(cwd, { recursive: true }, (_event, file) => {
    if (!file || !triggersResynth(String(file), outdir, cwd)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      synth();
      io.out('watching for changes (Ctrl-C to stop)\n');
    }, 200);
  });
  io.out('watching for changes (Ctrl-C to stop)\n');
  return new Promise<number>(() => undefined);
}

/** `dockyard synth`: the cdk8s.yaml app, in this process when it can be, like `cdk8s synth`. */
export const command: CliCommand = {
  summary: 'synthesize the cdk8s.yaml app to manifests, in-process (--watch: again on every change)',
  usage,
  async run(args, io) {
    const { values } = parseFlags(args, {
      watch: { type: 'boolean', help: 'synthesize again whenever a file of the project changes (Ctrl-C stops)' },
      output: { type: 'string', short: 'o', help: 'the output folder', defaultText: 'output of cdk8s.yaml, else dist' },
      app: { type: 'string', short: 'a', help: 'the app command to run', defaultText: 'app of cdk8s.yaml' },
    }, usage);
    const cwd = process.cwd();
    const config = readConfig(cwd);
    const app = (values.app as string | undefined) ?? config.app;
    if (!app) throw new DockyardError({ where: path.join(cwd, 'cdk8s.yaml'), message: 'names no app to run', fix: 'add `app: node main.js` (or your app command) to cdk8s.yaml, or pass --app' });
    const output = (values.output as string | undefined) ?? config.output ?? 'dist';
    const entry = appEntry(app, cwd);
    if (!values.watch) return synthOnce(entry, output, cwd, io);
    synthOnce(entry, output, cwd, io);
    return watch(cwd, path.resolve(cwd, output), () => synthOnce(entry, output, cwd, io, true), io);
  },
};

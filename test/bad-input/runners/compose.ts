import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './cli-manifests';
import { CaseHeader, CaseOutcome, CorpusRunner, fileLine, markedLine } from './types';

/**
 * Compose cases: the case file is a compose file, run through `dockyard convert <case> -o <empty dir>`;
 * `# <-` marks the line the error must name, and the output folder must stay empty.
 *
 * Cases that need more than one file use these headers, and then run in a fresh project folder that
 * holds the case as `compose.yaml`:
 * - `# setup: <shell command>` (one or more, run in order in that folder): extra files, symlinks,
 *   FIFOs, permissions (`printf 'A=1\n' > app.env`, `ln -s /run/dockyard link`, `mkfifo fifo`);
 * - `# args: --strict --profile x` (or `# flags:`): more arguments for convert (`--strict` makes a warning refuse);
 * - `# as: nobody`: run with the effective uid/gid 65534, so file permissions apply when the tests
 *   run as root (they do on CI); the real uid stays root, so the runner switches back after the case.
 */
export const composeRunner: CorpusRunner = {
  extensions: ['.yaml', '.yml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const rel = path.relative(process.cwd(), file);
    const line = markedLine(file, header);
    if (line === undefined) throw new Error(`${rel}: mark the line the error points at with "# <-" or "# line: N"`);
    const setup = headerLines(file, 'setup');
    // `# flags:` is the older name of `# args:`.
    const args = (header.fields.args ?? header.fields.flags ?? '').split(/\s+/).filter(Boolean);
    const asNobody = header.fields.as === 'nobody';
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-compose-'));
    let project: string | undefined;
    let target = rel;
    if (setup.length || asNobody) {
      project = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-compose-project-'));
      target = path.join(project, 'compose.yaml');
      fs.copyFileSync(file, target);
      for (const cmd of setup) execFileSync('sh', ['-c', cmd], { cwd: project, stdio: 'pipe' });
    }
    let r: { code: number; out: string; err: string };
    if (asNobody) {
      // A first run as root loads (and compiles) every module the conversion needs, so nothing is
      // required while the effective user cannot write the transform cache; its output is discarded.
      const warm = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-compose-warm-'));
      await runCli(['convert', target, '-o', warm, ...args]);
      fs.rmSync(warm, { recursive: true, force: true });
      fs.chmodSync(project!, 0o755);
      fs.chmodSync(outdir, 0o777);
      r = await asUser(65534, () => runCli(['convert', target, '-o', outdir, ...args]));
    } else {
      r = await runCli(['convert', target, '-o', outdir, ...args]);
    }
    const left = fs.readdirSync(outdir);
    fs.rmSync(outdir, { recursive: true, force: true });
    if (project) {
      execFileSync('chmod', ['-R', 'u+rwx', project]);
      fs.rmSync(project, { recursive: true, force: true });
    }
    return {
      refused: r.code === 1,
      text: `${r.err}${r.out}`,
      location: fileLine(target, line),
      partialOutput: left.length ? `files written: ${left.join(', ')}` : undefined,
    };
  },
};

/** Every `# key: value` header line with this key (the shared header keeps only the last). */
function headerLines(file: string, key: string): string[] {
  const out: string[] = [];
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^#\s*([a-z-]+):\s?(.*)$/.exec(l);
    if (!m) { if (l.startsWith('#')) continue; break; }
    if (m[1] === key) out.push(m[2]);
  }
  return out;
}

/** Runs `fn` with the effective uid/gid switched (root only; others already have their own permissions). */
async function asUser<T>(uid: number, fn: () => Promise<T>): Promise<T> {
  if (typeof process.geteuid !== 'function' || process.geteuid() !== 0) return fn();
  process.setegid!(uid);
  process.seteuid!(uid);
  try {
    return await fn();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}

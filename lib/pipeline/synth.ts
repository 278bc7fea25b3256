import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { isUserError, userErrorText } from '../core/errors';
import { KubeObject } from '../core/manifests';
import type { KnownSchema } from '../core/schema';
import { ChartOutput, SynthCheck, toYaml } from '../core/synth';
import { holdsSecretData, writeFileAtomic } from '../core/write-file';
import { gateApp } from './gate';

/** Options for `synthApp`. */
export interface SynthOptions {
  /** Output folder. @default - the App's outdir ($CDK8S_OUTDIR, else "dist") */
  readonly outdir?: string;
  /** Extra checks run after validation, before writing; throw a DockyardError to fail. @default - none */
  readonly checks?: SynthCheck[];
  /** Run the policy checks (lib/policy): error findings fail the synth, warnings are logged. @default true */
  readonly policy?: boolean;
  /** Where progress lines go. @default - nowhere */
  readonly log?: (line: string) => void;
  /** CustomResourceDefinitions (files or objects) to check custom resources against, besides the app's own and cdk8s.yaml `crds:`. @default - none */
  readonly crds?: readonly (string | KubeObject)[];
  /** Schemas of custom kinds known without their CRDs (e.g. `METACONTROLLER_SCHEMAS`), besides those the app's constructs declare. @default - none */
  readonly schemas?: readonly KnownSchema[];
}


function backupDir(outdir: string): string {
  return path.join(path.dirname(path.resolve(outdir)), '.dockyard', `last-${path.basename(path.resolve(outdir))}`);
}

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

/** Puts the last good output back when the output folder is missing or empty (cdk8s synth empties it). */
function restoreLastGood(outdir: string): void {
  const backup = backupDir(outdir);
  const empty = !fs.existsSync(outdir) || fs.readdirSync(outdir).length === 0;
  if (empty && fs.existsSync(backup)) copyDir(backup, outdir);
}

/**
 * Synthesizes every chart to `<outdir>/<chart>.k8s.yaml`, atomically: the files are written to a
 * temporary sibling folder and swapped in only when everything validated. A copy of the last good
 * output is kept in `.dockyard/`, because `cdk8s synth` empties the output folder before it runs the
 * app: after a failed synth that copy is put back, so `dist/` is as it was.
 */
export function synthApp(app: App, options: SynthOptions = {}): ChartOutput[] {
  // The App's outdir already defaults to $CDK8S_OUTDIR, then dist/ (as cdk8s does).
  const outdir = path.resolve(options.outdir ?? app.outdir ?? process.env.CDK8S_OUTDIR ?? 'dist');
  const backup = backupDir(outdir);
  let outputs: ChartOutput[];
  try {
    outputs = gateApp(app, { policy: options.policy, checks: options.checks, crds: options.crds, schemas: options.schemas });
  } catch (e) {
    restoreLastGood(outdir);
    throw e;
  }
  const tmp = `${outdir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const o of outputs) {
    const objects = o.objects.map((x) => x.object);
    writeFileAtomic(path.join(tmp, o.fileName), toYaml(objects), { secret: holdsSecretData(objects) });
    options.log?.(`  - ${path.join(path.relative(process.cwd(), outdir) || '.', o.fileName)}`);
  }
  const old = `${outdir}.old-${process.pid}`;
  if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
  fs.renameSync(tmp, outdir);
  fs.rmSync(old, { recursive: true, force: true });
  fs.rmSync(backup, { recursive: true, force: true });
  copyDir(outdir, backup);
  return outputs;
}

/**
 * A cdk8s app's main: builds the app (an App, or a function that builds one) and synthesizes it. A
 * user error (invalid props, a policy error, an unreadable file) prints its message without a stack
 * trace, leaves the output folder as it was, and sets the exit code to 1; returns whether it succeeded.
 */
export function runSynth(appOrBuild: App | (() => App), options: SynthOptions = {}): boolean {
  let outdir = path.resolve(options.outdir ?? (typeof appOrBuild === 'function' ? undefined : appOrBuild.outdir) ?? process.env.CDK8S_OUTDIR ?? 'dist');
  try {
    const app = typeof appOrBuild === 'function' ? appOrBuild() : appOrBuild;
    outdir = path.resolve(options.outdir ?? app.outdir ?? outdir);
    synthApp(app, { log: (l) => process.stdout.write(`${l}\n`), ...options, outdir });
    return true;
  } catch (e) {
    if (!isUserError(e)) throw e;
    restoreLastGood(outdir);
    process.stderr.write(`synth failed; ${path.relative(process.cwd(), outdir) || '.'}/ was left as it was.\n${userErrorText(e)}\n`);
    process.exitCode = 1;
    return false;
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DockyardError, formatProblem, isUserError, Problem, userErrorText } from './errors';
import { describeObject, KubeObject } from './manifests';
import { chartsToJson, preorder, validationProblems } from './render';
import { loadCrdFiles } from './crd-schema';
import { validateObject } from './schema';
import { holdsSecretData, writeFileAtomic } from './write-file';
import { stringifyYaml } from './yaml-emit';

/** One synthesized object with the construct that made it. */
export interface SynthObject {
  /** The Kubernetes object. */
  readonly object: KubeObject;
  /** Construct path of the ApiObject (`chart/web/Resource`). */
  readonly path: string;
}

/** One chart's output. */
export interface ChartOutput {
  /** The chart. */
  readonly chart: Chart;
  /** Output file name (`<chart id>.k8s.yaml`). */
  readonly fileName: string;
  /** Its objects, in cdk8s' dependency order. */
  readonly objects: SynthObject[];
}

/** Hooks run on the synthesized app before anything is written (e.g. policy checks). */
export type SynthCheck = (app: App, charts: readonly ChartOutput[]) => void;

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
}

/** Options for `renderApp`. */
export interface RenderOptions {
  /** CustomResourceDefinitions (files or objects) known besides the app's own. @default - none */
  readonly crds?: readonly (string | KubeObject)[];
  /** Receives warnings (a custom resource of no known CRD), one per kind. @default - they are dropped */
  readonly onWarning?: (problem: Problem) => void;
}

/** CRD objects from a mix of files and objects. */
function crdObjects(crds: readonly (string | KubeObject)[] = []): KubeObject[] {
  const files = crds.filter((c): c is string => typeof c === 'string');
  return [...crds.filter((c): c is KubeObject => typeof c !== 'string'), ...(files.length ? loadCrdFiles(files) : [])];
}

/** Every construct validation problem in the tree, each with its construct path. */
export function constructProblems(root: IConstruct): Problem[] {
  return validationProblems(preorder(root));
}

/**
 * Renders each chart to objects, tagged with the construct path of the ApiObject that made each (also
 * for objects whose name is lazy, like AppConfig's hashed name); throws if a construct is invalid.
 */
export function renderCharts(app: IConstruct): ChartOutput[] {
  const constructs = preorder(app);
  const problems = validationProblems(constructs);
  if (problems.length) throw new DockyardError(problems, `${problems.length} problem(s) in the app:`);
  const all = constructs.filter((c): c is Chart => Chart.isChart(c));
  const rendered = chartsToJson(all, constructs);
  return all.map((chart, i) => ({
    chart,
    fileName: `${chart.node.id}.k8s.yaml`,
    objects: rendered[i].map((r) => ({ object: r.object, path: r.apiObject?.node.path ?? chart.node.path })),
  }));
}

/** Schema problems of rendered charts, each naming the construct path, object and field; warnings go to `onWarning`, once per kind. */
export function schemaProblems(outputs: readonly ChartOutput[], options: RenderOptions = {}): Problem[] {
  const all = outputs.flatMap((o) => o.objects);
  const crds = [...all.map((o) => o.object).filter((o) => o.kind === 'CustomResourceDefinition'), ...crdObjects(options.crds)];
  const out: Problem[] = [];
  const warned = new Set<string>();
  for (const { object, path: p } of all) {
    for (const issue of validateObject(object, crds)) {
      if (issue.severity === 'warning') {
        if (!warned.has(`${object.apiVersion}/${object.kind}`)) options.onWarning?.({ where: p, message: `${describeObject(object)}: ${issue.message}` });
        warned.add(`${object.apiVersion}/${object.kind}`);
        continue;
      }
      out.push({ where: p, message: `${describeObject(object)}: ${issue.path}: ${issue.message}.`, fix: 'set this field to what the Kubernetes API accepts (see the message)' });
    }
  }
  return out;
}

/**
 * Objects and files that would overwrite each other: two charts writing the same file, or two objects
 * of one chart with the same group, kind, namespace and name (the API server keeps only the last).
 */
export function identityProblems(outputs: readonly ChartOutput[]): Problem[] {
  const out: Problem[] = [];
  const files = new Map<string, string>();
  for (const o of outputs) {
    const first = files.get(o.fileName);
    if (first !== undefined) out.push({ where: o.chart.node.path, message: `writes ${o.fileName}, which chart ${first} writes too; one would overwrite the other.`, fix: 'give the charts different ids' });
    else files.set(o.fileName, o.chart.node.path);
    const seen = new Map<string, string>();
    for (const { object, path: p } of o.objects) {
      const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
      const key = `${group}|${object.kind}|${object.metadata?.namespace ?? ''}|${object.metadata?.name ?? ''}`;
      const prev = seen.get(key);
      if (prev !== undefined) out.push({ where: p, message: `${describeObject(object)} is also made by ${prev}; the cluster would keep only one.`, fix: 'give one of them another name (or id)' });
      else seen.set(key, p);
    }
  }
  return out;
}

/** Renders and validates an app (constructs, then the strict schema); returns the chart outputs. */
export function renderApp(app: IConstruct, options: RenderOptions = {}): ChartOutput[] {
  const outputs = renderCharts(app);
  const problems = [...identityProblems(outputs), ...schemaProblems(outputs, options)];
  if (problems.length) throw new DockyardError(problems, `${problems.length} schema problem(s) in the synthesized objects:`);
  return outputs;
}

/** The YAML text of one chart's objects, byte-identical to cdk8s' `Yaml.stringify` (a faster emitter). */
export function toYaml(objects: readonly KubeObject[]): string {
  return stringifyYaml(objects);
}

function defaultChecks(options: SynthOptions): SynthCheck[] {
  if (options.policy === false) return [];
  // Loaded lazily: policy builds on core, so core must not import it at module load.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { policySynthCheck } = require('../policy') as typeof import('../policy');
  return [policySynthCheck({ log: (l: string) => process.stderr.write(`${l}\n`) })];
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
    outputs = renderApp(app, { crds: options.crds, onWarning: (p) => process.stderr.write(`warning: ${formatProblem(p)}\n`) });
    for (const check of [...defaultChecks(options), ...(options.checks ?? [])]) check(app, outputs);
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

import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DockyardError, Problem } from './errors';
import { formatFieldPath as fmtPath } from './field-path';
import { describeObject, KubeObject, objectKey } from './manifests';
import { chartsToJson, preorder, validationProblems } from './render';
import { loadCrdFiles } from './crd-schema';
import { declaredSchemas } from './known-schemas';
import { KnownSchema, validateObject } from './schema';
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

/** Options for `renderApp`. */
export interface RenderOptions {
  /** CustomResourceDefinitions (files or objects) known besides the app's own. @default - none */
  readonly crds?: readonly (string | KubeObject)[];
  /** Schemas of custom kinds known besides the CRDs (checked first), on top of those the app declares. @default - none */
  readonly schemas?: readonly KnownSchema[];
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
    for (const issue of validateObject(object, crds, options.schemas)) {
      if (issue.severity === 'warning') {
        if (!warned.has(`${object.apiVersion}/${object.kind}`)) options.onWarning?.({ where: p, message: `${describeObject(object)}: ${issue.message}`, severity: 'warning', fieldPath: issue.fieldPath });
        warned.add(`${object.apiVersion}/${object.kind}`);
        continue;
      }
      out.push({ where: p, message: `${issue.where}: ${fmtPath(issue.fieldPath)}: ${issue.message}.`, fix: 'set this field to what the Kubernetes API accepts (see the message)', fieldPath: issue.fieldPath });
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
      const key = objectKey(object);
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
  const schemas = [...(options.schemas ?? []), ...declaredSchemas(app)];
  const problems = [...identityProblems(outputs), ...schemaProblems(outputs, { ...options, schemas })];
  if (problems.length) throw new DockyardError(problems, `${problems.length} schema problem(s) in the synthesized objects:`);
  return outputs;
}

/** The YAML text of one chart's objects, byte-identical to cdk8s' `Yaml.stringify` (a faster emitter). */
export function toYaml(objects: readonly KubeObject[]): string {
  return stringifyYaml(objects);
}

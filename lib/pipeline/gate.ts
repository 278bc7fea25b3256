import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatProblem } from '../core/errors';
import { KubeObject } from '../core/manifests';
import { KnownSchema, ObjectIssue, validateObjects } from '../core/schema';
import { ChartOutput, renderApp, SynthCheck } from '../core/synth';
import { CheckOptions, checkObjects } from '../policy/check';
import { checkRendered, policySynthCheck } from '../policy/policy';
import type { PolicyReport } from '../policy/types';

/**
 * The one gate from a source to validated IR: render (construct validations) -> schema (built-in
 * kinds, known CRDs and schemas) and identity -> policy. `gateApp` takes an app (synthApp, runSynth,
 * `dockyard synth`, Testing, the Pulumi components, convert); `gateObjects` takes objects already
 * rendered or loaded (`dockyard validate`, `lint`, the Docker target, the PodService webhook). Nothing
 * else assembles these steps.
 */

/** Options of the gate. */
export interface GateOptions {
  /** Extra checks run after validation and policy; throw a DockyardError to fail. @default - none */
  readonly checks?: SynthCheck[];
  /** Run the policy checks (lib/policy): error findings fail, warnings are logged. @default true */
  readonly policy?: boolean;
  /** Where warnings go (policy warnings, a custom resource of no known CRD). @default - standard error */
  readonly warn?: (line: string) => void;
  /** CustomResourceDefinitions (files or objects) known besides the app's own. @default - none */
  readonly crds?: readonly (string | KubeObject)[];
  /** Schemas of custom kinds known besides the CRDs, on top of those the app's constructs declare. @default - none */
  readonly schemas?: readonly KnownSchema[];
}

/** What `gateAppReport` returns: the validated charts and the policy report, not yet enforced. */
export interface GateReport {
  /** Each chart's validated objects. */
  readonly outputs: ChartOutput[];
  /** The policy findings (suppressed ones annotated on the objects). */
  readonly policy: PolicyReport;
}

const stderr = (l: string) => process.stderr.write(`${l}\n`);

/**
 * An app to validated IR: render -> schema and identity -> policy (error findings fail, warnings go to
 * `warn`) -> the caller's checks. Throws a DockyardError listing every problem.
 */
export function gateApp(app: IConstruct, options: GateOptions = {}): ChartOutput[] {
  const warn = options.warn ?? stderr;
  const outputs = renderApp(app, { crds: options.crds, schemas: options.schemas, onWarning: (p) => warn(`warning: ${formatProblem(p)}`) });
  const checks = [...(options.policy === false ? [] : [policySynthCheck({ log: warn })]), ...(options.checks ?? [])];
  for (const check of checks) check(app.node.root as App, outputs);
  return outputs;
}

/**
 * `gateApp` for a caller that words the policy's verdict itself (convert points each finding at its
 * compose key): render and schema problems throw; the policy report is returned, not enforced.
 */
export function gateAppReport(app: IConstruct, options: Omit<GateOptions, 'policy' | 'checks'> = {}): GateReport {
  const warn = options.warn ?? stderr;
  const outputs = renderApp(app, { crds: options.crds, schemas: options.schemas, onWarning: (p) => warn(`warning: ${formatProblem(p)}`) });
  return { outputs, policy: checkRendered(app.node.root as App, outputs) };
}

/** Options of `gateObjects`. */
export interface ObjectGateOptions {
  /** Check the objects against the schema. @default true */
  readonly schema?: boolean;
  /** Run the policy rules with these options, or not at all (`false`). @default {} (every rule) */
  readonly policy?: CheckOptions | false;
  /** CustomResourceDefinitions known besides those among the objects. @default - none */
  readonly crds?: readonly KubeObject[];
  /** Schemas of custom kinds known without their CRDs (Metacontroller's). @default - none */
  readonly schemas?: readonly KnownSchema[];
}

/** What `gateObjects` found; the caller decides what fails and how it is shown (file:line, 422, ...). */
export interface ObjectGateResult {
  /** Schema problems by object index (warnings included: a custom kind of no known CRD). */
  readonly schema: ObjectIssue[];
  /** The policy report, unless the policy was not run. */
  readonly policy?: PolicyReport;
}

/** Rendered or loaded objects through the gate's schema and policy steps. Pure: reports, never throws on bad objects. */
export function gateObjects(objects: readonly KubeObject[], options: ObjectGateOptions = {}): ObjectGateResult {
  const schema = options.schema === false ? [] : validateObjects(objects, options.crds, options.schemas);
  const policy = options.policy === false ? undefined : checkObjects(objects, options.policy);
  return { schema, policy };
}

import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatProblem } from '../core/errors';
import { KubeObject } from '../core/manifests';
import type { KnownSchema } from '../core/schema';
import { ChartOutput, renderApp, SynthCheck } from '../core/synth';
import { policySynthCheck } from '../policy/policy';

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

/**
 * The one gate from an app to validated IR: render (construct validations) -> schema and identity
 * (core) -> policy -> the caller's checks. synthApp, runSynth, `dockyard synth` (through the app) and
 * the Pulumi components call it; none assembles its own. Throws a DockyardError listing every problem.
 */
export function gateApp(app: IConstruct, options: GateOptions = {}): ChartOutput[] {
  const warn = options.warn ?? ((l: string) => process.stderr.write(`${l}\n`));
  const outputs = renderApp(app, { crds: options.crds, schemas: options.schemas, onWarning: (p) => warn(`warning: ${formatProblem(p)}`) });
  const checks = [...(options.policy === false ? [] : [policySynthCheck({ log: warn })]), ...(options.checks ?? [])];
  for (const check of checks) check(app.node.root as App, outputs);
  return outputs;
}

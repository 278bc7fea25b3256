/**
 * The IR of a chart as the Pulumi targets take it: validated exactly as `synthApp` validates before
 * writing `dist/` (the one gate: construct validations, the strict Kubernetes schema, policy), so `pulumi up` never
 * sends the cluster an object that `cdk8s synth` would have refused, and errors name construct paths.
 */
import type { Chart } from 'cdk8s';
import { KubeObject } from '../../core/manifests';
import { gateApp } from '../../pipeline/gate';

/**
 * The chart's objects (`chart.toJson()`), after validation and the policy checks (error findings fail,
 * as at synth: a literal password must not reach a cluster through `pulumi up` either); throws a
 * DockyardError listing every problem.
 */
export function chartObjects(chart: Chart): KubeObject[] {
  const outputs = gateApp(chart);
  return outputs.flatMap((o) => o.objects.map((x) => x.object));
}

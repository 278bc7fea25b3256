/**
 * The IR of a chart as the Pulumi targets take it: validated exactly as `synthApp` validates before
 * writing `dist/` (construct validations, then the strict Kubernetes schema), so `pulumi up` never
 * sends the cluster an object that `cdk8s synth` would have refused, and errors name construct paths.
 */
import type { Chart } from 'cdk8s';
import { KubeObject } from '../../core/manifests';
import { renderApp } from '../../core/synth';

/** The chart's objects (`chart.toJson()`), after validation; throws a DockyardError listing every problem. */
export function chartObjects(chart: Chart): KubeObject[] {
  return renderApp(chart).flatMap((o) => o.objects.map((x) => x.object));
}

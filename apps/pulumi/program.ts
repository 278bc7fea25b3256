/** The shipped program body bound to the example apps (tests and apps/pulumi/index.ts use it). */
import { Chart } from 'cdk8s';
import { loadCharts as loadAny } from '../../lib/targets/pulumi/program';
import { EXAMPLE_APPS } from '../index';

export { deploy, isModulePath } from '../../lib/targets/pulumi/program';
export type { ProgramOutputs, BuildFn } from '../../lib/targets/pulumi/program';

/** Builds the charts: example names from `apps/` or paths of cdk8s app modules (relative to `cwd`). */
export function loadCharts(apps: readonly string[], cwd: string = process.cwd()): Chart[] {
  return loadAny(apps, cwd, EXAMPLE_APPS);
}

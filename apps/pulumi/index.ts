/**
 * The repository's Pulumi program (Pulumi.yaml `main`): the shipped program (lib/targets/pulumi/run.ts)
 * with the example apps as names `dockyard:apps` may use. The stack outputs are the returned fields
 * (target, charts, endpoints, notes, kubeconfig, published, addresses). See docs/pulumi.md.
 */
import { runProgram } from '../../lib/targets/pulumi/run';
import { EXAMPLE_APPS } from '../index';

export = runProgram({ apps: EXAMPLE_APPS, defaultApps: ['nginx-webapp'] });

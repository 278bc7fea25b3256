/**
 * The repository's Pulumi program (Pulumi.yaml `main`): the shipped program (lib/targets/pulumi/run.ts)
 * with the example apps as names `dockyard:apps` may use. See docs/pulumi.md.
 */
import { runProgram } from '../../lib/targets/pulumi/run';
import { EXAMPLE_APPS } from '../index';

const out = runProgram({ apps: EXAMPLE_APPS, defaultApps: ['nginx-webapp'] });
export const target = out.target;
export const charts = out.charts;
export const endpoints = out.endpoints;
export const notes = out.notes;
export const kubeconfig = out.kubeconfig;
export const published = out.published;
export const addresses = out.addresses;

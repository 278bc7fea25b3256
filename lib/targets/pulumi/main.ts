/**
 * The shipped Pulumi program entry (`dockyard/pulumi/program`). A project's Pulumi.yaml points its
 * `main` at a file that re-exports this one (`export * from 'dockyard/pulumi/program'`); `pulumi up`
 * then deploys the cdk8s apps named by `dockyard:apps` (default `./main.ts`) to `dockyard:target`.
 */
import { runProgram } from './run';

const out = runProgram();
export const target = out.target;
export const charts = out.charts;
export const endpoints = out.endpoints;
export const notes = out.notes;
export const kubeconfig = out.kubeconfig;
export const published = out.published;
export const addresses = out.addresses;

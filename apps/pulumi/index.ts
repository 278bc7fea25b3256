/**
 * The Pulumi program (Pulumi.yaml `main`): `pulumi up` deploys the apps named by `dockyard:apps` to
 * `dockyard:target` (gke, kind, kubeconfig or docker). See the README, "Deploy with Pulumi".
 */
import * as pulumi from '@pulumi/pulumi';
import { isUserError } from '../../lib/core/errors';
import { deploy, loadCharts } from './program';
import { readSettings } from './settings';

function lookup(fullKey: string): string | undefined {
  const i = fullKey.indexOf(':');
  return new pulumi.Config(fullKey.slice(0, i)).get(fullKey.slice(i + 1));
}

function run() {
  try {
    const settings = readSettings(lookup, pulumi.getStack());
    return deploy(settings, loadCharts(settings.apps));
  } catch (e) {
    // A user mistake is shown as Dockyard's message alone; Pulumi would add a long stack trace.
    if (isUserError(e)) throw new pulumi.RunError(e.message);
    throw e;
  }
}

const out = run();
export const target = out.target;
export const charts = out.charts;
export const endpoints = out.endpoints;
export const notes = out.notes;
export const kubeconfig = out.kubeconfig;
export const published = out.published;
export const addresses = out.addresses;

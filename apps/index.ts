import { App, Chart } from 'cdk8s';
import { configmapSite } from './configmap-site/chart';
import { nginxWebapp } from './nginx-webapp/chart';
import { podservice } from './podservice/chart';
import { podserviceController } from './podservice-controller/chart';
import { rabbitmq } from './rabbitmq/chart';
import { railsGke } from './rails-gke/chart';

/** The example apps by name; each adds one chart (written to dist/<name>.k8s.yaml). */
export const EXAMPLE_APPS: Record<string, (app: App) => Chart> = {
  'nginx-webapp': nginxWebapp,
  'rails-gke': railsGke,
  'rabbitmq': rabbitmq,
  'configmap-site': configmapSite,
  'podservice': podservice,
  'podservice-controller': podserviceController,
};

/** Builds the named example apps (all by default) into `app`. */
export function buildExamples(app: App, names: readonly string[] = Object.keys(EXAMPLE_APPS)): Chart[] {
  return names.map((n) => {
    const build = EXAMPLE_APPS[n];
    if (!build) throw new Error(`unknown example app "${n}"; known: ${Object.keys(EXAMPLE_APPS).join(', ')}`);
    return build(app);
  });
}

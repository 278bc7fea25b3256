/**
 * The Pulumi program's body: builds the charts the stack config names and deploys their objects
 * with `KubernetesApp` (gke, kind, kubeconfig) or `DockerApp` (docker). `index.ts` only reads the
 * config and exports what this returns, so tests run it for every target under mocks.
 */
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { Provider } from '@pulumi/kubernetes/provider';
import { App, Chart } from 'cdk8s';
import { DockyardError } from '../../core/errors';
import { chartObjects } from './chart-objects';
import { DockerApp, PublishedService } from './docker-app';
import { externalSecretObjects, undefinedSecrets } from './external-secrets';
import { GkeCluster } from './gke-cluster';
import { ServiceEndpoint } from './kube-objects';
import { KubernetesApp } from './kubernetes-app';
import { ProgramSettings } from './settings';

/** What the stack exports. Fields that do not apply to the target are undefined. */
export interface ProgramOutputs {
  /** The target deployed to. */
  readonly target: string;
  /** The charts deployed (their ids). */
  readonly charts: string[];
  /** Kubernetes targets: how to reach each Service (on GKE with the external IP). */
  readonly endpoints?: pulumi.Output<Record<string, ServiceEndpoint>>;
  /** Kubernetes targets: what the target changed (e.g. LoadBalancer -> NodePort on kind). */
  readonly notes?: readonly string[];
  /** GKE with cluster creation: the kubeconfig (secret). */
  readonly kubeconfig?: pulumi.Output<string>;
  /** Docker: published Services with their host bindings. */
  readonly published?: PublishedService[];
  /** Docker: container IPs on their networks. */
  readonly addresses?: pulumi.Output<Record<string, string>>;
}

/** A user module: `default` or `build` is a function that adds charts to the app (returning them or not). */
export type BuildFn = (app: App) => Chart | Chart[] | void;

/** True when an `apps` entry is a module path rather than an app name. */
export function isModulePath(entry: string): boolean {
  return /[\\/]/.test(entry) || /\.(ts|js)$/.test(entry);
}

/**
 * Builds the charts: names from `named` (the program's own apps) or paths (relative to `cwd`, the
 * Pulumi project folder) of modules exporting `default` or `build` as `(app: App) => Chart | Chart[] | void`.
 */
export function loadCharts(apps: readonly string[], cwd: string = process.cwd(), named: Readonly<Record<string, BuildFn>> = {}): Chart[] {
  const app = new App();
  for (const entry of apps) {
    if (!isModulePath(entry)) {
      const build = named[entry];
      const known = Object.keys(named);
      if (!build) throw new DockyardError({ where: 'dockyard:apps', message: `"${entry}" is not an app this program knows${known.length ? ` (${known.join(', ')})` : ''}`, fix: `use ${known.length ? 'one of those names, or ' : ''}a path to your cdk8s app module such as ./main.ts` });
      build(app);
      continue;
    }
    const file = path.resolve(cwd, entry);
    let mod: Record<string, unknown>;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(file);
    } catch (e) {
      if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes(file)) throw e;
      throw new DockyardError({ where: 'dockyard:apps', message: `module "${entry}" was not found (looked for ${file})`, fix: 'give a path relative to the Pulumi project folder, e.g. ./src/app.ts' });
    }
    const build = (typeof mod.default === 'function' ? mod.default : mod.build) as BuildFn | undefined;
    if (typeof build !== 'function') throw new DockyardError({ where: `dockyard:apps ${entry}`, message: 'exports no default or build function', fix: 'export function build(app: App) { return new MyChart(app, "my-app"); }' });
    build(app);
  }
  if (app.charts.length === 0) throw new DockyardError({ where: 'dockyard:apps', message: 'the apps added no chart', fix: 'make the build function add a Chart to the App it is given' });
  return [...app.charts];
}

/** Deploys the charts to the configured target and returns what the stack exports. */
export function deploy(settings: ProgramSettings, charts: readonly Chart[]): ProgramOutputs {
  const objects = charts.flatMap((c) => chartObjects(c));
  const all = [...objects, ...externalSecretObjects(objects, settings.secrets)];
  for (const m of undefinedSecrets(all)) {
    void pulumi.log.warn(`Secret "${m.name}"${m.namespace ? ` in namespace ${m.namespace}` : ''} is read by ${m.readers.join(', ')} but defined by no app; create it (kubectl create secret generic ${m.name} ...) or set its values: pulumi config set --secret --path 'dockyard:secrets.${m.name}.KEY' <value>`);
  }
  const names = charts.map((c) => c.node.id);

  if (settings.target === 'docker') {
    const app = new DockerApp(settings.project, {
      objects: all, host: settings.dockerHost, publishAddress: settings.publishAddress, skipUnsupported: settings.skipUnsupported,
    });
    return { target: 'docker', charts: names, published: app.published, addresses: app.addresses };
  }

  // One provider for every chart; with cluster creation it is the new cluster's.
  const cluster = settings.cluster ? new GkeCluster('gke', settings.cluster) : undefined;
  const provider = cluster?.provider ?? new Provider('k8s', {
    kubeconfig: settings.kubeconfig,
    context: settings.context ?? (settings.target === 'kind' ? 'kind-kind' : undefined),
  });
  const app = new KubernetesApp('dockyard', { objects: all, target: settings.target, provider });
  return { target: settings.target, charts: names, endpoints: app.endpoints, notes: app.notes, kubeconfig: cluster?.kubeconfig };
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AppConfig } from '../constructs/app-config';
import { AppSecret } from '../constructs/app-secret';
import { IConfigSource } from '../constructs/config-source';
import { Namespace } from '../constructs/namespace';
import { Probe } from '../constructs/probe';
import { WebApp } from '../constructs/web-app';
import { DockyardError, Problem } from '../core/errors';
import { loadCompose } from './loader';
import { dropUndefined } from './mapping-units';
import { ComposeProject } from './model';
import { ComposePlan, planCompose, PlanOptions, PodExtrasSpec, ServiceSpec } from './plan';
import { applyPodExtras, PodExtras } from './pod-extras';

/** Props for `ComposeApp`. */
export interface ComposeAppProps extends PlanOptions {
  /** Compose files, merged in order (later files override earlier ones). */
  readonly files: string[];
  /** Turn every warning into an error. @default false */
  readonly strict?: boolean;
  /** Variables for `${VAR}` interpolation (they win over `.env`). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Project name. @default - the `name:` key, else the first file's folder */
  readonly projectName?: string;
  /** Also create the Namespace object when `namespace` is set. @default true */
  readonly createNamespace?: boolean;
  /** Active compose profiles. @default - COMPOSE_PROFILES from `env`, else none */
  readonly profiles?: string[];
  /** The project, already loaded from `files` (so a caller that needs it first loads it once). @default - loaded from `files` */
  readonly project?: ComposeProject;
}

/**
 * A docker-compose project as our constructs: each service a `WebApp`, its environment an
 * `AppConfig`, its configs and secrets `AppConfig`/`AppSecret` files, named volumes claims. Keys that
 * do not translate are in `warnings` (with file:line:col), never dropped in silence; `strict` makes
 * them errors. Loader -> neutral model -> plan -> constructs, like kompose.
 */
export class ComposeApp extends Construct {
  /** The loaded compose project (the neutral model). */
  public readonly project: ComposeProject;
  /** The mapping, as data (what `dockyard convert --format ts` prints). */
  public readonly plan: ComposePlan;
  /** The WebApps by compose service name. */
  public readonly apps: Record<string, WebApp> = {};

  constructor(scope: Construct, id: string, props: ComposeAppProps) {
    super(scope, id);
    this.project = props.project ?? loadCompose(props.files, { env: props.env, projectName: props.projectName, profiles: props.profiles });
    this.plan = planCompose(this.project, props);
    const fatal: Problem[] = [...this.plan.errors, ...(props.strict ? this.plan.warnings.map((w) => ({ ...w, fix: w.fix ?? 'change the compose file so the key converts, or run without strict' })) : [])];
    if (fatal.length) throw new DockyardError(fatal, `${fatal.length} problem(s) converting ${props.files.join(', ')}:`);
    if (props.namespace && (props.createNamespace ?? true)) new Namespace(this, 'namespace', { name: props.namespace });
    Object.assign(this.apps, instantiatePlan(this, this.plan));
  }

  /** Keys dropped or changed in meaning, each `[file:line:col] services.x.key: why`. */
  public get warnings(): Problem[] {
    return [...this.plan.warnings];
  }
}

/**
 * Creates the constructs of a plan under `scope`, in the plan's order. Generated TypeScript makes the
 * same calls in the same order, so both synthesize the same YAML.
 */
export function instantiatePlan(scope: Construct, plan: ComposePlan): Record<string, WebApp> {
  for (const c of plan.claims) {
    new ApiObject(scope, c.id, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: c.name, namespace: plan.namespace, labels: c.labels },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: c.storage } } },
    });
  }
  const sources: Record<string, IConfigSource> = {};
  for (const s of plan.sources) {
    if (s.kind === 'AppSecret' && s.external) sources[s.id] = AppSecret.fromExisting(scope, s.id, s.name, Object.keys(s.data), { namespace: plan.namespace });
    else {
      const source = s.kind === 'AppSecret' ? new AppSecret(scope, s.id, { name: s.name, data: s.data, namespace: plan.namespace }) : new AppConfig(scope, s.id, { name: s.name, data: s.data, namespace: plan.namespace });
      for (const [k, v] of Object.entries(s.binaryData ?? {})) source.addBinaryData(k, Buffer.from(v, 'base64'));
      sources[s.id] = source;
    }
  }
  const apps: Record<string, WebApp> = {};
  for (const a of plan.apps) {
    const { envFrom, mounts, probe, extras, ...rest } = a.props;
    const app = new WebApp(scope, a.id, {
      ...rest,
      envFrom: envFrom?.map((e) => ({ source: sources[e.source] })),
      mounts: mounts?.map((m) => ({ ...m, source: sources[m.source] })),
      // Readiness only: plain Compose never restarts an unhealthy container (see docs/compose.md).
      readiness: probe ? Probe.exec(probe.command, probe.options) : undefined,
      startup: probe?.startup ? Probe.exec(probe.command, probe.startup) : undefined,
    });
    if (extras) applyPodExtras(app, resolveExtras(extras, sources));
    apps[a.service] = app;
  }
  for (const s of plan.services) new ApiObject(scope, s.id, { apiVersion: 'v1', kind: 'Service', ...serviceProps(s, plan.namespace) });
  return apps;
}

/** Pod extras with source ids replaced by the constructs. */
export function resolveExtras(extras: PodExtrasSpec, sources: Record<string, IConfigSource>): PodExtras {
  return {
    ...extras,
    sidecars: extras.sidecars?.map((sc) => ({ ...sc, envFrom: sc.envFrom?.map((e) => ({ source: sources[e.source] })), mounts: sc.mounts?.map((m) => ({ ...m, source: sources[m.source] })) })),
  };
}

/** The metadata and spec of an extra Service (headless, published or alias): it selects the pods of its app. */
export function serviceProps(s: ServiceSpec, namespace?: string): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const spec: Record<string, unknown> = {};
  if (s.type !== undefined) spec.type = s.type;
  if (s.headless) spec.clusterIP = 'None';
  spec.selector = { app: s.app };
  if (s.ports.length) spec.ports = s.ports.map((p) => dropUndefined({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, nodePort: p.nodePort }));
  return { metadata: dropUndefined({ name: s.name, namespace, labels: { app: s.app } }), spec };
}

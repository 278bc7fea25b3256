/**
 * `DockerApp`: runs the IR of a chart on a Docker host with `@pulumi/docker`. The Docker plan comes
 * from the same pure planner as `dockyard deploy --docker`; this component only executes it.
 */
import * as pulumi from '@pulumi/pulumi';
import { Container } from '@pulumi/docker/container';
import { Network } from '@pulumi/docker/network';
import { Provider } from '@pulumi/docker/provider';
import { RemoteImage } from '@pulumi/docker/remoteImage';
import { Volume } from '@pulumi/docker/volume';
import type { Chart } from 'cdk8s';
import { DockyardError, formatProblem } from '../../core/errors';
import { KubeObject } from '../../core/manifests';
import { DockerPlan } from '../docker/plan';
import { planDocker, PlanOptions } from '../docker/planner';
import { chartObjects } from './chart-objects';
import { containerArgs, isSecretEnv, isSecretFile, secretValues, toLabels, toPermissions } from './docker-args';

/** Options for `DockerApp`. */
export interface DockerAppArgs extends Omit<PlanOptions, 'project'> {
  /** The cdk8s chart to run; its objects are validated as `cdk8s synth` validates them. @default - only `objects` are run */
  readonly chart?: Chart;
  /** Plain Kubernetes objects to run, after the chart's. @default [] */
  readonly objects?: readonly KubeObject[];
  /** Ownership scope and Docker name prefix (a DNS label), as `--project` of `dockyard deploy`. @default - the component name */
  readonly project?: string;
  /** Docker host URL (`unix:///var/run/docker.sock`, `ssh://user@host`, `tcp://...`). @default - `DOCKER_HOST`, else the local socket */
  readonly host?: pulumi.Input<string>;
  /** A Docker provider to use instead of one built from `host`. @default - a provider built from `host` */
  readonly provider?: Provider;
}

/** How to reach one published Service on the Docker host. */
export interface PublishedService {
  /** `Service/<namespace>/<name>`. */
  readonly service: string;
  /** `hostIp:hostPort->containerPort/protocol` per binding. */
  readonly bindings: string[];
}

/**
 * One Network per namespace, one Volume per PersistentVolumeClaim, one RemoteImage per image (kept
 * locally on destroy, since other projects may use it), and one Container per planned container with
 * its ports, env, copied files (`uploads`; Secret values as Pulumi secrets), labels, restart policy,
 * healthcheck and network aliases.
 */
export class DockerApp extends pulumi.ComponentResource {
  /** The plan that was executed (same as `dockyard deploy --docker` would apply). */
  public readonly plan: DockerPlan;
  /** The Docker provider every resource is created with. */
  public readonly provider: Provider;
  /** Containers by Docker name. */
  public readonly containers: Readonly<Record<string, Container>>;
  /** Published Services with their host bindings. */
  public readonly published: PublishedService[];
  /** IP address of each container on its network, by Docker name (from `networkDatas`). */
  public readonly addresses: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: DockerAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dockyard:pulumi:DockerApp', name, {}, opts);
    const where = `DockerApp ${name}`;
    if (!args.chart && !args.objects?.length) {
      throw new DockyardError({ where, message: 'has nothing to run (no chart, no objects)', fix: 'pass chart: yourChart or objects: [...]' });
    }
    const objects = [...(args.chart ? chartObjects(args.chart) : []), ...(args.objects ?? [])];
    const { chart: _c, objects: _o, host, provider, project, ...planOptions } = args;
    this.plan = planDocker(objects, { ...planOptions, project: project ?? name });
    for (const w of this.plan.warnings) void pulumi.log.warn(formatProblem(w), this);

    this.provider = provider ?? new Provider(`${name}-docker`, { host }, { parent: this });
    const child = { parent: this, provider: this.provider };

    const networks = new Map(this.plan.networks.map((n) => [n.name, new Network(`${name}-${n.name}`, { name: n.name, driver: 'bridge', labels: toLabels(n.labels) }, child)]));
    const volumes = new Map(this.plan.volumes.map((v) => [v.name, new Volume(`${name}-${v.name}`, { name: v.name, labels: toLabels(v.labels) }, child)]));
    const images = new Map<string, RemoteImage>();
    for (const image of [...new Set(this.plan.containers.map((c) => c.image))].sort()) {
      images.set(image, new RemoteImage(`${name}-${image}`, { name: image, keepLocally: true }, child));
    }

    const secrets = secretValues(objects);
    const containers: Record<string, Container> = {};
    // Main containers first: a pod's extra containers join the main one's network namespace.
    const ordered = [...this.plan.containers].sort((a, b) => Number(!!a.networkMode) - Number(!!b.networkMode));
    for (const c of ordered) {
      const network = c.network ? networks.get(c.network) : undefined;
      const uploads = c.files.map((f) => ({
        file: f.path,
        contentBase64: isSecretFile(f, secrets) ? pulumi.secret(f.contentBase64) : f.contentBase64,
        permissions: toPermissions(f.mode),
        owner: String(f.uid),
        group: String(f.gid),
      }));
      const envs = c.env.map((e) => (isSecretEnv(e, secrets) ? pulumi.secret(e) : e));
      const anySecret = c.files.some((f) => isSecretFile(f, secrets)) || c.env.some((e) => isSecretEnv(e, secrets));
      const dependsOn: pulumi.Resource[] = c.mounts.flatMap((m) => (m.type === 'volume' && volumes.has(m.source) ? [volumes.get(m.source)!] : []));
      if (c.networkMode) dependsOn.push(containers[c.pod]);
      containers[c.name] = new Container(`${name}-${c.name}`, {
        ...containerArgs(c),
        image: images.get(c.image)!.imageId,
        envs,
        uploads,
        ...(network ? { networksAdvanced: [{ name: network.name, aliases: [...c.aliases] }] } : {}),
      } as ConstructorParameters<typeof Container>[1], {
        ...child,
        dependsOn,
        // Docker names are fixed by the plan, so a replacement must remove the old container first.
        deleteBeforeReplace: true,
        ...(anySecret ? { additionalSecretOutputs: ['envs', 'uploads'] } : {}),
      });
    }
    this.containers = containers;
    this.published = publishedServices(this.plan);
    this.addresses = pulumi.output(Object.fromEntries(Object.entries(containers).map(([n, c]) => [n, c.networkDatas.apply((d) => d?.[0]?.ipAddress ?? '')])));
    this.registerOutputs({ published: this.published, addresses: this.addresses, warnings: this.plan.warnings.map(formatProblem) });
  }
}

/** Host bindings per Service, from the plan (pure). */
export function publishedServices(plan: DockerPlan): PublishedService[] {
  const by = new Map<string, Set<string>>();
  for (const c of plan.containers) {
    for (const p of c.ports) {
      if (!by.has(p.service)) by.set(p.service, new Set());
      by.get(p.service)!.add(`${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`);
    }
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([service, b]) => ({ service, bindings: [...b].sort() }));
}

import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { addProblems } from '../core/construct-problems';
import { DockyardError, Problem, ProblemDetail } from '../core/errors';
import { parseFieldPath } from '../core/field-path';
import { KubeObject } from '../core/manifests';
import { checkDnsLabel, checkDnsSubdomain, DNS_1035_LABEL, toDnsLabel } from '../core/naming';

/** The spec of a PodService: what our users' custom resource says. */
export interface PodServiceSpec {
  /** Container image, with a tag. */
  readonly image: string;
  /** Port the container listens on; the Service exposes the same port. */
  readonly port: number;
  /** Host name routed to the Service by an Ingress (e.g. `podservice.local`). @default - no Ingress */
  readonly host?: string;
}

/** Anything shaped like a PodService object: a construct's props or the parent a webhook receives. */
export interface PodServiceLike {
  /** Name and namespace of the parent. */
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly uid?: string };
  /** The spec. */
  readonly spec: PodServiceSpec;
}

/**
 * The container security defaults of WebApp and PodService, what Pod Security "restricted" asks:
 * no privilege escalation, every capability dropped (NET_BIND_SERVICE kept for a port below 1024,
 * which restricted allows), and the runtime's default seccomp profile.
 */
export function restrictedSecurityContext(port: number | undefined): { allowPrivilegeEscalation: false; capabilities: { drop: string[]; add?: string[] }; seccompProfile: { type: 'RuntimeDefault' } } {
  return {
    allowPrivilegeEscalation: false,
    capabilities: port !== undefined && port < 1024 ? { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } : { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * DNS-1035 label: what a Service name must be (a DNS-1123 label that starts with a letter). The
 * PodService's name is its Service's name, so it must be one too: the API server would refuse a
 * Service `1web` forever while the webhook kept answering 200. The CRD uses the same pattern.
 */
export const DNS_1035_LABEL_PATTERN = DNS_1035_LABEL.source;

/** Returns why `name` cannot name a PodService (and its Service), or undefined when it can. */
export function checkPodServiceName(name: string): string | undefined {
  const bad = checkDnsLabel(name);
  if (bad) return bad;
  if (!DNS_1035_LABEL.test(name)) return 'must start with a lowercase letter (a Service name is a DNS-1035 label)';
  return undefined;
}

/** Checks a PodService-like object; returns problems with field paths (`spec.port`). */
export function checkPodService(parent: unknown, where = 'PodService'): Problem[] {
  const out: Problem[] = [];
  const p = parent as { metadata?: any; spec?: any } | null;
  if (!p || typeof p !== 'object') return [{ where, message: 'is not an object', fix: 'send an object with metadata and spec' }];
  const name = p.metadata?.name;
  if (typeof name !== 'string') out.push({ where: `${where}: metadata.name`, message: 'is missing', fix: 'give the PodService a name' });
  else { const bad = checkPodServiceName(name); if (bad) out.push({ where: `${where}: metadata.name`, message: `"${name}" ${bad}`, fix: 'use a name like "web" or "web1"' }); }
  const spec = p.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return [...out, { where: `${where}: spec`, message: 'is missing or not a mapping', fix: 'set spec.image and spec.port' }];
  if (typeof spec.image !== 'string' || spec.image.trim() === '' || /\s/.test(spec.image)) out.push({ where: `${where}: spec.image`, message: `${JSON.stringify(spec.image)} is not an image reference`, fix: 'set spec.image to an image like "nginx:1.27"' });
  if (typeof spec.port !== 'number' || !Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) out.push({ where: `${where}: spec.port`, message: `${JSON.stringify(spec.port)} is not a port`, fix: 'set spec.port to a whole number between 1 and 65535' });
  if (spec.host !== undefined) {
    const bad = typeof spec.host === 'string' ? checkDnsSubdomain(spec.host) : 'is not a string';
    if (bad) out.push({ where: `${where}: spec.host`, message: `${JSON.stringify(spec.host)} ${bad}`, fix: 'set spec.host to a DNS name like "podservice.local", or leave it out' });
  }
  for (const k of Object.keys(spec)) if (!['image', 'port', 'host'].includes(k)) out.push({ where: `${where}: spec.${k}`, message: `unknown field "${k}"`, fix: 'a PodService spec has only image, port and host' });
  return out;
}

/**
 * A `checkPodService(obj, 'props')` problem as the PodService constructs report it: the spec field
 * leads the message, and `fieldPath` names the prop (`port`, `name`).
 */
export function podServicePropsProblem(p: Problem): ProblemDetail {
  const field = p.where.startsWith('props: ') ? parseFieldPath(p.where.slice(7)) : [];
  return { message: `${p.where.replace(/^props: spec\./, '')} ${p.message}`, ...(p.fix ? { fix: p.fix } : {}), fieldPath: field.slice(1) };
}

/**
 * Renders a PodService into its children: a Pod, a Service selecting it, and an Ingress for the host.
 * Pure and deterministic: the `PodService` construct and the Metacontroller sync webhook both call
 * it, so the cluster-side children and the synthesized objects are identical except for the policy
 * suppression annotations synth adds (`suppress.dockyard.dev/<rule>`), which the webhook never writes.
 */
export function renderPodService(parent: PodServiceLike, options: PodServiceRenderOptions = {}): KubeObject[] {
  const problems = checkPodService(parent);
  if (problems.length) throw new DockyardError(problems);
  const name = parent.metadata.name as string;
  const ns = parent.metadata.namespace;
  const { image, port, host } = parent.spec;
  const labels = { app: name, 'dockyard.io/podservice': name };
  const meta = (n: string) => ({ name: n, ...(ns ? { namespace: ns } : {}), labels: { ...labels } });
  const out: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta(name),
      spec: {
        containers: [{
          name,
          image,
          ports: [{ containerPort: port, protocol: 'TCP' }],
          readinessProbe: { tcpSocket: { port } },
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          securityContext: options.securityContext ?? restrictedSecurityContext(port),
        }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name),
      spec: { type: 'ClusterIP', selector: { ...labels }, ports: [{ port, targetPort: port, protocol: 'TCP' }] },
    },
  ];
  if (host) {
    out.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(name),
      spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: port } } } }] } }] },
    });
  }
  return out;
}

/** Options of `renderPodService` beyond the PodService spec (the webhook uses the defaults). */
export interface PodServiceRenderOptions {
  /** The container's securityContext (replaces the default). @default restrictedSecurityContext(port) */
  readonly securityContext?: Record<string, unknown>;
}

/** Props for `PodService`. */
export interface PodServiceProps extends PodServiceSpec {
  /**
   * The container's securityContext, replacing the default (an image that starts as root and switches
   * user, like nginx, needs e.g. `{allowPrivilegeEscalation: false, capabilities: {drop: ['ALL'], add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE']}}`).
   * @default - allowPrivilegeEscalation false, capabilities drop ALL (NET_BIND_SERVICE kept below port 1024), seccompProfile RuntimeDefault
   */
  readonly securityContext?: Record<string, unknown>;
  /** Name of the Pod, Service and Ingress. @default - the construct id as a DNS-1123 label */
  readonly name?: string;
  /** Namespace of the children. @default - the chart's namespace */
  readonly namespace?: string;
}

/**
 * One spec (image, port, optional host) as a Pod, a Service and an optional Ingress, rendered by
 * `renderPodService` (the same function the Metacontroller webhook serves).
 */
export class PodService extends Construct {
  /** The rendered children, as L1-free ApiObjects (ids: Pod, Service, Ingress). */
  public readonly children: ApiObject[] = [];
  /** The name of the children. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PodServiceProps) {
    super(scope, id);
    this.name = props.name ?? toDnsLabel(id);
    const parent: PodServiceLike = { metadata: { name: this.name, namespace: props.namespace }, spec: { image: props.image, port: props.port, host: props.host } };
    const problems = checkPodService(parent, 'props');
    if (problems.length) {
      // Render nothing and report at synth, together with every other construct's problems.
      addProblems(this, () => problems.map(podServicePropsProblem));
      return;
    }
    for (const obj of renderPodService(parent, { securityContext: props.securityContext })) {
      const { apiVersion, kind, metadata, ...rest } = obj;
      this.children.push(new ApiObject(this, kind, { apiVersion, kind, metadata, ...rest }));
    }
  }
}

/**
 * The Services of a converted project. In the compose network every port of a service answers on its
 * name, and published ports answer on the host: so each service's own Service lists its container
 * ports (`web:8080` works as in compose), and published ports that differ get a second Service of
 * the chosen type (`<name>-published`, port = published, target = container port), which is where the
 * Docker target publishes. A service without ports gets a headless Service so its name resolves.
 * Link aliases, network aliases and container_name become Services selecting the same pods.
 */
import { DNS_1035_LABEL } from '../core/naming';
import type { ServiceType } from '../constructs/web-app';
import type { Mapped, Note } from './mapping-units';
import type { ServiceSpec } from './plan-types';

/** One port of a service: the container port, and the published host port when there is one. */
export interface ServicePortEntry {
  readonly containerPort: number;
  readonly published?: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** How a service's ports become Services. */
export interface ServiceLayout {
  /** Container ports, each once (the service's own Service). */
  readonly internal: Array<{ containerPort: number; protocol: 'TCP' | 'UDP' | 'SCTP' }>;
  /** Type of the service's own Service. */
  readonly type?: ServiceType;
  /** The `<name>-published` Service, when published ports differ from the container ports. */
  readonly published?: ServiceSpec;
}

/** The port name WebApp gives a port: `<protocol>-<port>`. */
export const portName = (protocol: string, port: number) => `${protocol.toLowerCase()}-${port}`;

/**
 * Lays out the Services of one compose service. When every port is published on its own number and
 * nothing else is listed, one Service of the published type does both jobs (like `ports: ["80:80"]`).
 */
export function layoutServices(name: string, ports: readonly ServicePortEntry[], publishedType: ServiceType): Mapped<ServiceLayout> {
  const notes: Note[] = [];
  const internal: ServiceLayout['internal'] = [];
  for (const p of ports) {
    if (!internal.some((x) => x.containerPort === p.containerPort && x.protocol === p.protocol)) {
      internal.push({ containerPort: p.containerPort, protocol: p.protocol });
    }
  }
  const pub = ports.filter((p) => p.published !== undefined);
  if (!internal.length) return { value: { internal }, notes };
  if (!pub.length || publishedType === 'ClusterIP') return { value: { internal, type: 'ClusterIP' }, notes };
  const same = pub.length === ports.length && pub.every((p) => p.published === p.containerPort) && internal.length === pub.length;
  if (same) return { value: { internal, type: publishedType }, notes };
  const seen = new Set<string>();
  const list: ServiceSpec['ports'] = [];
  for (const p of pub) {
    const id = `${p.published}/${p.protocol}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const nodePort = publishedType === 'NodePort' && p.published! >= 30000 && p.published! <= 32767 ? p.published : undefined;
    list.push({ name: portName(p.protocol, p.published!), port: p.published!, targetPort: p.containerPort, protocol: p.protocol, ...(nodePort ? { nodePort } : {}) });
  }
  const published: ServiceSpec = {
    id: `${name}-published`, name: `${name}-published`, app: name, type: publishedType,
    ports: list.length > 1 ? list : list.map(({ name: _n, ...rest }) => rest),
    reason: `the published ports of "${name}" (host port -> container port)`,
  };
  return { value: { internal, type: 'ClusterIP', published }, notes };
}

/** A headless Service (no virtual IP, no ports) so the name of a service without ports resolves to its pods. */
export function headlessService(id: string, name: string, app: string, reason: string): ServiceSpec {
  return { id, name, app, type: 'ClusterIP', headless: true, ports: [], reason };
}

/** A DNS-1035 label (what a Service name must be), or why not. */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length > 63) return 'is longer than 63 characters';
  if (!DNS_1035_LABEL.test(name)) return 'is not a valid Service name (lower-case letters, digits and "-", starting with a letter)';
  return undefined;
}

/** An alias Service: same pods, same ports as the service's own Service (headless when it has none). */
export function aliasService(alias: string, app: string, internal: ServiceLayout['internal'], reason: string): ServiceSpec {
  if (!internal.length) return headlessService(`alias-${alias}`, alias, app, reason);
  const ports = internal.map((p) => ({
    name: internal.length > 1 ? portName(p.protocol, p.containerPort) : undefined,
    port: p.containerPort,
    targetPort: p.containerPort,
    protocol: p.protocol,
  }));
  return { id: `alias-${alias}`, name: alias, app, type: 'ClusterIP', ports: ports.map((p) => (p.name ? p : { port: p.port, targetPort: p.targetPort, protocol: p.protocol })), reason };
}

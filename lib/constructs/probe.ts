import type { ProblemDetail } from '../core/errors';
import { put } from '../core/json';
import type * as k8s from '../ir/k8s-types';

/** Timing options shared by every probe. */
export interface ProbeOptions {
  /** Seconds after start before the first check. @default 0 */
  readonly initialDelaySeconds?: number;
  /** Seconds between checks. @default 10 */
  readonly periodSeconds?: number;
  /** Seconds before a check times out. @default 1 */
  readonly timeoutSeconds?: number;
  /** Failed checks in a row before the container counts as failed. @default 3 */
  readonly failureThreshold?: number;
}

/** Options of an HTTP probe. */
export interface HttpProbeOptions extends ProbeOptions {
  /** Port to call. @default - the workload's container port */
  readonly port?: number;
}

/** Options of a TCP probe. */
export interface TcpProbeOptions extends ProbeOptions {
  /** Port to connect to. @default - the workload's container port */
  readonly port?: number;
}

/** A readiness, liveness or startup check: HTTP GET, TCP connect, or a command. */
export class Probe {
  /** Healthy when `GET path` answers 200-399. */
  public static http(path = '/', options: HttpProbeOptions = {}): Probe {
    return new Probe({ httpGet: { path, port: options.port } }, options);
  }

  /** Healthy when a TCP connection opens. */
  public static tcp(options: TcpProbeOptions = {}): Probe {
    return new Probe({ tcpSocket: { port: options.port } }, options);
  }

  /** Healthy when the command exits 0. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ exec: { command: [...command] } }, options);
  }

  private constructor(
    private readonly handler: { httpGet?: { path: string; port?: number }; tcpSocket?: { port?: number }; exec?: { command: string[] } },
    private readonly options: ProbeOptions,
  ) {}

  /** The Kubernetes probe; `defaultPort` fills a missing port. */
  public toProbe(defaultPort: number): k8s.Probe {
    const h = this.handler;
    const o = this.options;
    // Keys in order and no undefined field, as render writes them (see `put`). The timing fields
    // only: the options of an HTTP or TCP probe also hold its port.
    const probe = put({} as k8s.Probe, 'exec', h.exec ? { command: [...h.exec.command] } : undefined);
    put(probe, 'failureThreshold', o.failureThreshold);
    put(probe, 'httpGet', h.httpGet ? { path: h.httpGet.path, port: h.httpGet.port ?? defaultPort } : undefined);
    put(probe, 'initialDelaySeconds', o.initialDelaySeconds);
    put(probe, 'periodSeconds', o.periodSeconds);
    put(probe, 'tcpSocket', h.tcpSocket ? { port: h.tcpSocket.port ?? defaultPort } : undefined);
    return put(probe, 'timeoutSeconds', o.timeoutSeconds);
  }

  /** Problems with the probe's numbers (for validation). */
  public problems(): ProblemDetail[] {
    const out: ProblemDetail[] = [];
    for (const [k, v] of Object.entries(this.options)) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) out.push({ message: `probe ${k} is ${v}; it must be a whole number >= 0` });
    }
    const port = this.handler.httpGet?.port ?? this.handler.tcpSocket?.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) out.push({ message: `probe port ${port} is out of range`, fix: 'use a port between 1 and 65535' });
    if (this.handler.exec && this.handler.exec.command.length === 0) out.push({ message: 'exec probe has an empty command', fix: 'pass the command to run, e.g. ["cat", "/tmp/ready"]' });
    return out;
  }
}

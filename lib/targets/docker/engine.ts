/**
 * The Docker engine side of the target, as one module for the CLI and the package exports: the typed
 * Engine API (engine-api.ts), the reconciler (reconciler.ts: deploy, destroy, retry policy), preflight,
 * readiness (await.ts), the error table (engine-errors.ts) and the project lock (lock.ts). dockerode
 * loads only on first use, so importing this module stays cheap.
 */
import { LABELS } from './plan';
import type { EngineApi } from './engine-api';

export { connect, demuxLogs, Engine, httpTransport } from './engine-api';
export type { ContainerInspect, ContainerSummary, EngineApi, Filters, HealthLogEntry, NetworkSummary, Transport, VolumeSummary } from './engine-api';
export { classify, ENGINE_ERRORS, EngineMoved, explainEngineError } from './engine-errors';
export type { EngineOp, ErrorContext } from './engine-errors';
export type { ApplyOptions, DeployResult, ProgressEvent } from './events';
export { toCreateOptions } from './create-options';
export { deployPlan, destroyProject, ping, readActual } from './reconciler';
export { findConflicts } from './preflight';
export { retireName } from './changes';
export { describeHealth, waitContainers } from './await';
export { acquireLock, isStale, lockName, LOCK_LABELS } from './lock';

/** The state of one owned container, for `status`. */
export interface ContainerStatus {
  /** Container name. */
  readonly name: string;
  /** `Kind/namespace/name`. */
  readonly object: string;
  /** Docker state. */
  readonly state: string;
  /** Published ports, `ip:port->port/proto`. */
  readonly ports: string[];
  /** Image. */
  readonly image: string;
}

/** Lists what the project runs (by label), sorted by name. */
export async function projectStatus(engine: EngineApi, project: string): Promise<ContainerStatus[]> {
  const list = await engine.listContainers({ label: [`${LABELS.project}=${project}`] });
  return list.filter((c) => c.name).map((c) => ({
    name: c.name,
    object: c.labels[LABELS.object] ?? '?',
    state: c.state,
    image: c.image,
    ports: c.ports.filter((p) => p.PublicPort).map((p) => `${p.IP}:${p.PublicPort}->${(p as { PrivatePort?: number }).PrivatePort}/${p.Type}`).sort(),
  })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

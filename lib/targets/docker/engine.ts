/**
 * The Docker engine side of the target, as one module for the CLI and the package exports: the typed
 * Engine API (engine-api.ts), the reconciler (reconciler.ts: deploy, destroy, retry policy), preflight,
 * readiness (await.ts), the error table (engine-errors.ts) and the project lock (lock.ts). dockerode
 * loads only on first use, so importing this module stays cheap.
 */
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

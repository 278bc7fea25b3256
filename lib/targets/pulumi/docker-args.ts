/**
 * Pure translation of the Docker plan (`planDocker`, shared with the direct Engine API apply) into
 * `@pulumi/docker` arguments. Nothing is decided here that the planner did not decide: these are unit
 * and field-name conversions only (bytes -> MB, nanoseconds -> durations, maps -> label lists).
 */
import { KubeObject } from '../../core/manifests';
import { ContainerPlan, FileCopy, HealthcheckPlan } from '../docker/plan';

/** A label as `@pulumi/docker` wants it. */
export interface DockerLabel {
  /** Key. */
  readonly label: string;
  /** Value. */
  readonly value: string;
}

/** Labels map -> sorted `{ label, value }` list (sorted so equal plans give equal inputs). */
export function toLabels(labels: Record<string, string>): DockerLabel[] {
  return Object.keys(labels).sort().map((label) => ({ label, value: labels[label] }));
}

/** Nanoseconds -> a Go duration string (`30s`, `1500ms`), the unit the Docker provider parses. */
export function toDuration(ns: number): string {
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
  return `${ns}ns`;
}

/** Healthcheck plan -> provider healthcheck. */
export function toHealthcheck(h: HealthcheckPlan): { tests: string[]; interval: string; timeout: string; startPeriod: string; retries: number } {
  return { tests: [...h.test], interval: toDuration(h.intervalNs), timeout: toDuration(h.timeoutNs), startPeriod: toDuration(h.startPeriodNs), retries: h.retries };
}

/** Bytes -> whole megabytes, rounded up (the provider takes MB; rounding down could make a limit 0). */
export function toMegabytes(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : Math.ceil(bytes / (1024 * 1024));
}

/** Permission bits -> the octal string the provider wants (`0400`). */
export function toPermissions(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/** Decoded values of every Secret among the objects (data and stringData), for `isSecretEnv`/`isSecretFile`. */
export function secretValues(objects: readonly KubeObject[]): string[] {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.apiVersion !== 'v1' || o.kind !== 'Secret') continue;
    for (const v of Object.values((o.data ?? {}) as Record<string, string>)) out.add(Buffer.from(String(v), 'base64').toString('utf8'));
    for (const v of Object.values((o.stringData ?? {}) as Record<string, string>)) out.add(String(v));
  }
  out.delete('');
  return [...out];
}

/**
 * Whether an env entry (`NAME=value`) carries a Secret value. The plan holds resolved values, so the
 * check is on the value itself (also catches a secret expanded into another variable with `$(VAR)`).
 * Marking a little too much secret only hides a value in the Pulumi output, never the reverse.
 */
export function isSecretEnv(entry: string, secrets: readonly string[]): boolean {
  const value = entry.slice(entry.indexOf('=') + 1);
  return secrets.some((s) => value.includes(s));
}

/** Whether a copied file is the content of a Secret key. */
export function isSecretFile(f: FileCopy, secrets: readonly string[]): boolean {
  return secrets.some((s) => Buffer.from(s, 'utf8').toString('base64') === f.contentBase64);
}

/** A provider port from a plan binding. */
export interface DockerPort {
  /** Container port. */
  readonly internal: number;
  /** Host port. */
  readonly external: number;
  /** Host address. */
  readonly ip: string;
  /** tcp, udp or sctp. */
  readonly protocol: string;
}

/**
 * The plain (non-Output) container arguments for one planned container; the component adds the
 * image id, network and secrets. Exposed-but-unpublished ports are not passed: on a user-defined
 * network every port is reachable by alias anyway, and the provider would publish them on random ports.
 */
export function containerArgs(c: ContainerPlan): Record<string, unknown> {
  return {
    name: c.name,
    ...(c.entrypoint ? { entrypoints: [...c.entrypoint] } : {}),
    ...(c.cmd ? { command: [...c.cmd] } : {}),
    labels: toLabels(c.labels),
    ports: c.ports.map((p): DockerPort => ({ internal: p.containerPort, external: p.hostPort, ip: p.hostIp, protocol: p.protocol })),
    mounts: c.mounts.map((m) => ({ type: m.type, target: m.target, readOnly: m.readOnly, ...(m.source ? { source: m.source } : {}) })),
    restart: c.restart.name,
    ...(c.restart.name === 'on-failure' ? { maxRetryCount: c.restart.maximumRetryCount } : {}),
    ...(c.healthcheck ? { healthcheck: toHealthcheck(c.healthcheck) } : {}),
    ...(c.networkMode ? { networkMode: c.networkMode } : {}),
    ...(c.pidMode ? { pidMode: c.pidMode } : {}),
    ...(c.ipcMode ? { ipcMode: c.ipcMode } : {}),
    ...(c.hostname ? { hostname: c.hostname } : {}),
    ...(c.user ? { user: c.user } : {}),
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    readOnly: c.readOnly,
    privileged: c.privileged,
    ...(c.capAdd.length || c.capDrop.length ? { capabilities: { adds: [...c.capAdd], drops: [...c.capDrop] } } : {}),
    ...(c.securityOpt?.length ? { securityOpts: [...c.securityOpt] } : {}),
    tty: c.tty,
    stdinOpen: c.openStdin,
    stopTimeout: c.stopTimeoutSeconds,
    destroyGraceSeconds: c.stopTimeoutSeconds,
    ...(c.resources.memoryBytes !== undefined ? { memory: toMegabytes(c.resources.memoryBytes) } : {}),
    ...(c.resources.memoryReservationBytes !== undefined ? { memoryReservation: toMegabytes(c.resources.memoryReservationBytes) } : {}),
    ...(c.resources.nanoCpus !== undefined ? { cpus: String(c.resources.nanoCpus / 1e9) } : {}),
    ...(c.resources.cpuShares !== undefined ? { cpuShares: c.resources.cpuShares } : {}),
  };
}

/** The Engine API create options of a planned container (pure: tests and the fake engine call it). */
import type Docker from 'dockerode';
import type { ContainerPlan } from './plan';

/** Docker create options for a planned container (pure). `main` is the engine name or id of the pod's first container. */
export function toCreateOptions(c: ContainerPlan, name: string = c.name, main: string = c.pod, networkId?: string): Docker.ContainerCreateOptions {
  const net = networkId ?? c.network;
  const portBindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const b of c.ports) (portBindings[`${b.containerPort}/${b.protocol}`] ??= []).push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
  const shared = c.networkMode !== undefined;
  const hc = c.healthcheck;
  return {
    name,
    Image: c.image,
    ...(c.entrypoint ? { Entrypoint: c.entrypoint } : {}),
    ...(c.cmd ? { Cmd: c.cmd } : {}),
    Env: c.env,
    Labels: c.labels,
    ...(shared ? {} : { Hostname: c.hostname, ExposedPorts: Object.fromEntries(c.exposedPorts.map((p) => [p, {}])) }),
    User: c.user,
    WorkingDir: c.workingDir,
    Tty: c.tty,
    OpenStdin: c.openStdin,
    StopTimeout: c.stopTimeoutSeconds,
    ...(hc ? { Healthcheck: { Test: hc.test, Interval: hc.intervalNs, Timeout: hc.timeoutNs, StartPeriod: hc.startPeriodNs, Retries: hc.retries } } : {}),
    HostConfig: {
      NetworkMode: shared ? `container:${main}` : net,
      PortBindings: portBindings,
      Mounts: c.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
      RestartPolicy: { Name: c.restart.name, MaximumRetryCount: c.restart.maximumRetryCount },
      Memory: c.resources.memoryBytes,
      MemoryReservation: c.resources.memoryReservationBytes,
      NanoCpus: c.resources.nanoCpus,
      CpuShares: c.resources.cpuShares,
      ReadonlyRootfs: c.readOnly,
      CapAdd: c.capAdd,
      CapDrop: c.capDrop,
      Privileged: c.privileged,
      ...(c.pidMode ? { PidMode: c.pidMode } : {}),
      ...(c.ipcMode ? { IpcMode: c.ipcMode } : {}),
      ...(c.securityOpt?.length ? { SecurityOpt: c.securityOpt } : {}),
    },
    ...(shared || !net ? {} : { NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: c.aliases } } } }),
  };
}

/**
 * Checks made before anything changes, so a conflict touches nothing: names (containers, networks,
 * volumes) held by something this project does not own, host ports in use, images missing. `diff`
 * runs the same checks (`findConflicts`) and reports what `deploy` would refuse.
 */
import * as net from 'node:net';
import { DockyardError, Problem } from '../../core/errors';
import { Change, keepsRunning, retireName, tempName } from './changes';
import type { ContainerSummary, EngineApi } from './engine-api';
import { EngineMoved, engineMessage } from './engine-errors';
import type { ApplyOptions } from './events';
import { ContainerPlan, DockerPlan, LABELS } from './plan';

/** Every conflict that would make `deploy` refuse `changes` (nothing is changed). */
export async function findConflicts(engine: EngineApi, plan: DockerPlan, changes: readonly Change[], all?: readonly ContainerSummary[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const [containers, networks, volumes] = await Promise.all([
    all ?? engine.listContainers(), engine.listNetworks(), plan.volumes.length ? engine.listVolumes() : [],
  ]);
  const own = (labels: Record<string, string>) => labels[LABELS.project] === plan.project;
  // A network of the planned name that another project (or a person) made would be joined in silence,
  // and its other containers could reach ours by name: refuse it like a foreign container name.
  for (const n of plan.networks) {
    const other = networks.find((x) => x.name === n.name && !own(x.labels));
    if (!other) continue;
    const owner = other.labels[LABELS.project];
    problems.push({ where: `network ${n.name}`, message: `a network named "${n.name}" exists and is not owned by project "${plan.project}"${owner ? ` (it belongs to project "${owner}")` : ''}; joining it would mix the two`, fix: owner ? 'choose another --project (names are <project>-<namespace>, so project "a" with namespace "b" and project "a-b" collide)' : `choose another --project, or remove the network (docker network rm ${n.name}) if nothing needs it` });
  }
  // The engine hands out an existing volume of the name as it is: its data would be mounted read-write.
  for (const v of plan.volumes) {
    const other = volumes.find((x) => x.name === v.name && !own(x.labels));
    if (!other) continue;
    const owner = other.labels[LABELS.project];
    problems.push({ where: `${v.object} (volume ${v.name})`, message: `a volume named "${v.name}" exists and is not owned by project "${plan.project}"${owner ? ` (it belongs to project "${owner}")` : ''}; its data would be mounted into this project's containers`, fix: `deploy under another --project, or rename the claim; if the data is meant for this project, copy it into a new volume (docker volume create, then docker run --rm -v ${v.name}:/from -v <new>:/to <image> cp -a /from/. /to) and remove or keep the old one` });
  }
  const foreign = containers.filter((c) => !own(c.labels));
  const foreignNames = new Map(foreign.map((c) => [c.name, c]));
  const touched = changes.filter((ch) => ch.kind === 'pod' && (ch.action === 'create' || ch.action === 'replace'));
  for (const ch of touched) for (const c of ch.containers ?? []) {
    for (const n of [c.name, tempName(c.name), retireName(c.name)]) {
      const f = foreignNames.get(n);
      if (f) problems.push({ where: `${c.object} (container ${c.name})`, message: `a container named "${n}" exists and is not owned by project "${plan.project}"${f.labels[LABELS.project] ? ` (it belongs to project "${f.labels[LABELS.project]}")` : ''}`, fix: 'remove or rename it, or deploy under another --project' });
    }
  }
  const ours = new Set(containers.filter((c) => own(c.labels)).flatMap((c) => c.ports.filter((p) => p.PublicPort).map((p) => `${p.PublicPort}/${p.Type}`)));
  // A container of ours the engine is still removing (an interrupted run's) may hold its host ports for
  // a few seconds without listing them: wait longer for a port before calling it taken.
  const patienceMs = containers.some((c) => own(c.labels) && (c.state === 'removing' || c.state === 'dead' || !c.name)) ? 10000 : 1000;
  // Host ports our own stopped containers are bound to: a container stopped a moment ago (an interrupted
  // run's stop-first replacement) can still hold its port without listing it.
  const stoppedOwn = containers.filter((c) => own(c.labels) && c.state !== 'running');
  const boundByOwn = new Set<string>();
  if (touched.some((ch) => (ch.containers ?? []).some((c) => c.ports.length))) {
    for (const c of stoppedOwn) {
      const info = await engine.inspectContainer(c.id).catch(() => undefined);
      for (const [key, list] of Object.entries(info?.HostConfig?.PortBindings ?? {})) {
        for (const b of list ?? []) if (b.HostPort) boundByOwn.add(`${b.HostPort}/${key.split('/')[1] ?? 'tcp'}`);
      }
    }
  }
  // Stopped containers about to be started claim their host ports again: check those too.
  const starting = changes.filter((ch) => ch.kind === 'pod' && ch.action === 'start').flatMap((ch) => (ch.containers ?? []).filter((c) => {
    const a = ch.existing?.find((x) => x.name === c.name);
    return a !== undefined && keepsRunning(c) && !['running', 'restarting', 'paused'].includes(a.state);
  }));
  for (const c of [...touched.flatMap((ch) => ch.containers ?? []), ...starting]) for (const b of c.ports) {
    const holder = foreign.find((f) => f.state === 'running' && f.ports.some((p) => p.PublicPort === b.hostPort && p.Type === b.protocol && (!p.IP || p.IP === '0.0.0.0' || p.IP === '::' || b.hostIp === '0.0.0.0' || p.IP === b.hostIp)));
    const where = `${b.service} (container ${c.name})`;
    if (holder) { problems.push({ where, message: `host port ${b.hostIp}:${b.hostPort} is already published by container "${holder.name}"`, fix: 'stop that container, or change the Service port/nodePort' }); continue; }
    // A local engine publishes on this machine's addresses: try the port ourselves (skipping ports our own containers hold).
    const key = `${b.hostPort}/${b.protocol}`;
    if (engine.isLocal && b.protocol === 'tcp' && !ours.has(key) && !(await portFree(b.hostIp, b.hostPort, boundByOwn.has(key) ? 10000 : patienceMs))) {
      problems.push({ where, message: `host port ${b.hostIp}:${b.hostPort} is already in use by another program`, fix: 'stop that program, or change the Service port/nodePort (or --publish-address)' });
    }
  }
  return problems;
}

/** `findConflicts`, thrown as one user error; the deploy holds the project lock, so the state read is its own. */
export async function preflight(engine: EngineApi, plan: DockerPlan, changes: readonly Change[], all: readonly ContainerSummary[]): Promise<void> {
  const problems = await findConflicts(engine, plan, changes, all);
  if (problems.length) throw new DockyardError(problems, `nothing was changed; ${problems.length} conflict(s):`);
}

/**
 * Whether a host port can be bound. A port held for an instant (a just-removed proxy's port) is tried
 * again for `patienceMs` before it counts as taken.
 */
async function portFree(host: string, port: number, patienceMs: number): Promise<boolean> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    if (await probePort(host, port)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function probePort(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (e: any) => resolve(e?.code !== 'EADDRINUSE'));
    s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** Makes sure every image is on the engine, pulling the missing ones (in parallel) unless `pull` is false. */
export async function ensureImages(engine: EngineApi, containers: readonly ContainerPlan[], opts: ApplyOptions): Promise<void> {
  const byImage = new Map<string, Set<string>>();
  for (const c of containers) { if (!byImage.has(c.image)) byImage.set(c.image, new Set()); byImage.get(c.image)!.add(c.object); }
  const problems: Problem[] = [];
  await Promise.all([...byImage].sort(([a], [b]) => (a < b ? -1 : 1)).map(async ([image, objects]) => {
    if (await engine.imageExists(image)) return;
    const where = [...objects].sort().join(', ');
    if (opts.pull === false) { problems.push({ where, message: `image "${image}" is not on the engine`, fix: 'build or load it first (tests: bash scripts/test-images.sh)' }); return; }
    const proxy = containers.some((c) => c.image === image && c.role === 'proxy');
    opts.onProgress?.({ type: 'pull', message: `pull    image     ${image}`, action: 'pull', phase: 'begin', container: image, at: Date.now() });
    try {
      await engine.pullImage(image, (status) => opts.onProgress?.({ type: 'pull', message: `        ${image}: ${status}`, action: 'pull', container: image, at: Date.now() }));
      opts.onProgress?.({ type: 'step', message: `pulled  image     ${image}`, action: 'pull', phase: 'end', container: image, at: Date.now() });
    } catch (e) {
      if (e instanceof EngineMoved) throw e;
      const fix = proxy
        ? 'the relay of a published multi-replica Service needs this image: load it on the engine, or pick one that is there with --proxy-image (or DOCKYARD_PROXY_IMAGE)'
        : 'build or load the image on this engine (docker load/import), or fix the image name';
      problems.push({ where, message: `image "${image}" is not on the engine and could not be pulled: ${engineMessage(e).split('\n')[0]}`, fix });
    }
  }));
  if (problems.length) throw new DockyardError(problems.sort((a, b) => (a.where < b.where ? -1 : 1)));
}

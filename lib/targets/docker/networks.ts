/** The project's networks on the engine: resolving names to ids, removing them. */
import { DockyardError } from '../../core/errors';
import type { EngineApi } from './engine-api';
import { attempt, EngineMoved, engineMessage } from './engine-errors';
import { LABELS } from './plan';

const byProject = (project: string) => ({ label: [`${LABELS.project}=${project}`] });

/**
 * Network name -> id for the project. Docker allows two networks with one name (CheckDuplicate is
 * best effort), and then refuses the name as ambiguous; so containers are attached by id, and empty
 * duplicates are removed to converge.
 */
export async function resolveNetworks(engine: EngineApi, project: string): Promise<Map<string, string>> {
  const list = await engine.listNetworks(byProject(project));
  const byName = new Map<string, Array<{ id: string; created: string; used: boolean }>>();
  await Promise.all(list.map(async (n) => {
    const attached = await engine.networkContainers(n.id).catch(() => []);
    if (!byName.has(n.name)) byName.set(n.name, []);
    byName.get(n.name)!.push({ id: n.id, created: n.created, used: attached.length > 0 });
  }));
  const ids = new Map<string, string>();
  for (const [name, nets] of byName) {
    nets.sort((a, b) => Number(b.used) - Number(a.used) || (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1));
    ids.set(name, nets[0].id);
    for (const extra of nets.slice(1)) if (!extra.used) await engine.removeNetwork(extra.id).catch(() => undefined);
  }
  return ids;
}

/**
 * Removes every project network with that name (by id: the name may be ambiguous). A network that
 * containers the project does not own still use cannot go: the engine answers 403/409 "has active
 * endpoints", which becomes an error naming those containers.
 */
export async function removeNetworks(engine: EngineApi, project: string, name: string): Promise<void> {
  const list = await engine.listNetworks(byProject(project));
  for (const n of list.filter((x) => x.name === name)) {
    try { await attempt({ op: 'network', name }, () => engine.removeNetwork(n.id)); } catch (e: any) {
      if (!((e?.statusCode === 403 || e?.statusCode === 409) && /active endpoints/.test(engineMessage(e)))) throw e;
      const attached = await engine.networkContainers(n.id).catch(() => []);
      const ours = new Set((await engine.listContainers(byProject(project))).map((c) => c.id));
      // Our own container attached after we read the state (a killed deploy's late create): read again.
      if (attached.some((c) => ours.has(c.id))) throw new EngineMoved(`a container of the project joined network ${name} meanwhile`, e);
      const names = attached.map((c) => c.name).sort();
      const who = names.length ? names.join(', ') : 'some';
      throw new DockyardError({ where: `network ${name}`, message: `cannot remove the network: container(s) ${who} not owned by project "${project}" are still attached`, fix: `disconnect or remove them (docker network disconnect ${name} ${names[0] ?? '<container>'}), then run the command again` });
    }
  }
}

/**
 * Secrets that the manifests only reference (`AppSecret.fromExisting`): their values come from Pulumi
 * secret config instead of a file, so `dist/` never holds them. This turns `{ secretName: { KEY: value } }`
 * into Secret objects placed in the namespace of the workloads that read them, and checks every key
 * a workload asks for is there, before anything is deployed.
 */
import { DockyardError, Problem } from '../../core/errors';
import { describeObject, KubeObject } from '../../core/manifests';
import { podSpecOf } from '../../ir/pod-spec';
import { podSpecRefs } from '../../ir/refs';

/** Secret values by Secret name (`name` or `namespace/name`), then key. */
export type SecretValues = Readonly<Record<string, Readonly<Record<string, string>>>>;

interface KeyUse { readonly object: KubeObject; readonly key?: string; readonly optional: boolean }

/** Where each Secret name is read, per namespace (`''` for objects without a namespace). */
function secretUses(objects: readonly KubeObject[]): Map<string, KeyUse[]> {
  const uses = new Map<string, KeyUse[]>();
  const add = (o: KubeObject, name: unknown, key: string | undefined, optional: unknown) => {
    if (typeof name !== 'string' || !name) return;
    const id = `${o.metadata?.namespace ?? ''}/${name}`;
    if (!uses.has(id)) uses.set(id, []);
    uses.get(id)!.push({ object: o, key, optional: optional === true });
  };
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (!pod) continue;
    for (const r of podSpecRefs(pod.spec)) {
      // What reads keys: env, envFrom and volumes (image pull Secrets are not placed from here).
      if (r.kind !== 'Secret' || r.via === 'imagePullSecret') continue;
      for (const key of r.keys.length ? r.keys : [undefined]) add(o, r.name, key, r.optional);
    }
  }
  return uses;
}

/**
 * Secret objects for the given values. A name without a namespace goes to the namespace of the
 * workloads that read it (each one, if several namespaces read the same name). Errors, all at once:
 * a Secret that the objects already define, a key a workload needs that has no value, a name no
 * workload reads (most likely a typo).
 */
export function externalSecretObjects(objects: readonly KubeObject[], values: SecretValues, configKey = 'dockyard:secrets'): KubeObject[] {
  const uses = secretUses(objects);
  const problems: Problem[] = [];
  const out: KubeObject[] = [];
  for (const entry of Object.keys(values).sort()) {
    const slash = entry.indexOf('/');
    const name = slash < 0 ? entry : entry.slice(slash + 1);
    const namespaces = slash < 0
      ? [...new Set([...uses.keys()].filter((id) => id.slice(id.indexOf('/') + 1) === name).map((id) => id.slice(0, id.indexOf('/'))))].sort()
      : [entry.slice(0, slash)];
    const where = `${configKey}.${entry}`;
    if (slash < 0 && namespaces.length === 0) {
      problems.push({ where, message: `no workload reads a Secret named "${name}"`, fix: `fix the name (the workloads read: ${[...uses.keys()].map((id) => id.slice(id.indexOf('/') + 1)).join(', ') || 'no Secret'}), or remove it` });
      continue;
    }
    for (const ns of namespaces) {
      const existing = objects.find((o) => o.apiVersion === 'v1' && o.kind === 'Secret' && o.metadata?.name === name && (o.metadata?.namespace ?? '') === ns);
      if (existing) {
        problems.push({ where, message: `${describeObject(existing)} is already defined by the app`, fix: 'remove the value from the config, or make the app reference the Secret with AppSecret.fromExisting' });
        continue;
      }
      const data = values[entry];
      for (const use of uses.get(`${ns}/${name}`) ?? []) {
        if (use.key !== undefined && !use.optional && !(use.key in data)) {
          problems.push({ where: describeObject(use.object), message: `reads key "${use.key}" of Secret "${name}", which has no value in ${configKey}`, fix: `pulumi config set --secret --path '${configKey}.${entry}.${use.key}' <value>` });
        }
      }
      out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, ...(ns ? { namespace: ns } : {}) }, type: 'Opaque', stringData: { ...data } });
    }
  }
  if (problems.length) throw new DockyardError(problems);
  return out;
}

/** A Secret that workloads read but no object defines. */
export interface MissingSecret {
  /** Secret name. */
  readonly name: string;
  /** Namespace (`''` for none). */
  readonly namespace: string;
  /** The objects reading it (`Kind/ns/name`), sorted. */
  readonly readers: string[];
}

/**
 * Secrets read (not optionally) by workloads but defined by none of the objects: on a cluster they
 * may have been made with `kubectl create secret`, so this is a warning for the deploy log, not an error.
 */
export function undefinedSecrets(objects: readonly KubeObject[]): MissingSecret[] {
  const out: MissingSecret[] = [];
  for (const [id, list] of [...secretUses(objects)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const ns = id.slice(0, id.indexOf('/'));
    const name = id.slice(id.indexOf('/') + 1);
    if (list.every((u) => u.optional)) continue;
    if (objects.some((o) => o.apiVersion === 'v1' && o.kind === 'Secret' && o.metadata?.name === name && (o.metadata?.namespace ?? '') === ns)) continue;
    out.push({ name, namespace: ns, readers: [...new Set(list.map((u) => describeObject(u.object)))].sort() });
  }
  return out;
}

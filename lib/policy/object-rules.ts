import { asList, asMap, getIn } from '../core/json';
import { describeObject, KubeObject } from '../core/manifests';
import { namespaceOf, selectorMatches } from '../ir/objects';
import { containerLabel } from '../ir/pod-spec';
import { podSpecRefs } from '../ir/refs';
import { podSpecOf, workloadOf } from './run-cache';
import { commandSecretReason, MYSQL_CLIENT, secretLinesIn, secretLiteralReason } from '../ir/secrets';
import { ObjectSet, PolicyRule, RuleHit } from './types';

/** Rules about literal secrets and about how objects of one output refer to each other. */

export const secretInEnv: PolicyRule = {
  id: 'secret-in-env',
  appliesTo: 'pod-spec',
  severity: 'error',
  summary: 'env var named like a secret (PASSWORD, SECRET, TOKEN, KEY, ...) with a literal value, or a literal secret in env, command or args (a URL with a password, `export PASSWORD=...`, `--password ...`, mysql `-p...`); values are printed masked',
  fix: 'put the value in a Secret and use env valueFrom.secretKeyRef (AppSecret with EnvValue.fromSecret)',
  check: (obj) => {
    const w = workloadOf(obj);
    if (!w) return [];
    const out: RuleHit[] = [];
    for (const c of w.all) {
      asList(c.container.env).forEach((e, i) => {
        const name = getIn(e, ['name']);
        const value = getIn(e, ['value']);
        if (typeof name !== 'string' || typeof value !== 'string') return;
        const why = secretLiteralReason(name, value);
        if (why) out.push({ message: `${containerLabel(c)}: env var ${name} ${why}`, path: [...c.path, 'env', i, 'value'] });
      });
      // command and args run as one argv: `--password` in one item makes the next its value.
      const argv = [...asList(c.container.command), ...asList(c.container.args)];
      const mysql = argv.some((a) => typeof a === 'string' && MYSQL_CLIENT.test(a));
      let n = 0;
      for (const field of ['command', 'args']) {
        asList(c.container[field]).forEach((a, i) => {
          const previous = n > 0 && typeof argv[n - 1] === 'string' ? argv[n - 1] as string : undefined;
          n++;
          const why = typeof a === 'string' ? commandSecretReason(a, { previous, mysql }) : undefined;
          if (why) out.push({ message: `${containerLabel(c)}: ${field}[${i}] ${why}`, path: [...c.path, field, i], fix: 'pass the value through an env var from a Secret (valueFrom.secretKeyRef) and refer to it as $(VAR) in the command' });
        });
      }
    }
    return out;
  },
};

export const secretInConfigMap: PolicyRule = {
  id: 'secret-in-configmap',
  appliesTo: { kind: 'ConfigMap' },
  severity: 'error',
  summary: 'ConfigMap key named like a secret with a value, or a value holding a URL with a password or `password=...` lines',
  fix: 'move the value to a Secret (AppSecret) and mount or reference that instead; ConfigMaps are readable by anyone who can read the namespace',
  check: (obj) => {
    if (obj.kind !== 'ConfigMap') return [];
    const out: RuleHit[] = [];
    for (const [key, value] of Object.entries(asMap(obj.data) ?? {})) {
      if (typeof value !== 'string') continue;
      const why = secretLiteralReason(key, value);
      if (why) { out.push({ message: `key "${key}" ${why}`, path: ['data', key] }); continue; }
      const lines = value.includes('\n') ? secretLinesIn(value) : [];
      if (lines.length) out.push({ message: `key "${key}" holds secret-looking settings (${lines.map((l) => `${l.key} on line ${l.line}`).join(', ')})`, path: ['data', key] });
    }
    return out;
  },
};

/** What cross-object rules look up, computed once per set (a linear scan per Service was quadratic). */
interface SetIndex {
  /** Pod templates by namespace: the object and its pod labels. */
  readonly podsByNamespace: Map<string, { o: KubeObject; labels: Record<string, string> }[]>;
  /** Pod templates by namespace and one label (`ns\0key\0value`): a Service only scans those sharing a label. */
  readonly podsByLabel: Map<string, { o: KubeObject; labels: Record<string, string> }[]>;
  /** Namespaces of each ConfigMap and Secret, by `Kind/name`. */
  readonly configNamespaces: Map<string, string[]>;
  /** Every namespace that has a ConfigMap or Secret. */
  readonly allConfigNamespaces: Set<string>;
}

const indexes = new WeakMap<ObjectSet, SetIndex>();

/** The list under `key`, created empty when there is none. */
function listIn<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** The lookup tables of a set, built on first use. */
function indexOf(set: ObjectSet): SetIndex {
  let idx = indexes.get(set);
  if (idx) return idx;
  idx = { podsByNamespace: new Map(), podsByLabel: new Map(), configNamespaces: new Map(), allConfigNamespaces: new Set() };
  for (const o of set.objects) {
    const pod = podSpecOf(o);
    const ns = namespaceOf(o) ?? '';
    if (pod) {
      const entry = { o, labels: pod.labels };
      listIn(idx.podsByNamespace, ns).push(entry);
      for (const k of Object.keys(pod.labels)) listIn(idx.podsByLabel, `${ns}\0${k}\0${pod.labels[k]}`).push(entry); // values are strings (stringMap)
    }
    if ((o.kind === 'ConfigMap' || o.kind === 'Secret') && typeof o.metadata?.name === 'string') {
      listIn(idx.configNamespaces, `${o.kind}/${o.metadata.name}`).push(ns);
      idx.allConfigNamespaces.add(ns);
    }
  }
  indexes.set(set, idx);
  return idx;
}

export const serviceSelectorNoMatch: PolicyRule = {
  id: 'service-selector-no-match',
  appliesTo: { kind: 'Service' },
  severity: 'warning',
  summary: 'Service selector matches no pod template in the same output and namespace, so it has no endpoints',
  fix: 'make the selector equal to the pod template labels (a construct such as WebApp keeps them together)',
  check: (obj, set: ObjectSet) => {
    if (obj.kind !== 'Service' || getIn(obj, ['spec', 'type']) === 'ExternalName') return [];
    const selector = asMap(getIn(obj, ['spec', 'selector']));
    const entries = selector ? Object.entries(selector) : [];
    if (entries.length === 0) return []; // no selector: endpoints are managed by hand
    const ns = namespaceOf(obj) ?? '';
    const idx = indexOf(set);
    const pods = idx.podsByNamespace.get(ns) ?? [];
    // Only pods carrying the selector's first label can match (scanning all pods per Service was quadratic).
    const [k0, v0] = entries[0];
    const candidates = typeof v0 === 'string' ? idx.podsByLabel.get(`${ns}\0${k0}\0${v0}`) ?? [] : pods;
    if (candidates.some((p) => selectorMatches(selector!, p.labels))) return [];
    const wanted = entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
    const near = pods.slice(0, 3).map((p) => `${describeObject(p.o)} has ${Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(',') || 'no labels'}`);
    return [{
      message: `selector ${wanted} matches no pod template in namespace "${ns}" of this output${near.length ? ` (${near.join('; ')})` : ''}`,
      path: ['spec', 'selector'],
    }];
  },
};

/** Every ConfigMap or Secret a pod spec refers to (lib/ir/refs.ts), with the field that refers to it. */
export function configRefsOf(obj: KubeObject): { kind: 'ConfigMap' | 'Secret'; name: string; path: (string | number)[] }[] {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const out: { kind: 'ConfigMap' | 'Secret'; name: string; path: (string | number)[] }[] = [];
  for (const r of podSpecRefs(pod.spec)) if (r.kind === 'ConfigMap' || r.kind === 'Secret') out.push({ kind: r.kind, name: r.name, path: [...pod.path, ...r.fieldPath] });
  return out;
}

export const configCrossNamespace: PolicyRule = {
  id: 'config-cross-namespace',
  appliesTo: 'pod-spec',
  severity: 'error',
  summary: 'pod refers to a ConfigMap or Secret that this output puts only in another namespace (pods see only their own namespace)',
  fix: 'create the ConfigMap/Secret in the pod\'s namespace too (or move the workload), e.g. one AppConfig per namespace',
  check: (obj, set: ObjectSet) => {
    if (!podSpecOf(obj)) return [];
    const ns = namespaceOf(obj) ?? '';
    // A reference can only cross namespaces if the output has a ConfigMap or Secret outside the pod's
    // namespace; most outputs have them all in one, so the references need not be collected.
    const spaces = indexOf(set).allConfigNamespaces;
    if (spaces.size === 0 || (spaces.size === 1 && spaces.has(ns))) return [];
    const refs = configRefsOf(obj);
    if (refs.length === 0) return [];
    const out: RuleHit[] = [];
    for (const ref of refs) {
      const namespaces = indexOf(set).configNamespaces.get(`${ref.kind}/${ref.name}`) ?? [];
      if (namespaces.length === 0 || namespaces.includes(ns)) continue; // absent: may exist in the cluster
      out.push({
        message: `refers to ${ref.kind} "${ref.name}" from namespace "${ns}", but this output has it only in namespace ${namespaces.map((n) => `"${n}"`).join(', ')}`,
        path: ref.path,
      });
    }
    return out;
  },
};

/** The rules of this file, in table order. */
export const OBJECT_RULES: readonly PolicyRule[] = [secretInEnv, secretInConfigMap, configCrossNamespace, serviceSelectorNoMatch];

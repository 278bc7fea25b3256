import { isIP } from 'node:net';
import type { FieldProblem } from './errors';
import type { FieldPath } from './field-path';
import { asList as list, getIn, isRecord as isObj } from './json';
import { checkDnsLabel, checkDnsSubdomain, CONFIG_KEY, isValidLabelValue, labelKeyProblem } from './naming';
import { POD_TEMPLATE_PATHS } from './pod-template';

/**
 * What the Kubernetes API server refuses beyond the OpenAPI schema (its `validation.go`): names of
 * containers, ports and volumes, port ranges, ConfigMap/Secret keys, local paths, selectors that
 * must match their template, label syntax below metadata, env var names. Pure functions over plain
 * objects; the schema check (`validateObject`) adds their problems. Top-level metadata (object
 * name, namespace, labels, annotations) is checked there already.
 */

/** One problem: the field (`spec.containers[0].name`), what is wrong, and how to fix it. */
export type ApiRuleProblem = FieldProblem & { readonly fix: string };

type Obj = Record<string, unknown>;
const q = (v: unknown) => JSON.stringify(v);

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const LABEL_FIX = 'use at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit, like "app: web"';

/** Why `v` is not a port number (1-65535), or undefined; 0 passes where it means "not set" (hostPort, targetPort). */
function portProblem(v: unknown, zeroMeansUnset = false): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || (v === 0 && zeroMeansUnset)) return undefined;
  return v < 1 || v > 65535 ? `${v} is not a valid port number: must be between 1 and 65535, inclusive` : undefined;
}

/** Why `name` is not an IANA service name (a named port), or undefined. */
export function ianaSvcNameProblem(name: string): string | undefined {
  if (name.length > 15) return `${q(name)} is ${name.length} characters long (at most 15)`;
  if (!IANA_SVC_NAME.test(name)) return `${q(name)} must be lowercase letters, digits and "-", starting and ending with a letter or digit`;
  if (name.includes('--')) return `${q(name)} must not contain "--"`;
  if (!/[a-z]/.test(name)) return `${q(name)} must contain at least one letter`;
  return undefined;
}

/** Why `key` is not a ConfigMap/Secret key, or undefined. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 253) return `key ${q(key)} must be 1 to 253 characters long`;
  if (!CONFIG_KEY.test(key)) return `key ${q(key)} must consist of letters, digits, "-", "_" or "."`;
  if (key === '.' || key === '..' || key.startsWith('..')) return `key ${q(key)} must not be "." or start with ".."`;
  return undefined;
}

/** Why `p` is not a relative path that stays inside its folder (no absolute path, no `..` segment), or undefined. */
export function localPathProblem(p: string): string | undefined {
  if (p.startsWith('/')) return `${q(p)} must be a relative path`;
  if (p.split('/').includes('..')) return `${q(p)} must not contain a ".." segment`;
  return undefined;
}

/** Why an env var name is refused (Kubernetes 1.33: printable ASCII except "="), or undefined. */
export function envNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(name)) return `${q(name)} must be printable ASCII characters other than "="`;
  return undefined;
}

/** Why an Ingress host (or any host name) is refused: an IP address, or not a DNS name; undefined when fine. */
export function hostNameProblem(host: string): string | undefined {
  if (isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0) return `${q(host)} is an IP address; a host name is required`;
  const bad = checkDnsSubdomain(host.startsWith('*.') ? host.slice(2) : host);
  return bad ? `${q(host)} ${bad}` : undefined;
}

/** Label key/value problems of a label map below metadata (templates, selectors). */
function labelMap(map: unknown, at: FieldPath, out: ApiRuleProblem[]): void {
  if (!isObj(map)) return;
  for (const [k, v] of Object.entries(map)) {
    if (labelKeyProblem(k) !== undefined) {
      out.push({ fieldPath: [...at, k], message: `label key ${q(k)} is not valid`, fix: `${LABEL_FIX} (an optional DNS prefix like "example.com/" may come first)` });
    } else if (typeof v === 'string' && !isValidLabelValue(v)) {
      out.push({ fieldPath: [...at, k], message: `label value ${q(v)} is not valid`, fix: `leave it empty or ${LABEL_FIX}` });
    }
  }
}

/** Where an object's pod spec (and its template's labels) are, per kind (the one table: core/pod-template.ts). */
interface PodSpecAt { readonly spec: string[]; readonly labels?: string[] }
const podSpecAt = (spec: string[]): PodSpecAt => (spec.length === 1 ? { spec } : { spec, labels: [...spec.slice(0, -1), 'metadata', 'labels'] });
const POD_SPEC_AT: Record<string, PodSpecAt | undefined> = Object.fromEntries(Object.entries(POD_TEMPLATE_PATHS).map(([k, t]) => [k, podSpecAt([...t, 'spec'] as string[])]));

/** Every problem the API server would report beyond the schema for one object. */
export function apiRuleProblems(obj: Obj): ApiRuleProblem[] {
  const out: ApiRuleProblem[] = [];
  const kind = obj.kind;
  if (typeof kind !== 'string') return out;
  const at = Object.prototype.hasOwnProperty.call(POD_SPEC_AT, kind) ? POD_SPEC_AT[kind] : undefined;
  if (at) {
    const spec = getIn(obj, at.spec);
    if (isObj(spec)) podSpecRules(spec, at.spec, out);
    if (at.labels) labelMap(getIn(obj, at.labels), at.labels, out);
    selectorRules(obj, kind, out);
  }
  if (kind === 'Service') serviceRules(obj, out);
  else if (kind === 'ConfigMap') dataKeys(obj, ['data', 'binaryData'], out);
  else if (kind === 'Secret') dataKeys(obj, ['data', 'stringData'], out);
  else if (kind === 'Ingress') list(getIn(obj, ['spec', 'rules'])).forEach((r, i) => {
    const host = isObj(r) ? r.host : undefined;
    const bad = typeof host === 'string' ? hostNameProblem(host) : undefined;
    if (bad) out.push({ fieldPath: ['spec', 'rules', i, 'host'], message: bad, fix: 'use a DNS name like "shop.example.com" (a wildcard "*.example.com" is allowed), or leave host out to match every host' });
  });
  else if (kind === 'CronJob') {
    const name = getIn(obj, ['metadata', 'name']);
    if (typeof name === 'string' && name.length > 52) out.push({ fieldPath: ['metadata', 'name'], message: `is ${name.length} characters long; a CronJob name must be at most 52 (its Jobs add 11)`, fix: 'shorten the name, e.g. to its first 52 characters' });
  }
  return out;
}

/** Keys of ConfigMap data/binaryData or Secret data/stringData, and no key in both ConfigMap maps. */
function dataKeys(obj: Obj, fields: readonly string[], out: ApiRuleProblem[]): void {
  for (const f of fields) {
    if (!isObj(obj[f])) continue;
    for (const k of Object.keys(obj[f] as Obj)) {
      const bad = configKeyProblem(k);
      if (bad) out.push({ fieldPath: [f, k], message: bad, fix: 'rename the key to letters, digits, "-", "_" and ".", like "app.properties"' });
      else if (f === 'binaryData' && isObj(obj.data) && k in obj.data) out.push({ fieldPath: [f, k], message: `key ${q(k)} is also in data`, fix: 'keep each key in data or in binaryData, not both' });
    }
  }
}

function serviceRules(svc: Obj, out: ApiRuleProblem[]): void {
  const name = getIn(svc, ['metadata', 'name']);
  if (typeof name === 'string' && !checkDnsLabel(name) && !/^[a-z]/.test(name)) {
    out.push({ fieldPath: ['metadata', 'name'], message: `${q(name)} is not a valid Service name: it must start with a letter (a DNS-1035 label)`, fix: `start it with a letter, e.g. "svc-${name}"` });
  }
  const spec = isObj(svc.spec) ? svc.spec : {};
  labelMap(spec.selector, ['spec', 'selector'], out);
  const ports = list(spec.ports);
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const here = ['spec', 'ports', i];
    const bad = portProblem(p.port);
    if (bad) out.push({ fieldPath: [...here, 'port'], message: bad, fix: 'use a port between 1 and 65535, like 80' });
    if (typeof p.targetPort === 'number') {
      const t = portProblem(p.targetPort, true);
      if (t) out.push({ fieldPath: [...here, 'targetPort'], message: t, fix: 'use the container port (1-65535), like 8080, or its name' });
    } else if (typeof p.targetPort === 'string' && p.targetPort !== '') {
      const t = ianaSvcNameProblem(p.targetPort);
      if (t) out.push({ fieldPath: [...here, 'targetPort'], message: `${t} (a named targetPort is a container port name)`, fix: 'use the number of the port, or a port name like "http"' });
    }
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      if (p.nodePort < 30000 || p.nodePort > 32767) out.push({ fieldPath: [...here, 'nodePort'], message: `${p.nodePort} is outside the default NodePort range 30000-32767`, fix: 'pick a nodePort between 30000 and 32767, like 30080, or leave it out to get a free one' });
      else if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') out.push({ fieldPath: [...here, 'nodePort'], message: `may not be used when type is ${q(spec.type ?? 'ClusterIP')}`, fix: 'set type: NodePort (or LoadBalancer), or remove nodePort' });
    }
    if (typeof p.name === 'string') {
      const n = checkDnsLabel(p.name);
      if (n) out.push({ fieldPath: [...here, 'name'], message: `${q(p.name)} ${n}`, fix: 'name the port like "http" or "metrics"' });
      else if (names.has(p.name)) out.push({ fieldPath: [...here, 'name'], message: `${q(p.name)} is a duplicate port name`, fix: 'give every port its own name' });
      names.add(p.name);
    } else if (ports.length > 1 && p.name === undefined) {
      out.push({ fieldPath: [...here, 'name'], message: 'is required when a Service has more than one port', fix: 'name each port, like name: http' });
    }
  });
}

/** Workload selectors: valid expressions, label syntax, not empty, matching the template's labels. */
function selectorRules(obj: Obj, kind: string, out: ApiRuleProblem[]): void {
  if (kind === 'Pod' || kind === 'PodTemplate' || kind === 'CronJob') return;
  const selector = getIn(obj, ['spec', 'selector']);
  const labels = getIn(obj, ['spec', 'template', 'metadata', 'labels']);
  const tpl: Obj = isObj(labels) ? labels : {};
  if (kind === 'ReplicationController') {
    // A plain map; when set it must select the template (when missing it defaults to the template labels).
    if (!isObj(selector) || Object.keys(selector).length === 0) return;
    labelMap(selector, ['spec', 'selector'], out);
    if (Object.entries(selector).some(([k, v]) => tpl[k] !== v)) out.push(mismatch(selector, tpl));
    return;
  }
  if (!isObj(selector)) return; // required for apps/v1 kinds: the schema reports a missing one
  const matchLabels = isObj(selector.matchLabels) ? selector.matchLabels : {};
  const exprs = list(selector.matchExpressions);
  labelMap(selector.matchLabels, ['spec', 'selector', 'matchLabels'], out);
  if (kind !== 'Job' && Object.keys(matchLabels).length === 0 && exprs.length === 0) {
    out.push({ fieldPath: ['spec', 'selector'], message: `an empty selector is invalid for a ${kind}`, fix: 'select the template labels, e.g. matchLabels: {app: web}' });
    return;
  }
  let matches = Object.entries(matchLabels).every(([k, v]) => tpl[k] === v);
  exprs.forEach((e, i) => {
    if (!isObj(e) || typeof e.key !== 'string') return;
    const values = list(e.values);
    const needsValues = e.operator === 'In' || e.operator === 'NotIn';
    if (needsValues !== values.length > 0 && (needsValues || e.operator === 'Exists' || e.operator === 'DoesNotExist')) {
      out.push({ fieldPath: ['spec', 'selector', 'matchExpressions', i, 'values'], message: needsValues ? `must be non-empty for operator ${e.operator}` : `must be empty for operator ${e.operator}`, fix: needsValues ? 'list the values, e.g. values: [web]' : 'remove values' });
    }
    const has = Object.prototype.hasOwnProperty.call(tpl, e.key);
    const ok = e.operator === 'In' ? has && values.includes(tpl[e.key]) : e.operator === 'NotIn' ? !has || !values.includes(tpl[e.key])
      : e.operator === 'Exists' ? has : e.operator === 'DoesNotExist' ? !has : true;
    matches &&= ok;
  });
  if (!matches) out.push(mismatch(selector, tpl));
}

const mismatch = (selector: unknown, labels: Obj): ApiRuleProblem => ({
  fieldPath: ['spec', 'template', 'metadata', 'labels'],
  message: `selector ${JSON.stringify(selector)} does not match template labels ${JSON.stringify(labels)}`,
  fix: 'give the template every label the selector asks for, e.g. the same app: label in both',
});

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Names, ports, env, volumes and mounts of one pod spec at `base` (`spec.template.spec`). */
function podSpecRules(spec: Obj, base: FieldPath, out: ApiRuleProblem[]): void {
  const volumes = new Set<string>();
  list(spec.volumes).forEach((v, i) => {
    if (!isObj(v) || typeof v.name !== 'string') return;
    const at = [...base, 'volumes', i];
    const bad = checkDnsLabel(v.name);
    if (bad) out.push({ fieldPath: [...at, 'name'], message: `volume name ${q(v.name)} ${bad}`, fix: 'name the volume like "data" or "config-1"' });
    else if (volumes.has(v.name)) out.push({ fieldPath: [...at, 'name'], message: `volume name ${q(v.name)} is a duplicate`, fix: 'give each volume its own name' });
    volumes.add(v.name);
    volumeSourceRules(v, at, out);
  });
  const containers = new Set<string>();
  for (const field of CONTAINER_LISTS) {
    list(spec[field]).forEach((c, i) => {
      if (!isObj(c)) return;
      const at = [...base, field, i];
      if (typeof c.name === 'string') {
        const bad = checkDnsLabel(c.name);
        if (bad) out.push({ fieldPath: [...at, 'name'], message: `container name ${q(c.name)} ${bad}`, fix: 'name the container like "web" or "sidecar-1"' });
        else if (containers.has(c.name)) out.push({ fieldPath: [...at, 'name'], message: `container name ${q(c.name)} is a duplicate (names are unique across containers, initContainers and ephemeralContainers)`, fix: 'give each container its own name' });
        containers.add(c.name);
      }
      containerRules(c, at, volumes, out);
    });
  }
}

/** `items[].path`/`key`/`mode` and `defaultMode` of configMap, secret, downwardAPI and projected volumes. */
function volumeSourceRules(v: Obj, at: FieldPath, out: ApiRuleProblem[]): void {
  const sources: Array<[Obj, FieldPath]> = [];
  for (const k of ['configMap', 'secret', 'downwardAPI']) if (isObj(v[k])) sources.push([v[k] as Obj, [...at, k]]);
  if (isObj(v.projected)) {
    list(v.projected.sources).forEach((s, j) => {
      for (const k of ['configMap', 'secret', 'downwardAPI']) if (isObj(s) && isObj(s[k])) sources.push([s[k] as Obj, [...at, 'projected', 'sources', j, k]]);
    });
  }
  for (const [src, here] of sources) {
    for (const f of ['defaultMode', 'mode']) modeRule(src[f], [...here, f], out);
    list(src.items).forEach((it, n) => {
      if (!isObj(it)) return;
      if (typeof it.path === 'string') {
        const bad = localPathProblem(it.path);
        if (bad) out.push({ fieldPath: [...here, 'items', n, 'path'], message: bad, fix: 'use a relative file name inside the volume, like "app.properties" or "conf/app.yaml"' });
      }
      if (typeof it.key === 'string') {
        const bad = configKeyProblem(it.key);
        if (bad) out.push({ fieldPath: [...here, 'items', n, 'key'], message: bad, fix: 'use the key as it is in the ConfigMap or Secret, like "app.properties"' });
      }
      modeRule(it.mode, [...here, 'items', n, 'mode'], out);
    });
  }
}

function modeRule(mode: unknown, at: FieldPath, out: ApiRuleProblem[]): void {
  if (typeof mode === 'number' && (mode < 0 || mode > 0o777)) out.push({ fieldPath: at, message: `${mode} is not a file mode: must be between 0 and 0777 (511)`, fix: 'write the mode in octal, like 0644 (decimal 420)' });
}

function containerRules(c: Obj, at: FieldPath, volumes: ReadonlySet<string>, out: ApiRuleProblem[]): void {
  const portNames = new Set<string>();
  list(c.ports).forEach((p, i) => {
    if (!isObj(p)) return;
    const here = [...at, 'ports', i];
    const bad = portProblem(p.containerPort);
    if (bad) out.push({ fieldPath: [...here, 'containerPort'], message: bad, fix: 'use the port the process listens on, like 8080' });
    const host = portProblem(p.hostPort, true);
    if (host) out.push({ fieldPath: [...here, 'hostPort'], message: host, fix: 'use a host port between 1 and 65535, or leave hostPort out' });
    if (typeof p.name === 'string') {
      const n = ianaSvcNameProblem(p.name);
      if (n) out.push({ fieldPath: [...here, 'name'], message: `port name ${n}`, fix: 'name the port like "http" or "metrics" (at most 15 characters)' });
      else if (portNames.has(p.name)) out.push({ fieldPath: [...here, 'name'], message: `port name ${q(p.name)} is a duplicate`, fix: 'give each port its own name' });
      portNames.add(p.name);
    }
  });
  for (const probe of PROBES) {
    const pr = c[probe];
    if (!isObj(pr)) continue;
    for (const h of ['httpGet', 'tcpSocket', 'grpc']) {
      const port = getIn(pr, [h, 'port']);
      const here = [...at, probe, h, 'port'];
      const bad = typeof port === 'number' ? portProblem(port) : typeof port === 'string' ? ianaSvcNameProblem(port) : undefined;
      if (bad) out.push({ fieldPath: here, message: bad, fix: 'use the container port number, like 8080, or its name, like "http"' });
    }
  }
  list(c.env).forEach((e, i) => {
    if (!isObj(e)) return;
    if (typeof e.name === 'string') {
      const bad = envNameProblem(e.name);
      if (bad) out.push({ fieldPath: [...at, 'env', i, 'name'], message: `env var name ${bad}`, fix: 'name the variable like "DB_HOST"' });
    }
    for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
      const key = getIn(e, ['valueFrom', ref, 'key']);
      const bad = typeof key === 'string' ? configKeyProblem(key) : undefined;
      if (bad) out.push({ fieldPath: [...at, 'env', i, 'valueFrom', ref, 'key'], message: bad, fix: 'use the key as it is in the ConfigMap or Secret, like "db-password"' });
    }
  });
  list(c.envFrom).forEach((e, i) => {
    const prefix = isObj(e) ? e.prefix : undefined;
    const bad = typeof prefix === 'string' && prefix !== '' ? envNameProblem(prefix) : undefined;
    if (bad) out.push({ fieldPath: [...at, 'envFrom', i, 'prefix'], message: `prefix ${bad}`, fix: 'use a prefix like "DB_"' });
  });
  const mountPaths = new Set<string>();
  list(c.volumeMounts).forEach((m, i) => {
    if (!isObj(m)) return;
    const here = [...at, 'volumeMounts', i];
    if (typeof m.name === 'string' && !volumes.has(m.name)) out.push({ fieldPath: [...here, 'name'], message: `volume ${q(m.name)} is not defined in the pod's volumes`, fix: `add a volume named ${q(m.name)} to the pod spec, or mount one of: ${[...volumes].join(', ') || '(none defined)'}` });
    if (typeof m.mountPath === 'string') {
      if (mountPaths.has(m.mountPath)) out.push({ fieldPath: [...here, 'mountPath'], message: `${q(m.mountPath)} is mounted twice in this container`, fix: 'mount each path once (use subPath for single files)' });
      mountPaths.add(m.mountPath);
    }
    const sub = typeof m.subPath === 'string' ? localPathProblem(m.subPath) : undefined;
    if (sub) out.push({ fieldPath: [...here, 'subPath'], message: sub, fix: 'use a relative path inside the volume, like "conf/app.yaml"' });
  });
  list(c.volumeDevices).forEach((d, i) => {
    if (isObj(d) && typeof d.name === 'string' && !volumes.has(d.name)) out.push({ fieldPath: [...at, 'volumeDevices', i, 'name'], message: `volume ${q(d.name)} is not defined in the pod's volumes`, fix: `add a volume named ${q(d.name)} (a persistentVolumeClaim in block mode) to the pod spec` });
  });
}

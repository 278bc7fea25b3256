import * as crypto from 'node:crypto';

/** DNS-1123 label: what Kubernetes requires of Service, Namespace and most object names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label: a DNS-1123 label that starts with a letter (what a Service name must be). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: what ConfigMap, Secret, Deployment names may be. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** C identifier-ish env var names Kubernetes accepts without surprises. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** ConfigMap/Secret key characters (at most 253, not `.`, `..` or starting with `..` besides). */
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
/** The name part of a label key or annotation key, and a non-empty label value (at most 63 characters besides). */
export const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Returns why `name` is not a DNS-1123 label, or undefined when it is one. */
export function checkDnsLabel(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 63) return `is ${name.length} characters long (at most 63)`;
  if (!DNS_LABEL.test(name)) return 'must be lowercase letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** Returns why `name` is not a DNS-1123 subdomain, or undefined when it is one. */
export function checkDnsSubdomain(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 253) return `is ${name.length} characters long (at most 253)`;
  if (!DNS_SUBDOMAIN.test(name)) return 'must be lowercase letters, digits, "-" and ".", starting and ending with a letter or digit';
  return undefined;
}

/**
 * Why a label or annotation key is refused, or undefined: an optional DNS-subdomain prefix and "/",
 * then a name of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.
 */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `the prefix "${prefix}" must be a DNS subdomain (lowercase letters, digits, "-" and ".")`;
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return 'must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (after an optional "prefix/")';
  return undefined;
}

/** True when `value` is a valid label value: empty, or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit. */
export function isValidLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** True when a key/value pair is a valid Kubernetes label. */
export function isValidLabel(key: string, value: string): boolean {
  return labelKeyProblem(key) === undefined && isValidLabelValue(value);
}

/** True when `name` is a valid environment variable name. */
export function isValidEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** True when `key` is a valid ConfigMap/Secret data key. */
export function isValidConfigKey(key: string): boolean {
  return CONFIG_KEY.test(key) && key.length <= 253;
}

/** Turns any string into a DNS-1123 label (lowercase, `-` for anything else, at most 63 characters). */
export function toDnsLabel(input: string, maxLength = 63): string {
  // Already a short label without "--" (like "web-1"): the full conversion would leave it as it is.
  if (input.length <= maxLength && DNS_LABEL.test(input) && !input.includes('--')) return input;
  return dnsLabelOf(input, maxLength);
}

/** The full conversion behind `toDnsLabel` (exported so a test can check the shortcut against it). */
export function dnsLabelOf(input: string, maxLength = 63): string {
  let s = input
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (s.length === 0) s = 'x';
  if (s.length > maxLength) {
    const h = shortHash(input, 8);
    s = `${s.slice(0, maxLength - 9).replace(/-$/, '')}-${h}`;
  }
  return s;
}

/** A stable, short hex digest of a string or a JSON-serializable value (keys sorted). */
export function shortHash(value: unknown, length = 10): string {
  const text = typeof value === 'string' ? value : stableStringify(value);
  return sha256Hex(text).slice(0, length);
}

// One-shot crypto.hash (Node >= 20.12) gives the same digest as a Hash object, at half the cost per call.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** JSON.stringify with object keys sorted, so equal values always give equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Levenshtein distance between two strings (for "did you mean" suggestions). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The option a typo most likely meant (case-insensitive), when one is close enough. */
export function closestMatch(word: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) { bestD = d; best = o; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

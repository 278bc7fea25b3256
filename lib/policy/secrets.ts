/**
 * Recognising secrets written as literals. Two signals, as in gitleaks/kube-linter's env-var-secret:
 * a name that says it holds a secret (PASSWORD, SECRET, TOKEN, API_KEY, ...) with a literal value,
 * and a URL carrying a password (`postgres://user:pass@host/db`) whatever its name.
 */

/** Words that mark a name as holding a secret. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'pass', 'secret', 'secrets', 'token', 'tokens', 'key', 'keys', 'apikey',
  'secretkey', 'accesskey', 'privatekey', 'credential', 'credentials', 'creds', 'passphrase', 'dsn',
]);

/**
 * Secret words that also count at the END of a longer word (`PGPASSWORD`, `GHTOKEN`, `CLIENTSECRET`,
 * `STRIPEAPIKEY`). Only long, unambiguous ones: `key`, `pass` and `pwd` end ordinary words
 * (MONKEY, BYPASS, OLDPWD).
 */
const SECRET_ENDINGS = [
  'password', 'passwd', 'token', 'tokens', 'secret', 'secrets', 'apikey', 'secretkey', 'accesskey', 'privatekey',
  'credential', 'credentials', 'passphrase',
];

/**
 * Last words that make a secret-sounding name harmless: `TOKEN_URL`, `SSH_KEY_PATH`, `PASSWORD_MIN_LENGTH`
 * and `SECRET_NAME` name or describe a secret without holding it.
 */
const BENIGN_LAST = new Set([
  'file', 'path', 'dir', 'name', 'id', 'prefix', 'suffix', 'ref', 'url', 'uri', 'endpoint', 'host', 'port',
  'length', 'len', 'size', 'ttl', 'expiry', 'expires', 'timeout', 'type', 'mode', 'algorithm', 'alg',
  'header', 'enabled', 'required', 'policy', 'format', 'field', 'env', 'var', 'location', 'min', 'max', 'count',
]);

/** Splits `DB_PASSWORD`, `dbPassword`, `db.password` and `api-key` into lowercase words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/**
 * Every secret word and ending contains one of these, and every word of a name is a piece of it: a
 * name without any of them cannot be secret, and most names are told apart by this one test.
 */
const SECRET_PIECES = /pass|pwd|secret|token|key|cred|dsn/i;

/** True when a variable or key name says it holds a secret (`DB_PASSWORD`, `apiKey`, `SECRET_KEY_BASE`). */
export function isSecretName(name: string): boolean {
  if (!SECRET_PIECES.test(name)) return false;
  const words = nameWords(name);
  if (words.length === 0 || BENIGN_LAST.has(words[words.length - 1])) return false;
  return words.some((w) => SECRET_WORDS.has(w) || SECRET_ENDINGS.some((e) => w.length > e.length && w.endsWith(e)));
}

/**
 * A URL with a non-empty password: `scheme://user:password@`. The password runs to the LAST `@`
 * before the host (greedy, stopping at `/` or a space), as URL parsers read it: `u:p@ss@db` has the
 * password `p@ss`, and redacting only up to the first `@` would leak `ss`.
 */
const CREDENTIAL_URL = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^\s/:@]*):([^\s/]+)@/;

/** True when the text holds a URL with a password in it (`postgres://u:p@h/db`). */
export function hasCredentialUrl(text: string): boolean {
  if (!text.includes('://') || !text.includes('@')) return false; // the pattern needs both; most values lack one
  const m = CREDENTIAL_URL.exec(text);
  // `$(DB_PASSWORD)` or `${DB_PASSWORD}` in the password part is a reference, not a literal.
  return !!m && !/^\$[({][A-Za-z_][A-Za-z0-9_]*[)}]$/.test(m[2]);
}

/** The URL of `text` with its password replaced by `***`, so reports never repeat the secret. */
export function redactUrl(text: string): string {
  return text.replace(new RegExp(CREDENTIAL_URL.source, 'g'), (all) => all.replace(/^([^:]+:\/\/[^:]*):.*@$/, '$1:***@'));
}

/** True when a literal value is only a reference to other variables (`$(DB_PASSWORD)`), or empty. */
export function isReferenceOrEmpty(value: string): boolean {
  return value.trim() === '' || /^(\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/.test(value.trim());
}

/** True for a value that only switches something (`ALLOW_EMPTY_PASSWORD: "no"`): never a secret. */
export function isFlagValue(value: string): boolean {
  return /^(yes|no|y|n|true|false|on|off|0|1|enabled?|disabled?)$/i.test(value.trim());
}

/**
 * Why a literal `name=value` looks like a secret, or undefined. Used for env vars and ConfigMap keys.
 */
export function secretLiteralReason(name: string, value: string): string | undefined {
  if (hasCredentialUrl(value)) return `holds a URL with a password (${redactUrl(value).slice(0, 80)})`;
  if (isSecretName(name) && !isReferenceOrEmpty(value) && !isFlagValue(value)) return 'is named like a secret and has a literal value';
  return undefined;
}

/** `key=value` or `key: value` on one line of a properties, .env or YAML file (`export` allowed). */
const SETTING_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*["']?([^"'\s#][^#]*?)["']?\s*$/;

/**
 * Secret-looking lines inside a multi-line value (a properties or .env file kept in a ConfigMap):
 * `password=...`, `api_key: ...`. Returns the 1-based line numbers with the key found.
 */
export function secretLinesIn(text: string): { line: number; key: string }[] {
  const out: { line: number; key: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const m = SETTING_LINE.exec(l);
    if (m && isSecretName(m[1]) && !isReferenceOrEmpty(m[2])) out.push({ line: i + 1, key: m[1] });
  });
  return out;
}

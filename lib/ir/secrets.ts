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

/** Where a command or text holds a literal secret: the value's span and why it counts. */
export interface SecretSpan {
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

/** What surrounds one argument of a command list: the argument before it, whether the command is a MySQL client. */
export interface CommandContext {
  /** The argument before this one (`--password` makes this one its value). @default none */
  readonly previous?: string;
  /** The command runs a MySQL/MariaDB client, whose `-pVALUE` is a password. @default - found in the text itself */
  readonly mysql?: boolean;
}

/** `NAME=value` (also `export NAME=value`, `--name=value`, `-Dname=value`); the name is checked by isSecretName. */
const ASSIGNMENT = /(?<![A-Za-z0-9_$])([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s;&|"'`)]+)/dg;
/** `--password value` or `-token value`: a flag named like a secret, its value after spaces. */
const FLAG_VALUE = /(?<![A-Za-z0-9_-])--?([A-Za-z][A-Za-z0-9_.-]*)\s+("[^"]*"|'[^']*'|[^\s;&|"'`)-][^\s;&|"'`)]*)/dg;
/** `-pVALUE` of mysql, mysqldump, mysqladmin, mariadb: the password glued to the flag. */
const MYSQL_PASSWORD = /(?<![A-Za-z0-9_-])-p([^\s;&|"'`)]+)/dg;
export const MYSQL_CLIENT = /\b(mysql|mysqldump|mysqladmin|mysqlsh|mariadb|mariadb-dump)\b/;
const BARE_SECRET_FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/;

/** A shell value that is a reference (`$VAR`, `${VAR}`, `$(cmd)`), possibly quoted, or empty: not a literal. */
function isShellReference(value: string): boolean {
  const v = value.replace(/^(["'])(.*)\1$/s, '$2').trim();
  return v === '' || v.startsWith('$') || isReferenceOrEmpty(v);
}

/**
 * Every literal secret in `text`: passwords in URLs, `NAME=value` and `--name value` where the name
 * says secret, `-pVALUE` of MySQL clients, and the whole text when it follows a bare secret flag.
 */
export function secretSpans(text: string, ctx: CommandContext = {}): SecretSpan[] {
  const out: SecretSpan[] = [];
  if (ctx.previous !== undefined) {
    const flag = BARE_SECRET_FLAG.exec(ctx.previous);
    if (flag && isSecretName(flag[1]) && !text.startsWith('-') && !isShellReference(text)) out.push({ start: 0, end: text.length, reason: `is the literal value of ${ctx.previous}` });
  }
  if (text.includes('://') && text.includes('@')) {
    for (const m of text.matchAll(new RegExp(CREDENTIAL_URL.source, 'dg'))) {
      const [start, end] = m.indices![2];
      if (!/^\$[({][A-Za-z_][A-Za-z0-9_]*[)}]$/.test(m[2])) out.push({ start, end, reason: 'holds a URL with a password' });
    }
  }
  if (text.includes('=')) {
    for (const m of text.matchAll(ASSIGNMENT)) {
      if (isSecretName(m[1]) && !isShellReference(m[2])) out.push({ start: m.indices![2][0], end: m.indices![2][1], reason: `sets ${m[1].replace(/^-+/, '')} to a literal value` });
    }
  }
  if (text.includes('-')) {
    for (const m of text.matchAll(FLAG_VALUE)) {
      if (isSecretName(m[1]) && !isShellReference(m[2])) out.push({ start: m.indices![2][0], end: m.indices![2][1], reason: `passes a literal value to -${m[0].startsWith('--') ? '-' : ''}${m[1]}` });
    }
    if (ctx.mysql ?? MYSQL_CLIENT.test(text)) {
      for (const m of text.matchAll(MYSQL_PASSWORD)) if (!isShellReference(m[1])) out.push({ start: m.indices![1][0], end: m.indices![1][1], reason: 'passes a MySQL password with -p' });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** `text` with every literal secret `secretSpans` finds replaced by `***`: what reports may print. */
export function maskSecrets(text: string, ctx: CommandContext = {}): string {
  const spans = secretSpans(text, ctx);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.end <= at) continue; // inside a span already masked
    out += `${text.slice(at, Math.max(at, s.start))}***`;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Why one command or argument holds a literal secret, or undefined; the value is masked in the reason. */
export function commandSecretReason(arg: string, ctx: CommandContext = {}): string | undefined {
  const [first] = secretSpans(arg, ctx);
  return first ? `${first.reason} (${maskSecrets(arg, ctx).slice(0, 80)})` : undefined;
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
  if (hasCredentialUrl(value)) return `holds a URL with a password (${maskSecrets(value).slice(0, 80)})`;
  if (isSecretName(name) && !isReferenceOrEmpty(value) && !isFlagValue(value)) return 'is named like a secret and has a literal value';
  // A multi-line value (a file kept in a ConfigMap) is read line by line: see secretLinesIn.
  if (value.includes('\n')) return undefined;
  const [first] = secretSpans(value);
  return first ? `${first.reason} (${maskSecrets(value).slice(0, 80)})` : undefined;
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

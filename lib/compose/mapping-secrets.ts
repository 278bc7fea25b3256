/**
 * Which compose values are secrets: env values under secret-like names (or URLs with a password),
 * and files named like keys and certificates or holding secret-looking settings. Such values move
 * to the service's generated Secret instead of a ConfigMap.
 */
import * as path from 'node:path';
import { isFlagValue, secretLinesIn, secretLiteralReason } from '../ir/secrets';

export { isFlagValue };

/** Why an environment value belongs in a Secret, or undefined (flags like "no"/"true" never do). */
export function envSecretReason(name: string, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || isFlagValue(value)) return undefined;
  return secretLiteralReason(name, value);
}

/** Names of files that hold keys or certificates (TLS, SSH, keystores, password files). */
const KEY_FILE = /(\.(key|pem|p12|pfx|jks|keystore|truststore|crt|cer|der|p8|gpg|asc|kdbx)$)|(^(id_rsa|id_dsa|id_ecdsa|id_ed25519|\.htpasswd|htpasswd|\.pgpass|\.netrc|credentials|\.git-credentials)$)/i;

/** True when a file name says it is a key or certificate (`tls.key`, `server.pem`, `id_rsa`). */
export function isKeyFileName(file: string): boolean {
  return KEY_FILE.test(path.posix.basename(file.replace(/\\/g, '/')));
}

/** Why a mounted file belongs in a Secret (its name, or secret-looking lines in it), or undefined. */
export function fileSecretReason(file: string, text: string | undefined): string | undefined {
  if (isKeyFileName(file)) return `"${path.posix.basename(file)}" is named like a key or certificate`;
  const lines = text === undefined ? [] : secretLinesIn(text);
  return lines.length ? `it holds secret-looking settings (${lines.slice(0, 3).map((l) => `${l.key} on line ${l.line}`).join(', ')})` : undefined;
}

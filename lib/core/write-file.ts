import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Options of `writeFileAtomic`. */
export interface WriteFileOptions {
  /** The text holds Secret data: the file is created 0600 (owner only), never briefly wider. @default false */
  readonly secret?: boolean;
}

/**
 * Writes `text` to `file` atomically: a new temporary sibling (created exclusively, so a planted
 * link is not followed) renamed over the target, so readers see the old or the new file, never a
 * part. The parent folder is created when missing. With `secret`, the file is created 0600.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array, options: WriteFileOptions = {}): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx', mode: options.secret ? 0o600 : 0o666 });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** True when any of the objects is a Secret (its data must not be written world-readable). */
export function holdsSecretData(objects: readonly { readonly kind?: unknown }[]): boolean {
  return objects.some((o) => o?.kind === 'Secret');
}

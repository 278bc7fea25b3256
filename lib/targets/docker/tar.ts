/**
 * A minimal tar writer for `putArchive` (files copied into a container before it starts). Small
 * enough to own rather than depend on a transitive package. ustar headers, plus the two extensions
 * the engine's reader (Go archive/tar) understands and real input needs:
 * - a PAX extended header (`x`, `path=` record) for paths that do not fit ustar's 100 + 155 bytes
 *   (ConfigMap keys may be 253 characters long);
 * - base-256 numbers for fields whose octal form overflows (uids of OpenShift-style ranges such as
 *   1000650000 do not fit the 7 octal digits of the uid/gid fields).
 */
import { FileCopy } from './plan';

const BLOCK = 512;

/**
 * A numeric header field of `len` bytes: octal with a NUL when it fits (what every reader expects),
 * else base-256 (first byte 0x80, the value big-endian in the rest), as GNU tar and Go write it.
 */
export function numericField(n: number, len: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`tar numeric field: ${n} is not a non-negative integer`);
  const out = Buffer.alloc(len);
  if (n < 8 ** (len - 1)) {
    out.write(n.toString(8).padStart(len - 1, '0'), 0, 'ascii');
    return out;
  }
  let v = BigInt(n);
  for (let i = len - 1; i >= 1; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  if (v !== 0n) throw new RangeError(`tar numeric field: ${n} does not fit ${len} bytes`);
  out[0] = 0x80;
  return out;
}

/** One PAX record, `"<len> <key>=<value>\n"`, where len counts the whole record in bytes. */
export function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restLen = Buffer.byteLength(rest);
  let len = restLen + 1;
  while (String(len).length + restLen !== len) len = String(len).length + restLen;
  return `${len}${rest}`;
}

/** Splits a path into ustar's prefix (<= 155 bytes) and name (<= 100 bytes), or undefined when it cannot. */
function ustarSplit(name: string): { prefix: string; base: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  for (let cut = name.indexOf('/'); cut > 0; cut = name.indexOf('/', cut + 1)) {
    const prefix = name.slice(0, cut);
    const base = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) > 155) return undefined;
    if (base && Buffer.byteLength(base) <= 100) return { prefix, base };
  }
  return undefined;
}

/** Truncates to at most `max` bytes without cutting a UTF-8 character. */
function truncateBytes(s: string, max: number): string {
  let out = s;
  while (Buffer.byteLength(out) > max) out = out.slice(0, -1);
  return out;
}

function header(name: string, prefix: string, size: number, mode: number, uid: number, gid: number, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  numericField(mode & 0o7777, 8).copy(h, 100);
  numericField(uid, 8).copy(h, 108);
  numericField(gid, 8).copy(h, 116);
  numericField(size, 12).copy(h, 124);
  numericField(0, 12).copy(h, 136); // mtime 0: the same files give the same archive
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

const pad = (n: number) => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** Header blocks for one file: a PAX `x` header first when the path does not fit ustar. */
function entryHeaders(rel: string, size: number, mode: number, uid: number, gid: number): Buffer[] {
  const split = ustarSplit(rel);
  if (split) return [header(split.base, split.prefix, size, mode, uid, gid, '0')];
  const body = Buffer.from(paxRecord('path', rel), 'utf8');
  // The ustar name is a fallback for readers without PAX; the record wins for those that have it.
  const short = truncateBytes(rel.slice(rel.lastIndexOf('/') + 1), 100);
  return [header(truncateBytes(`PaxHeader/${short}`, 100), '', body.length, 0o644, 0, 0, 'x'), body, pad(body.length), header(short, '', size, mode, uid, gid, '0')];
}

/**
 * A tar archive (relative to `/`) holding the files. No folder entries on purpose: the engine creates
 * missing parents (0755), while a folder entry would re-chmod existing ones such as /tmp.
 */
export function tarFiles(files: readonly FileCopy[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const rel = f.path.replace(/^\/+/, '');
    const body = Buffer.from(f.contentBase64, 'base64');
    parts.push(...entryHeaders(rel, body.length, f.mode, f.uid, f.gid), body, pad(body.length));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

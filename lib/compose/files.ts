import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from '../core/errors';

/**
 * Reading the files a compose project names (compose files, env files, configs, secrets, extends and
 * include targets) without trusting them: each is checked with stat before it is opened, special
 * files (FIFOs, sockets, devices, /proc, /sys, /dev) are refused, and reads are bounded, so
 * `file: /dev/zero` or a FIFO cannot grow or hang the conversion. A path outside the project folder
 * (written so, or through a symlink) is allowed, as Compose allows it, but named in a warning.
 */

/** The ConfigMap/Secret size limit of the API server; a bigger file cannot become one. */
export const OBJECT_LIMIT = 1024 * 1024;
/** Compose files may be large (20,000 services is about 5 MB), but not without bound. */
export const COMPOSE_FILE_LIMIT = 64 * 1024 * 1024;

/** Kernel and device trees: their "files" are endless, change on each read, or hold the host's secrets. */
const SPECIAL_TREES = ['/proc', '/sys', '/dev'];

/** What a project file is used as, for messages ("env file", "config file", ...). */
export interface FileUse {
  /** What the file is, in words ("env file", "the file of secret \"db\""). */
  readonly what: string;
  /** Where it is named (`file:line:col`). */
  readonly where: string;
  /** The project folder; paths outside it are warned about. @default - not checked */
  readonly projectDir?: string;
  /** Size limit in bytes. @default OBJECT_LIMIT */
  readonly limit?: number;
}

/** The outcome of checking (and maybe reading) a file. */
export interface FileCheck {
  /** The file's bytes (only from `readProjectFile`). */
  readonly data?: Buffer;
  /** True when the file does not exist (the caller decides whether that is an error). */
  readonly missing?: boolean;
  /** Why the file cannot be used (a user error), if it cannot. */
  readonly problem?: Problem;
  /** Set when the file, or where it resolves to, is outside the project folder. */
  readonly warning?: Problem;
}

const SPECIAL: Array<[(s: fs.Stats) => boolean, string]> = [
  [(s) => s.isFIFO(), 'a FIFO (named pipe)'], [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isCharacterDevice(), 'a character device'], [(s) => s.isBlockDevice(), 'a block device'], [(s) => s.isDirectory(), 'a folder'],
];

function inside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try { return fs.realpathSync(p); } catch { return p; }
}

/** Checks a file with lstat/stat, without opening it: missing, special, too big, outside the project. */
export function checkProjectFile(file: string, use: FileUse): FileCheck {
  const limit = use.limit ?? OBJECT_LIMIT;
  let resolved: string;
  try {
    resolved = fs.realpathSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    return { problem: unreadable(file, use, code) };
  }
  const tree = SPECIAL_TREES.find((t) => inside(t, path.resolve(file)) || inside(t, resolved));
  if (tree) return { problem: { where: use.where, message: `the ${use.what} ${file}${resolved !== path.resolve(file) ? ` (resolves to ${resolved})` : ''} is under ${tree}, a kernel or device tree, not a regular file; it is not read`, fix: 'point it at a regular file in the project folder' } };
  let st: fs.Stats;
  try { st = fs.statSync(resolved); } catch (e) { return { problem: unreadable(file, use, (e as NodeJS.ErrnoException).code) }; }
  const kind = SPECIAL.find(([is]) => is(st));
  if (kind) return { problem: { where: use.where, message: `the ${use.what} ${file} is ${kind[1]}, not a regular file; it is not read`, fix: 'point it at a regular file in the project folder' } };
  if (st.size > limit) return { problem: tooBig(file, use, limit) };
  let warning: Problem | undefined;
  if (use.projectDir) {
    const project = realOrSelf(use.projectDir);
    const written = path.resolve(file);
    if (!inside(project, resolved)) {
      const via = resolved !== written ? ` (a symlink to ${resolved})` : '';
      warning = { where: use.where, message: `the ${use.what} ${written}${via} is outside the project folder ${project}: its content goes into the output`, fix: `move the file into ${project}, or make sure it is meant to be converted` };
    }
  }
  return { warning };
}

/**
 * Checks a file, then reads it with a bound: at most `limit` bytes are accepted, read from the
 * opened descriptor (checked again with fstat, so a file swapped after the check is still refused).
 */
export function readProjectFile(file: string, use: FileUse): FileCheck {
  const check = checkProjectFile(file, use);
  if (check.missing || check.problem) return check;
  const limit = use.limit ?? OBJECT_LIMIT;
  let fd: number | undefined;
  try {
    // O_NONBLOCK: should the file have become a FIFO since the check, open does not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { problem: { where: use.where, message: `the ${use.what} ${file} is not a regular file; it is not read`, fix: 'point it at a regular file in the project folder' } };
    const buf = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(st.size + 1, 1)));
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > limit) return { problem: tooBig(file, use, limit) };
    // The file grew between fstat and read: read on, still bounded.
    if (n === buf.length && n <= limit) return readGrown(fd, buf, limit, file, use, check);
    return { ...check, data: buf.subarray(0, n) };
  } catch (e) {
    return { problem: unreadable(file, use, (e as NodeJS.ErrnoException).code) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function readGrown(fd: number, head: Buffer, limit: number, file: string, use: FileUse, check: FileCheck): FileCheck {
  const buf = Buffer.allocUnsafe(limit + 1);
  head.copy(buf);
  let n = head.length;
  while (n < buf.length) {
    const got = fs.readSync(fd, buf, n, buf.length - n, null);
    if (got === 0) break;
    n += got;
  }
  if (n > limit) return { problem: tooBig(file, use, limit) };
  return { ...check, data: buf.subarray(0, n) };
}

function tooBig(file: string, use: FileUse, limit: number): Problem {
  const size = limit === OBJECT_LIMIT ? '1 MiB, the size limit of a ConfigMap or Secret' : `${Math.round(limit / 1024 / 1024)} MiB`;
  return { where: use.where, message: `the ${use.what} ${file} is larger than ${size}; it is not read`, fix: limit === OBJECT_LIMIT ? 'keep the file under 1 MiB, or mount the data from a volume instead' : 'split the file' };
}

function unreadable(file: string, use: FileUse, code: string | undefined): Problem {
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'a symlink loop' : code ?? 'error';
  return { where: use.where, message: `cannot read the ${use.what} ${file} (${why}${code && why !== code ? `, ${code}` : ''})`, fix: code === 'EACCES' || code === 'EPERM' ? `give the user running dockyard read access to ${file} and its folders (chmod/chown), or correct the path` : 'correct the path' };
}

/**
 * Decodes a file as UTF-8 text: a leading BOM is dropped, and bytes that are not UTF-8 are an error
 * naming the line of the first one (instead of being silently replaced by U+FFFD).
 */
export function decodeUtf8(data: Buffer, file: string, what: string): { text?: string; problem?: Problem } {
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0 && !isUtf8(body)) {
    const line = text.slice(0, bad).split('\n').length;
    return { problem: { where: `${file}:${line}`, message: `the ${what} is not UTF-8 text (the first invalid byte is on line ${line})`, fix: 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)' } };
  }
  return { text };
}

/**
 * A minimal ustar writer for `putArchive` (files copied into a container before it starts). Small
 * enough to own rather than depend on a transitive package; handles paths up to 255 bytes.
 */
import { FileCopy } from './plan';

function header(name: string, size: number, mode: number, uid: number, gid: number, type: '0'): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`path too long for a tar entry: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  const oct = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  h.write(base, 0, 100, 'utf8');
  h.write(oct(mode & 0o7777, 8), 100, 'ascii');
  h.write(oct(uid, 8), 108, 'ascii');
  h.write(oct(gid, 8), 116, 'ascii');
  h.write(oct(size, 12), 124, 'ascii');
  h.write(oct(0, 12), 136, 'ascii'); // mtime 0: the same files give the same archive
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(oct(sum, 7) + ' ', 148, 'ascii');
  return h;
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
    parts.push(header(rel, body.length, f.mode, f.uid, f.gid, '0'), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Compose volume syntax: the short and long `volumes` entries and `tmpfs`, parsed into mounts. */
import type { ComposeVolumeLong } from './model';
import { dropUndefined, parseBytes } from './mapping-units';


/** One mount after parsing the short or long syntax. */
export interface MountEntry {
  readonly type: 'volume' | 'bind' | 'tmpfs' | string;
  /** Named volume, host path, or undefined (anonymous volume / tmpfs). */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** tmpfs size in bytes. */
  readonly size?: number;
  /** Options that have no Kubernetes field (`z`, `nocopy`, `propagation`, tmpfs `mode`, ...), for a warning. */
  readonly dropped?: string[];
}

/** The modes Docker accepts after `source:target:` (read-only, SELinux, nocopy, consistency, propagation). */
export const VOLUME_MODES: readonly string[] = ['ro', 'rw', 'z', 'Z', 'nocopy', 'consistent', 'cached', 'delegated', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'];
const VOLUME_FIX = 'write the volume like "data:/var/lib/data", "./site:/usr/share/nginx/html:ro" or "/cache" (container paths start with "/")';

/** Parses a `volumes` entry: `target`, `source:target[:ro|rw|z|Z...]`, or the long syntax. */
export function parseVolume(entry: string | ComposeVolumeLong): { mount?: MountEntry; error?: string; fix?: string } {
  if (typeof entry === 'object') {
    const size = entry.tmpfs?.size !== undefined ? parseBytes(entry.tmpfs.size) : undefined;
    const dropped = [
      ...Object.keys(entry.bind ?? {}).map((k) => `bind.${k}`),
      ...Object.keys(entry.volume ?? {}).map((k) => `volume.${k}`),
      ...((entry as { consistency?: string }).consistency !== undefined ? ['consistency'] : []),
    ];
    return {
      mount: dropUndefined({
        type: entry.type,
        source: entry.source,
        target: entry.target,
        readOnly: entry.read_only ?? false,
        size,
        dropped: dropped.length ? dropped : undefined,
      }),
    };
  }
  const parts = entry.split(':');
  // A Windows drive letter ("C:\\data:/data") is not split.
  if (parts.length >= 2 && /^[A-Za-z]$/.test(parts[0]) && /^[\\/]/.test(parts[1])) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  if (parts.length === 1) return parts[0].startsWith('/') ? { mount: { type: 'volume', target: parts[0], readOnly: false } } : { error: `"${entry}" is not an absolute container path`, fix: VOLUME_FIX };
  if (parts.length > 3) return { error: `"${entry}" is not source:target[:mode]`, fix: VOLUME_FIX };
  const [source, target, mode = 'rw'] = parts;
  if (!target.startsWith('/')) return { error: `target "${target}" of "${entry}" is not an absolute container path`, fix: VOLUME_FIX };
  const bind = /^[./~]/.test(source) || /^[A-Za-z]:/.test(source);
  // Docker refuses unknown modes ("invalid mode"); a typo of "ro" must not become a writable mount.
  const unknown = mode.split(',').filter((m) => !VOLUME_MODES.includes(m));
  if (unknown.length) return { error: `mode "${unknown.join(',')}" of "${entry}" is not a volume mode (valid: ${VOLUME_MODES.join(', ')})`, fix: 'write ro or rw (more than one separated by commas, like "ro,z")' };
  const dropped = mode.split(',').filter((m) => m !== 'ro' && m !== 'rw');
  return { mount: dropUndefined({ type: bind ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro'), dropped: dropped.length ? dropped : undefined }) };
}

/** `tmpfs: /run` or `["/run:size=64m"]` -> tmpfs mounts. */
export function parseTmpfs(v: string | string[] | undefined): MountEntry[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.map((t) => {
    const [target, opts = ''] = t.split(':');
    const size = /(?:^|,)size=([^,]+)/.exec(opts)?.[1];
    const dropped = opts.split(',').filter((o) => o && !o.startsWith('size='));
    return dropUndefined({ type: 'tmpfs', target, readOnly: false, size: size !== undefined ? parseBytes(size) : undefined, dropped: dropped.length ? dropped : undefined });
  });
}

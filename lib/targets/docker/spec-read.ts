/**
 * Reads from the engine what `containerChanges` compares for `diff`: the container's inspect
 * document, its image's config (what it inherited) and the planned files as they are inside it.
 * Read-only; file contents are compared, never printed.
 */
import type { Engine } from './engine';
import { ContainerPlan } from './plan';
import { ActualFile, ImageConfig, InspectedSpec, SpecCompareOptions } from './spec-changes';

/** The first regular file in a tar archive (as `GET /containers/{id}/archive` returns it), or undefined. Pure. */
export function firstTarFile(tar: Buffer): ActualFile | undefined {
  let pax: Record<string, string> = {};
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) return undefined;
    const num = (a: number, b: number) => {
      // Base-256 (first byte 0x80) for values octal cannot hold, as Go and GNU tar write big uids.
      if (h[a] & 0x80) return h.subarray(a + 1, b).reduce((n, byte) => n * 256 + byte, 0);
      return parseInt(h.subarray(a, b).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    };
    const type = String.fromCharCode(h[156] || 48);
    const size = pax.size !== undefined ? Number(pax.size) : num(124, 136);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'g') {
      // PAX records: "<len> key=value\n" (long names, big uids).
      pax = {};
      for (const m of body.toString('utf8').matchAll(/\d+ ([^=]+)=([^\n]*)\n/g)) pax[m[1]] = m[2];
      continue;
    }
    if (type === '0') return { content: Buffer.from(body), mode: num(100, 108) & 0o7777, uid: pax.uid !== undefined ? Number(pax.uid) : num(108, 116), gid: pax.gid !== undefined ? Number(pax.gid) : num(116, 124) };
    pax = {};
  }
  return undefined;
}

/** What `containerChanges` needs for one running container; parts that cannot be read are left out. */
export async function readForCompare(engine: Engine, id: string, want: ContainerPlan): Promise<{ inspect: InspectedSpec; options: Omit<SpecCompareOptions, 'secretValues'> } | undefined> {
  const inspect = await engine.get<InspectedSpec & { Image?: string }>(`/containers/${encodeURIComponent(id)}/json`).catch(() => undefined);
  if (!inspect) return undefined;
  const image = inspect.Image ? await engine.get<{ Config?: ImageConfig }>(`/images/${inspect.Image}/json`).then((i) => i.Config ?? {}, () => undefined) : undefined;
  const files = new Map<string, ActualFile | undefined>();
  let readable = true;
  for (const f of want.files) {
    try {
      const tar = await engine.get<unknown>(`/containers/${encodeURIComponent(id)}/archive?path=${encodeURIComponent(f.path)}`);
      // Only the node:http client hands back the raw archive; otherwise files are not compared.
      if (!Buffer.isBuffer(tar)) { readable = false; break; }
      files.set(f.path, firstTarFile(tar));
    } catch (e: any) {
      if (e?.statusCode === 404) { files.set(f.path, undefined); continue; }
      readable = false;
      break;
    }
  }
  return { inspect, options: { image, files: readable ? files : undefined } };
}

/** Every Secret value of the input (data decoded, stringData), so `diff` can show other values. Pure. */
export function secretValuesOf(objects: ReadonlyArray<{ kind?: unknown; data?: unknown; stringData?: unknown }>): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== 'Secret') continue;
    for (const v of Object.values((o.data ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out.add(Buffer.from(v, 'base64').toString('utf8'));
    for (const v of Object.values((o.stringData ?? {}) as Record<string, unknown>)) if (typeof v === 'string') out.add(v);
  }
  for (const v of [...out]) { if (v.trim() !== v) out.add(v.trim()); }
  return out;
}

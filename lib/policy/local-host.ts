/**
 * The facts the guards need about this machine, when it is the one that runs the containers (a local
 * Docker engine): how a host path resolves, link by link, and where the engine's socket and data root
 * really are. The only part of the policy module that reads the filesystem; the rules get the result.
 */
import * as fs from 'node:fs';
import { posix } from 'node:path';
import { HostFacts, normalizeHostPath, ResolvedHostPath } from '../ir/host-paths';

/** Linux gives up after 40 links (ELOOP); so do we. */
const MAX_LINKS = 40;

/**
 * Resolves `p` as the engine would mount it: cleaned first (Docker cleans a bind source), then every
 * symlink followed, one component at a time (relative links from their folder, chains, links in
 * folders). A missing tail is resolved through its deepest existing folder and kept as written.
 */
export function resolveLocalPath(p: string): ResolvedHostPath {
  const norm = normalizeHostPath(p);
  if (!norm.startsWith('/')) return { error: 'it is not an absolute path' };
  const rest = norm.split('/').filter(Boolean);
  const links: string[] = [];
  let at = '/';
  while (rest.length) {
    const seg = rest.shift()!;
    if (seg === '.') continue;
    if (seg === '..') { at = posix.dirname(at); continue; }
    const next = posix.join(at, seg);
    let st: fs.Stats;
    try { st = fs.lstatSync(next); } catch (e: any) {
      if (e?.code === 'ENOENT' || e?.code === 'ENOTDIR') return { resolved: normalizeHostPath(posix.join(next, ...rest)), links };
      return { error: `${next} cannot be read (${e?.code ?? e})`, links };
    }
    if (!st.isSymbolicLink()) { at = next; continue; }
    if (links.length >= MAX_LINKS) return { error: `more than ${MAX_LINKS} symbolic links (a loop?) from ${p}`, links };
    let target: string;
    try { target = fs.readlinkSync(next); } catch (e: any) { return { error: `${next} cannot be read (${e?.code ?? e})`, links }; }
    links.push(`${next} -> ${target}`);
    rest.unshift(...target.split('/').filter(Boolean));
    if (target.startsWith('/')) at = '/';
  }
  return { resolved: at, links };
}

/** True when a DOCKER_HOST-style URL points at this machine: a unix socket, or tcp to a loopback address. */
export function engineOnThisMachine(host: string | undefined): boolean {
  if (!host || host.startsWith('unix://')) return true;
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)/.exec(host);
  return !!m && ['127.0.0.1', 'localhost', '[::1]'].includes(m[1].toLowerCase());
}

/** The socket path of a local engine URL (undefined for tcp). */
function socketOf(host: string | undefined): string | undefined {
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) || '/var/run/docker.sock' : undefined;
}

/** A path and where it resolves, without repeats. */
function withResolved(p: string, resolve: (p: string) => ResolvedHostPath): string[] {
  const r = resolve(p).resolved;
  return [...new Set([normalizeHostPath(p), ...(r ? [r] : [])])];
}

/**
 * The host facts for an engine at `host` (DOCKER_HOST-style; undefined = the default socket), with its
 * data root (`/info` DockerRootDir) when known. For an engine elsewhere, paths cannot be resolved here,
 * and the findings say so.
 */
export function engineHostFacts(host: string | undefined, dockerRootDir?: string): HostFacts {
  if (!engineOnThisMachine(host)) {
    return { unresolvedReason: `the engine at ${host} is not on this machine, so its paths cannot be resolved from here (checked as written)` };
  }
  const cache = new Map<string, ResolvedHostPath>();
  const resolvePath = (p: string) => {
    let r = cache.get(p);
    if (!r) { r = resolveLocalPath(p); cache.set(p, r); }
    return r;
  };
  const socket = socketOf(host);
  return {
    resolvePath,
    engineSockets: socket ? withResolved(socket, resolvePath) : [],
    engineDataRoots: dockerRootDir ? withResolved(dockerRootDir, resolvePath) : [],
  };
}

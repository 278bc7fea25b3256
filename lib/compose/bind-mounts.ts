import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from '../core/errors';
import { isDockerSocketPath, isSensitiveHostPath } from '../ir/host-paths';
import { isObj, Json } from './yaml-file';

/**
 * Compose bind mounts name folders of this machine, so the guards can see what the container would
 * really get: every link of a symlink chain is followed (`./link -> /run/dockyard` mounts the
 * engine's socket folder), and each hop and the resolved path are checked with the policy's own
 * predicates (`isDockerSocketPath`, `isSensitiveHostPath`), so their coverage is ours. The written
 * path becomes the hostPath, which the policy itself checks.
 */

/** A bind mount's host source, as written, or undefined for other mounts (named volumes, tmpfs). */
export function bindSource(v: Json): string | undefined {
  if (typeof v === 'string') {
    const i = v.search(/:(?!\\)/); // `C:\data:/data`: the drive colon is not the separator
    const source = i > 0 ? v.slice(0, i) : undefined;
    return source !== undefined && /^([./~]|[A-Za-z]:\\)/.test(source) ? source : undefined;
  }
  return isObj(v) && v.type === 'bind' && typeof v.source === 'string' ? v.source : undefined;
}

/** The symlinks a path goes through, each hop's target in order, ending with the fully resolved path. */
export function linkChain(p: string, maxHops = 40): { hops: string[]; resolved: string; error?: string } {
  const hops: string[] = [];
  let cur = p;
  for (let i = 0; i < maxHops; i++) {
    let st: fs.Stats;
    try { st = fs.lstatSync(cur); } catch { break; }
    if (!st.isSymbolicLink()) break;
    let target: string;
    try { target = fs.readlinkSync(cur); } catch { break; }
    cur = path.resolve(path.dirname(cur), target);
    hops.push(cur);
  }
  return { hops, ...resolveExisting(p) };
}

/** realpath of the longest existing prefix, with the rest appended (Docker creates a missing source). */
function resolveExisting(p: string): { resolved: string; error?: string } {
  let head = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return { resolved: path.join(fs.realpathSync(head), ...tail) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return { resolved: p, error: code };
      const parent = path.dirname(head);
      if (parent === head) return { resolved: p };
      tail.unshift(path.basename(head));
      head = parent;
    }
  }
}

/** Checks one bind mount source; `where` is its file:line:col. */
export function checkBindMount(
  source: string, projectDir: string, where: string, env: Readonly<Record<string, string | undefined>>,
): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (/^[A-Za-z]:\\/.test(source)) return { problems, warnings }; // a Windows path: not on this machine
  const home = env.HOME ?? process.env.HOME ?? '~';
  const written = path.resolve(projectDir, source.replace(/^~(?=\/|$)/, home));
  const chain = linkChain(written);
  const socketHost = /^unix:\/\/(.+)$/.exec(env.DOCKER_HOST ?? '')?.[1];
  const extra = socketHost ? [socketHost] : [];
  // The written path is the hostPath the policy sees (its docker-socket rule refuses it in convert
  // and at deploy); what only the resolution shows is the loader's to report.
  if (isDockerSocketPath(written, extra)) return { problems, warnings };
  const seen = [...chain.hops, chain.resolved];
  const via = (p: string) => ` (it resolves to ${p}${chain.hops.length ? ` through the symlink${chain.hops.length > 1 ? 's' : ''} ${[written, ...chain.hops].join(' -> ')}` : ''})`;
  const socket = seen.find((p) => isDockerSocketPath(p, extra));
  if (socket) {
    problems.push({
      where,
      message: `bind mount ${source}${via(socket)} exposes the container engine's socket (or a folder holding it): the container would control every container on the host`,
      fix: 'remove the bind mount; if the container really must drive Docker, convert without it and add the hostPath volume with a Policy.suppress reason in the --format ts code',
    });
    return { problems, warnings };
  }
  if (chain.resolved !== written && !isSensitiveHostPath(written) && isSensitiveHostPath(chain.resolved)) {
    warnings.push({ where, message: `bind mount ${source}${via(chain.resolved)} is a host folder that gives away the host (credentials, kernel interfaces, other containers' data)`, fix: 'mount a project folder instead, or a named volume' });
  }
  if (chain.error) warnings.push({ where, message: `bind mount ${source} could not be resolved (${chain.error}); only the written path ${written} was checked against the engine socket and host folders`, fix: `make ${written} readable by the user running dockyard` });
  return { problems, warnings };
}

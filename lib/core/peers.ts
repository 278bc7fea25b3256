import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The peer dependencies Dockyard checks at load: the user's project chooses the cdk8s and constructs
 * versions, and a version outside the tested range fails in obscure ways (two copies of a class,
 * a renamed method), so it is named once, up front, with the command that fixes it.
 */

/** True when `version` (x.y.z) is inside `range` (`^x.y.z`, `~x.y.z`, `>=x.y.z` or an exact version). */
export function satisfiesRange(version: string, range: string): boolean {
  const m = /^(\^|~|>=)?\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  const v = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m || !v) return false;
  const want = [Number(m[2]), Number(m[3]), Number(m[4])];
  const have = [Number(v[1]), Number(v[2]), Number(v[3])];
  const cmp = have[0] - want[0] || have[1] - want[1] || have[2] - want[2];
  if (cmp < 0) return false;
  switch (m[1]) {
    case '>=': return true;
    case '^': return want[0] > 0 ? have[0] === want[0] : have[1] === want[1];
    case '~': return have[0] === want[0] && have[1] === want[1];
    default: return cmp === 0;
  }
}

/** The message for one peer outside its range, or undefined when it fits. */
export function peerProblem(name: string, installed: string, range: string): string | undefined {
  if (satisfiesRange(installed, range)) return undefined;
  return `dockyard: ${name} ${installed} is installed, but Dockyard supports ${name} ${range}. Fix: npm install ${name}@"${range}"`;
}

/** The parts of Dockyard's package.json read at run time. */
export interface DockyardManifest {
  readonly version: string;
  readonly peerDependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/** Dockyard's package folder (found upwards from this file: lib/ in the repository, build/lib/ when installed). */
export function dockyardRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === 'dockyard') return dir;
  }
  throw new Error(`dockyard's package.json was not found above ${__dirname}`);
}

/** Dockyard's own package.json. */
export function dockyardManifest(): DockyardManifest {
  return JSON.parse(fs.readFileSync(path.join(dockyardRoot(), 'package.json'), 'utf8'));
}

function ownManifest(): DockyardManifest | undefined {
  try {
    return dockyardManifest();
  } catch {
    return undefined;
  }
}

/** The problems of the installed cdk8s and constructs against Dockyard's peer ranges (empty when they fit). */
export function peerProblems(): string[] {
  const ranges = ownManifest()?.peerDependencies ?? {};
  const out: string[] = [];
  for (const name of ['cdk8s', 'constructs']) {
    if (!ranges[name]) continue;
    let installed: string;
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      installed = require(`${name}/package.json`).version;
    } catch {
      continue; // not installed: requiring it fails right after with Node's own clear message
    }
    const problem = peerProblem(name, installed, ranges[name]);
    if (problem) out.push(problem);
  }
  return out;
}

const REPORTED = Symbol.for('dockyard.peerCheckReported');

/** Prints the peer problems once per process (on stderr), however many copies of Dockyard load. */
export function reportPeerProblems(write: (line: string) => void = (l) => process.stderr.write(l)): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[REPORTED]) return;
  g[REPORTED] = true;
  for (const p of peerProblems()) write(`${p}\n`);
}

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as root from '../../lib';
import * as compose from '../../lib/compose';
import * as graph from '../../lib/graph';
import * as docker from '../../lib/targets/docker';

const ROOT = path.join(__dirname, '..', '..');

// The package root is the curated API (constructs, synth, Testing, errors, policy, webhook, Pulumi
// components); the Docker target, compose import and the graph are subpaths of their own.
describe('package root', () => {
  test('exports the constructs, synth, Testing and errors', () => {
    for (const n of ['WebApp', 'AppConfig', 'AppSecret', 'PodService', 'Namespace', 'EnvValue', 'Probe', 'synthApp', 'runSynth', 'Testing', 'DockyardError']) {
      expect([n, typeof (root as Record<string, unknown>)[n]]).toEqual([n, 'function']);
    }
  });

  test.each([['compose', compose], ['targets/docker', docker]] as const)('does not re-export %s (a subpath)', (_name, mod) => {
    const names = Object.keys(mod);
    expect(names.length).toBeGreaterThan(3);
    // A name both have (a shared helper re-exported by both) must be the same object.
    expect(names.filter((k) => k in root && (root as Record<string, unknown>)[k] !== (mod as Record<string, unknown>)[k])).toEqual([]);
    expect(['planDocker', 'deployPlan', 'loadCompose', 'ComposeApp', 'buildGraph'].filter((k) => k in root)).toEqual([]);
  });

  test('does not re-export the graph (a subpath)', () => {
    expect(Object.keys(graph).filter((k) => ['buildGraph', 'graphOfApp', 'toMermaid', 'toDot', 'graphToSvg', 'graphToPng'].includes(k) && k in root)).toEqual([]);
  });

  test('loading the root in a fresh process loads none of the Docker target, compose, graph or Pulumi', () => {
    const script = `require(${JSON.stringify(path.join(ROOT, 'build/lib/index.js'))});
      const loaded = Object.keys(require.cache).map((f) => f.split(require('path').sep).join('/'));
      const bad = loaded.filter((f) => /build\\/lib\\/(targets|compose|graph)\\//.test(f) || /node_modules\\/(@pulumi|dockerode)\\//.test(f));
      process.stdout.write(JSON.stringify(bad));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))).toEqual([]);
  });
});

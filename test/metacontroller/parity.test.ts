import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { podservice } from '../../apps/podservice/chart';
import { KubeObject, loadManifests } from '../../lib/core/manifests';
import { synthApp } from '../../lib/pipeline/synth';
import { answerHook, parseHookRequest } from '../../lib/metacontroller/hook';
import { policySynthCheck } from '../../lib/policy/policy';
import { SUPPRESS_ANNOTATION_PREFIX } from '../../lib/policy/check';

/** `obj` without the policy suppression annotations (and without `annotations` when none is left). */
function withoutSuppressions(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  const meta = copy.metadata ?? {};
  const kept = Object.entries(meta.annotations ?? {}).filter(([k]) => !k.startsWith(SUPPRESS_ANNOTATION_PREFIX));
  if (kept.length) meta.annotations = Object.fromEntries(kept); else delete meta.annotations;
  return copy;
}

describe('synthesized PodService YAML and the webhook', () => {
  test('GIVEN the podservice example THEN the written objects equal the webhook children except policy suppression annotations', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'podservice-parity-')), 'dist');
    const app = new App();
    podservice(app);
    synthApp(app, { outdir, policy: false, checks: [policySynthCheck({ log: () => undefined })] });
    const written = loadManifests([path.join(outdir, 'podservice.k8s.yaml')]).map((l) => l.object);
    const parent = { apiVersion: 'dockyard.io/v1alpha1', kind: 'PodService', metadata: { name: 'hello' }, spec: { image: 'nginx:1.27', port: 80, host: 'podservice.local' } };
    const children = answerHook(parseHookRequest({ parent, children: {} }, 'sync'), 'sync').children as KubeObject[];

    // The one difference the README names: the documented suppression on the Pod.
    expect(written.map((o) => [o.kind, o.metadata?.annotations])).toEqual([
      ['Pod', { 'suppress.dockyard.dev/run-as-non-root': expect.stringContaining('nginx image starts its master process as root') }],
      ['Service', undefined],
      ['Ingress', undefined],
    ]);
    expect(children.every((c) => c.metadata?.annotations === undefined)).toBe(true);
    expect(written.map(withoutSuppressions)).toEqual(children);
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });
});

/**
 * A converted compose service keeps compose's stop timeout on the Docker target: the converter sets
 * terminationGracePeriodSeconds (10 s unless stop_grace_period says otherwise), the planner carries
 * it to the container's StopTimeout, which every stop of the rollout uses.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../lib/cli/main';
import { loadManifests } from '../../../lib/core/manifests';
import { toCreateOptions } from '../../../lib/targets/docker/create-options';
import { planDocker } from '../../../lib/targets/docker/planner';

test('GIVEN compose services with and without stop_grace_period WHEN converted and planned THEN StopTimeout is 10 s and the given grace', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-grace-'));
  try {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n  slow:\n    image: nginx:1.27\n    stop_grace_period: 1m30s\n');
    let err = '';
    const code = await main(['convert', path.join(dir, 'compose.yaml'), '-o', path.join(dir, 'out')], { out: () => undefined, err: (t) => { err += t; }, stdin: () => '', env: {} });
    expect(`${code} ${err}`).toMatch(/^0 /);
    const plan = planDocker(loadManifests([path.join(dir, 'out')]), { project: 'p' });
    const timeout = (name: string) => (toCreateOptions(plan.containers.find((c) => c.containerName === name)!) as { StopTimeout?: number }).StopTimeout;
    expect(timeout('web')).toBe(10);
    expect(timeout('slow')).toBe(90);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

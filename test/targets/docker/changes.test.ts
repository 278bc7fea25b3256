import { loadManifests } from '../../../lib/core/manifests';
import { ActualContainer, computeChanges, formatChange, specDifferences, tempName } from '../../../lib/targets/docker/changes';
import { DockerPlan, LABELS } from '../../../lib/targets/docker/plan';
import { planDocker } from '../../../lib/targets/docker/planner';

const plan: DockerPlan = planDocker(loadManifests([`${__dirname}/fixtures/web.yaml`]), { project: 'demo' });

/** What the engine would list after a clean deploy of `plan`. */
function running(p: DockerPlan): ActualContainer[] {
  return p.containers.map((c, i) => ({ id: `id${i}`, name: c.name, labels: c.labels, state: 'running' }));
}
const summary = (p: DockerPlan, containers: ActualContainer[], networks = ['demo']) =>
  computeChanges(p, { containers, networks, volumes: [] }).map((c) => `${c.action} ${c.kind} ${c.name}${c.reason ? `: ${c.reason}` : ''}`);

describe('computeChanges', () => {
  test('from nothing: the network, then pods, proxies last', () => {
    expect(summary(plan, [], [])).toEqual(['create network demo', 'create pod demo-web-1', 'create pod demo-web-2', 'create pod demo-web-proxy']);
  });

  test('an unchanged model changes nothing', () => {
    expect(summary(plan, running(plan))).toEqual([]);
  });

  test('a changed hash replaces; a pod gone from the model and an owned network are removed', () => {
    const actual = running(plan);
    actual[0] = { ...actual[0], labels: { ...actual[0].labels, [LABELS.hash]: 'old' } };
    actual.push({ id: 'x', name: 'demo-old-1', labels: { [LABELS.project]: 'demo', [LABELS.pod]: 'demo-old-1', [LABELS.name]: 'demo-old-1', [LABELS.object]: 'Deployment/default/old' }, state: 'running' });
    expect(summary(plan, actual, ['demo', 'demo-staging'])).toEqual([
      'remove pod demo-old-1: no longer in the model',
      'replace pod demo-web-1: spec changed',
      'remove network demo-staging: no longer in the model',
    ]);
  });

  test('leftovers of a killed deploy are replaced: temporary names, never-started containers, duplicates', () => {
    const actual = running(plan);
    const c1 = plan.containers[0];
    actual.push({ id: 't', name: tempName(c1.name), labels: c1.labels, state: 'created' });
    actual[1] = { ...actual[1], state: 'created' };
    expect(summary(plan, actual)).toEqual([
      'replace pod demo-web-1: an interrupted deploy left a temporary container',
      'replace pod demo-web-2: an interrupted deploy left a container that never started',
    ]);
  });

  test('a stopped container of a long-running pod is started again', () => {
    const actual = running(plan);
    actual[2] = { ...actual[2], state: 'exited' };
    const changes = computeChanges(plan, { containers: actual, networks: ['demo'], volumes: [] });
    expect(changes.map(formatChange)).toEqual(['start   proxy     demo-web-proxy  (Service/default/web): demo-web-proxy is exited']);
  });

  test('a paused container is unpaused (as a start), whatever the restart policy; an exited run-once container is left alone', () => {
    const actual = running(plan);
    actual[0] = { ...actual[0], state: 'paused' };
    expect(summary(plan, actual)).toEqual(['start pod demo-web-1: demo-web-1 is paused']);
    const once = planDocker([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'job' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }, { name: 'd', image: 'i' }] } }], { project: 'demo' });
    const [main, side] = running(once);
    expect(summary(once, [{ ...main, state: 'paused' }, side], ['demo'])).toEqual(['start pod demo-job-1: demo-job-1 is paused']);
    expect(summary(once, [main, { ...side, state: 'exited' }], ['demo'])).toEqual([]);
    expect(summary(once, [{ ...main, state: 'paused' }, { ...side, state: 'exited' }], ['demo'])).toEqual(['start pod demo-job-1: demo-job-1 is paused']);
  });

  test('specDifferences names what changed without printing env values', () => {
    const c = plan.containers[0];
    const same = { Config: { Image: c.image, Env: [...c.env, 'PATH=/bin'], Entrypoint: c.entrypoint }, HostConfig: { PortBindings: {}, Memory: c.resources.memoryBytes, NanoCpus: c.resources.nanoCpus } };
    expect(specDifferences(c, same)).toEqual(['files or other settings']);
    const old = { Config: { Image: 'old:1', Env: ['GREETING=hi', 'MESSAGE=hello world'], Entrypoint: ['sh'] }, HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '', HostPort: '80' }] } } };
    expect(specDifferences(c, old)).toEqual(['image old:1 -> dockyard-test/busybox:1', 'env GREETING', 'command', 'ports [0.0.0.0:80->8080/tcp] -> []', 'resources']);
  });
});

/**
 * The example apps (apps/) on a real engine, rewritten to the local busybox image (no registry here):
 * deploy, fetch through 127.0.0.1, look inside, destroy. The PodService example holds an Ingress,
 * which the Docker host must name as unsupported.
 */
import { buildExamples } from '../../../apps';
import { DockyardError } from '../../../lib/core/errors';
import { KubeObject } from '../../../lib/core/manifests';
import { Testing } from '../../../lib/pipeline/testing';
import { deployPlan, destroyProject, Engine } from '../../../lib/targets/docker/engine';
import { planDocker } from '../../../lib/targets/docker/planner';
import { describeEngine, execIn, httpGet, owned, PORT_BASE, RUN, TEST_IMAGE } from './helpers';

const PROJECT = `it-examples-${RUN}`;

/** What each example's main container runs instead of its real image (same ports). */
const COMMANDS: Record<string, string[] | undefined> = {
  'nginx-webapp': undefined, // the test image's own command: httpd on port 80 serving /www
  'rails-gke': ['httpd', '-f', '-p', '4000', '-h', '/www'],
  'rabbitmq': ['sh', '-c', 'httpd -p 5672 -h /www && exec httpd -f -p 15672 -h /www'],
};

/** Where each example's published Service ports go on 127.0.0.1 (first port; the next ones follow). */
const PORTS: Record<string, number> = { 'nginx-webapp': PORT_BASE + 10, 'rails-gke': PORT_BASE + 20, 'rabbitmq': PORT_BASE + 30, 'configmap-site': PORT_BASE + 40, 'podservice': PORT_BASE + 50 };

/** Synthesizes an example and rewrites it for the local engine: local image, fast probes, published ports moved to 194xx. */
function example(name: string): KubeObject[] {
  const [chart] = buildExamples(Testing.app(), [name]);
  const objects = JSON.parse(JSON.stringify(Testing.synth(chart))) as any[];
  for (const o of objects) {
    const spec = o.kind === 'Pod' ? o.spec : o.spec?.template?.spec;
    for (const c of spec?.containers ?? []) {
      c.image = TEST_IMAGE;
      if (name in COMMANDS) { if (COMMANDS[name]) c.command = COMMANDS[name]; else delete c.command; delete c.args; }
      for (const p of [c.readinessProbe, c.livenessProbe]) if (p) { p.periodSeconds = 1; p.initialDelaySeconds = 0; }
    }
    if (spec) spec.terminationGracePeriodSeconds = 1;
    if (o.kind === 'Service' && (o.spec.type === 'LoadBalancer' || o.spec.type === 'NodePort')) {
      o.spec.ports.forEach((p: any, i: number) => { p.targetPort ??= p.port; p.port = PORTS[name] + i; delete p.nodePort; });
    }
  }
  return objects;
}

describeEngine('the example apps on a Docker host', () => {
  const engine = new Engine();
  const opts = { project: PROJECT, publishAddress: '127.0.0.1', proxyImage: TEST_IMAGE };
  beforeAll(() => destroyProject(engine, PROJECT, { stopTimeoutSeconds: 0 }));
  afterAll(() => destroyProject(engine, PROJECT, { stopTimeoutSeconds: 0 }));

  test('rails-gke reads a Secret it does not create: the plan names it', () => {
    expect(() => planDocker(example('rails-gke'), opts)).toThrow(/env\[1\] DATABASE_URL\] reads Secret "rails-secrets", which is not in namespace "default"/);
  });

  test('nginx-webapp, rails-gke, rabbitmq and configmap-site run together and answer on 127.0.0.1', async () => {
    // The Secret rails-gke expects to exist (made by hand with kubectl in the real journey).
    const railsSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rails-secrets' }, stringData: { DATABASE_URL: 'postgres://app:pw@db/app', SECRET_KEY_BASE: 'k' } };
    const objects = [...['nginx-webapp', 'rails-gke', 'rabbitmq', 'configmap-site'].flatMap(example), railsSecret];
    const plan = planDocker(objects, opts);
    const result = await deployPlan(engine, plan, { pull: false, wait: true, waitTimeoutMs: 45000, stopTimeoutSeconds: 0 });
    expect(result.changes.filter((c) => c.kind === 'pod')).toHaveLength(plan.containers.length);

    const names = [...(await owned(PROJECT)).keys()].sort();
    expect(names.filter((n) => /-proxy$/.test(n)).length).toBe(2); // nginx (2 replicas) and rails (4) spread through a relay
    expect(names.filter((n) => n.startsWith(`${PROJECT}-rails-`)).length).toBe(5);

    // Journey 1: the ReplicationController's two pods behind their Service (80 -> PORTS['nginx-webapp']).
    expect(await httpGet(PORTS['nginx-webapp'])).toBe('dockyard test page\n');
    // Journey 2: four replicas behind a LoadBalancer 80 -> 4000, secrets as env.
    expect(await httpGet(PORTS['rails-gke'])).toBe('dockyard test page\n');
    const rails = names.find((n) => /rails.*-1$/.test(n))!;
    expect(await execIn(rails, ['sh', '-c', 'echo $DATABASE_URL | cut -c1-11'])).toBe('postgres://\n');
    // Journey 3: rabbitmq in its own namespace and network, hostname, env from a ConfigMap and a Secret, two ports.
    expect(await httpGet(PORTS.rabbitmq + 1)).toBe('dockyard test page\n');
    const rabbit = names.find((n) => n.startsWith(`${PROJECT}-integration-rabbitmq`))!;
    expect(rabbit).toBe(`${PROJECT}-integration-rabbitmq-1`);
    expect((await execIn(rabbit, ['hostname'])).trim()).toBe('my-rabbit');
    const env = await execIn(rabbit, ['env']);
    expect(env).toContain('RABBITMQ_DEFAULT_USER=');
    expect(env).toContain('RABBITMQ_DEFAULT_PASS=local-test-only');
    // Journey 4: the ConfigMap as env and as a file served over HTTP.
    const site = names.find((n) => n.includes('site-reader'))!;
    expect(await execIn(site, ['sh', '-c', 'echo $SITE_URL'])).toBe('https://example.org/\n');
    expect(await httpGet(PORTS['configmap-site'], '/url')).toBe('https://example.org/');
  }, 120000);

  test('the PodService example is refused for its Ingress, and runs without it when skipped', () => {
    const objects = example('podservice');
    let err: unknown;
    try { planDocker(objects, opts); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DockyardError);
    expect((err as DockyardError).message).toMatch(/Ingress\/[-a-z0-9]+\] Ingress cannot run on a Docker host/);
    const plan = planDocker(objects, { ...opts, skipUnsupported: true });
    expect(plan.containers.length).toBeGreaterThan(0);
    expect(plan.warnings.some((w) => /Ingress/.test(w.where))).toBe(true);
  });
});

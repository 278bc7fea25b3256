import { App, Chart, Testing } from 'cdk8s';
import { KubeObject } from '../../lib/core/manifests';
import { PodService, renderPodService, restrictedSecurityContext } from '../../lib/constructs/pod-service';
import { WebApp } from '../../lib/constructs/web-app';
import { checkObjects } from '../../lib/policy/check';

const containerOf = (objects: any[]) => {
  const w = objects.find((o) => o.kind !== 'Service' && o.kind !== 'Ingress' && o.kind !== 'ConfigMap');
  return (w.kind === 'Pod' ? w.spec : w.spec.template.spec).containers[0];
};
const synth = (build: (chart: Chart) => void): KubeObject[] => {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart) as KubeObject[];
};

describe('secure defaults (Pod Security "restricted")', () => {
  test('GIVEN a WebApp on a port above 1024 THEN drop ALL, seccomp RuntimeDefault, no privilege escalation', () => {
    const c = containerOf(synth((chart) => new WebApp(chart, 'web', { image: 'busybox:1.36', port: 8080 })));
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('GIVEN a port below 1024 THEN NET_BIND_SERVICE is kept (restricted allows it)', () => {
    expect(restrictedSecurityContext(80).capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(restrictedSecurityContext(1024).capabilities).toEqual({ drop: ['ALL'] });
    expect(restrictedSecurityContext(undefined).capabilities).toEqual({ drop: ['ALL'] });
  });

  test('GIVEN the props THEN they replace the defaults; privileged gets none', () => {
    const c = containerOf(synth((chart) => new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80, security: { capabilities: { drop: ['ALL'], add: ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'] }, seccompProfile: { type: 'Localhost', localhostProfile: 'nginx.json' } } })));
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'] });
    expect(c.securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'nginx.json' });
    const app = new App();
    const chart = new Chart(app, 'c');
    new WebApp(chart, 'priv', { image: 'busybox:1.36', port: 8080, security: { privileged: true } });
    const priv = containerOf(chart.toJson());
    expect(priv.securityContext).toEqual({ privileged: true });
  });

  test('GIVEN a PodService THEN the webhook and the construct render the defaults; the construct prop replaces them', () => {
    const rendered = renderPodService({ metadata: { name: 'hello' }, spec: { image: 'busybox:1.36', port: 8080 } });
    expect(containerOf(rendered).securityContext).toEqual(restrictedSecurityContext(8080));
    const own = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE'] } };
    const c = containerOf(synth((chart) => new PodService(chart, 'hello', { image: 'nginx:1.27', port: 80, securityContext: own })));
    expect(c.securityContext).toEqual(own);
  });

  test('GIVEN the defaults THEN no Pod Security "restricted" finding is about capabilities, seccomp or privilege escalation', () => {
    const objects = [
      ...synth((chart) => new WebApp(chart, 'web', { image: 'busybox:1.36', port: 80, security: { user: 1000, runAsNonRoot: true } })),
      ...renderPodService({ metadata: { name: 'hello' }, spec: { image: 'busybox:1.36', port: 8080 } }),
    ];
    const found = checkObjects(objects, { podSecurity: 'restricted' }).findings.filter((f) => f.rule === 'pod-security-restricted');
    expect(found.map((f) => f.message).filter((m) => /\[(Capabilities|Seccomp|Privilege Escalation)\]/.test(m))).toEqual([]);
    // What is left is the user's to decide: the PodService pod does not say it runs as non-root.
    expect(found.map((f) => f.message)).toEqual(['[Running as Non-root] container "hello" does not run with runAsNonRoot: true (on it or the pod)']);
  });
});

import { ApiObject } from 'cdk8s';
import { AppConfig, AppSecret, EnvValue, Probe, Testing, WebApp, WebAppProps } from '../../lib';
import { KubeResource, plainJson } from '../../lib/core/resource';

/**
 * Dockyard's constructs build their bodies with keys in order and no undefined field, so render
 * returns them without copying (plainJson's copy on write). A body that is not in that form still
 * renders right (render copies it); these tests keep the constructs on the fast path.
 */

/** Every KubeResource body in the tree whose render would copy something, by construct path. */
function copiedBodies(build: (chart: ReturnType<typeof Testing.chart>) => void): string[] {
  const chart = Testing.chart();
  build(chart);
  const out: string[] = [];
  for (const c of chart.node.findAll()) {
    if (!(c instanceof KubeResource)) continue;
    const body = (c as unknown as { body?: () => Record<string, unknown> }).body?.();
    if (body !== undefined && plainJson(body, true) !== body) out.push(`${c.node.path} at ${firstCopied(body)}`);
  }
  return out;
}

/** The path of the first mapping or list render would copy (for the failure message). */
function firstCopied(v: unknown, at = ''): string {
  if (v === null || typeof v !== 'object') return at;
  for (const [k, x] of Object.entries(v)) if (x !== null && typeof x === 'object' && plainJson(x, true) !== x) return firstCopied(x, `${at}/${k}`);
  return at || '/';
}

const variants: Array<[string, (chart: ReturnType<typeof Testing.chart>) => Partial<WebAppProps>]> = [
  ['the defaults', () => ({})],
  ['every workload option', () => ({
    workload: 'Deployment', replicas: 3, minReadySeconds: 5, strategy: { maxSurge: 1, maxUnavailable: '25%' },
    labels: { tier: 'front' }, podAnnotations: { a: '1' }, serviceAnnotations: { b: '2' },
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In', values: ['v'] }] }] } } },
    tolerations: [{ effect: 'NoSchedule', key: 'k', operator: 'Exists' }],
    topologySpread: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
    hostname: 'h', imagePullPolicy: 'Always', command: ['run'], args: ['--x'], workingDir: '/app',
  })],
  ['DaemonSet with a rolling update', () => ({ workload: 'DaemonSet', strategy: { maxUnavailable: 1 } })],
  ['a bare Pod', () => ({ workload: 'Pod', replicas: 1, restartPolicy: 'Never' })],
  ['several ports, a headless ClusterIP Service', () => ({
    serviceType: 'ClusterIP', headless: true, additionalPorts: [{ containerPort: 9090, name: 'metrics' }, { containerPort: 53, protocol: 'UDP' }],
  })],
  ['NodePort and LoadBalancer details', () => ({ serviceType: 'LoadBalancer', nodePort: 30080, loadBalancerIP: '203.0.113.5', externalIPs: ['203.0.113.6'] })],
  ['probes of every kind with timings', () => ({
    readiness: Probe.http('/ready', { periodSeconds: 5, port: 8081 }), liveness: Probe.tcp({ initialDelaySeconds: 3, failureThreshold: 2, timeoutSeconds: 1 }),
    startup: Probe.exec(['cat', '/tmp/ok']),
  })],
  ['security: user, group, read-only root, own capabilities and seccomp', () => ({
    security: { user: 1000, group: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { add: ['CHOWN'], drop: ['ALL'] }, seccompProfile: { localhostProfile: 'p.json', type: 'Localhost' } },
  })],
  ['privileged', () => ({ security: { privileged: true } })],
  ['a port below 1024 (NET_BIND_SERVICE added)', () => ({ port: 80 })],
  ['no resources, no Service', () => ({ resources: false, service: false, port: undefined })],
  ['volumes and mounts of every kind, env of every kind', (chart) => {
    const config = AppConfig.fromLiterals(chart, 'cfg', { A: '1', B: '2' });
    const secret = new AppSecret(chart, 'sec', { data: { TOKEN: 'x' } });
    return {
      config,
      env: { PLAIN: 'v', FROM_CONFIG: EnvValue.fromConfig(config, 'A'), FROM_SECRET: EnvValue.fromSecret(secret, 'TOKEN', { optional: true }), NODE: EnvValue.fromFieldPath('spec.nodeName') },
      envFrom: [{ source: secret, prefix: 'S_' }, { source: config, prefix: 'C_', optional: true }],
      mounts: [{ path: '/run/secret', source: secret, keys: ['TOKEN'], mode: 0o440 }, { path: '/etc/a', source: config, subPath: 'A', optional: true }],
      volumes: [
        { name: 'scratch', mountPath: '/tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'host', mountPath: '/data', readOnly: true, hostPath: { path: '/srv', type: 'Directory' } },
        { name: 'claim', mountPath: '/db', persistentVolumeClaim: { claimName: 'db' } },
        { name: 'empty', mountPath: '/e', emptyDir: {} },
      ],
    };
  }],
];

describe('bodies are built in render form', () => {
  test.each(variants)('WebApp with %s: no body needs a copy at render', (_name, props) => {
    expect(copiedBodies((chart) => new WebApp(chart, 'web', { image: 'nginx:1.27', port: 8080, ...props(chart) }))).toEqual([]);
  });

  test('AppConfig and AppSecret: no body needs a copy at render', () => {
    expect(copiedBodies((chart) => {
      AppConfig.fromLiterals(chart, 'plain', { B: '2', A: '1' });
      new AppConfig(chart, 'immutable', { data: { K: 'v' }, immutable: true });
      new AppSecret(chart, 'secret', { data: { TOKEN: 'x' }, type: 'Opaque' });
    })).toEqual([]);
  });

  test('GIVEN a body that is not in render form THEN it still renders sorted and without undefined fields', () => {
    const chart = Testing.chart();
    const o: ApiObject = new KubeResource(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o' }, body: () => ({ data: { b: '2', a: '1' }, immutable: undefined }) });
    expect(JSON.stringify(o.toJson())).toBe('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"o"},"data":{"a":"1","b":"2"}}');
  });
});

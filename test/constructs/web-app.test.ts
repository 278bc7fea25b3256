import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { AppConfig, AppSecret, EnvValue, formatProblem, Probe, Testing, WebApp } from '../../lib';

function problemsOf(build: (chart: ReturnType<typeof Testing.chart>) => void): string[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.constructProblems(chart).map(formatProblem);
}

describe('WebApp', () => {
  test('GIVEN only image and port THEN an RC of 2 and a LoadBalancer Service with the same labels', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80 });
    const objs = Testing.synth(chart);
    const rc = Testing.find(objs, 'ReplicationController', 'web') as any;
    const svc = Testing.find(objs, 'Service', 'web') as any;
    expect(rc.spec.replicas).toBe(2);
    expect(rc.spec.selector).toEqual({ app: 'web' });
    expect(rc.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(svc.spec.selector).toEqual(rc.spec.selector);
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([{ port: 80, targetPort: 80, protocol: 'TCP' }]);
    expect(rc.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(rc.spec.template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('GIVEN extra labels and a custom selector THEN pods carry both and the selector is only the selector', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80, selector: { name: 'nginx' }, labels: { team: 'a' }, workloadName: 'web-controller', serviceName: 'web-service' });
    const objs = Testing.synth(chart);
    const rc = Testing.find(objs, 'ReplicationController', 'web-controller') as any;
    expect(rc.spec.template.metadata.labels).toEqual({ name: 'nginx', team: 'a' });
    expect((Testing.find(objs, 'Service', 'web-service') as any).spec.selector).toEqual({ name: 'nginx' });
  });

  test('GIVEN workload Deployment, NodePort and a strategy THEN they are rendered', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'api', { image: 'api:1', port: 8080, servicePort: 80, serviceType: 'NodePort', nodePort: 30080, workload: 'Deployment', replicas: 3, strategy: { maxSurge: 1, maxUnavailable: '25%' }, minReadySeconds: 5 });
    const objs = Testing.synth(chart);
    const d = Testing.find(objs, 'Deployment', 'api') as any;
    expect(d.spec.selector.matchLabels).toEqual({ app: 'api' });
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } });
    expect(d.spec.minReadySeconds).toBe(5);
    expect((Testing.find(objs, 'Service', 'api') as any).spec.ports[0]).toEqual({ port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30080 });
  });

  test('GIVEN resources false THEN no resources are set', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'w', { image: 'x:1', port: 80, resources: false });
    expect((Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec.containers[0].resources).toBeUndefined();
  });

  test('GIVEN a config THEN its keys become env vars (envFrom) and files under /etc/config', () => {
    const chart = Testing.chart();
    const cfg = AppConfig.fromLiterals(chart, 'cfg', { url: 'http://x' });
    new WebApp(chart, 'w', { image: 'x:1', port: 80, config: cfg });
    const c = (Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec;
    expect(c.containers[0].envFrom).toEqual([{ configMapRef: { name: cfg.name } }]);
    expect(c.containers[0].volumeMounts).toEqual([{ name: 'config-0-cfg', mountPath: '/etc/config', readOnly: true }]);
    expect(c.volumes).toEqual([{ name: 'config-0-cfg', configMap: { name: cfg.name } }]);
  });

  test('GIVEN env from a secret key and a mounted secret THEN secretKeyRef and mode 0400', () => {
    const chart = Testing.chart();
    const s = AppSecret.fromLiterals(chart, 'db', { password: 'p' });
    new WebApp(chart, 'w', { image: 'x:1', port: 80, env: { PW: EnvValue.fromSecret(s, 'password'), MODE: 'prod' }, mounts: [{ path: '/run/secrets', source: s, keys: ['password'] }] });
    const spec = (Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec;
    expect(spec.containers[0].env).toEqual([
      { name: 'PW', valueFrom: { secretKeyRef: { name: s.name, key: 'password' } } },
      { name: 'MODE', value: 'prod' },
    ]);
    expect(spec.volumes[0].secret).toEqual({ secretName: s.name, items: [{ key: 'password', path: 'password' }], defaultMode: 0o400 });
  });

  test('GIVEN probes THEN port defaults to the container port', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'w', { image: 'x:1', port: 8080, readiness: Probe.http('/health'), liveness: Probe.exec(['true'], { periodSeconds: 5 }), startup: Probe.tcp({ port: 9000 }) });
    const c = (Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec.containers[0];
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/health', port: 8080 } });
    expect(c.livenessProbe).toEqual({ exec: { command: ['true'] }, periodSeconds: 5 });
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 9000 } });
  });

  test('GIVEN addEnv after construction THEN it still reaches the output (lazy spec)', () => {
    const chart = Testing.chart();
    const app = new WebApp(chart, 'w', { image: 'x:1', port: 80 });
    app.addEnv('LATE', 'yes');
    expect((Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec.containers[0].env).toEqual([{ name: 'LATE', value: 'yes' }]);
  });

  test('GIVEN several ports THEN each is named and exposed', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'mq', { image: 'rabbitmq:3.8-management', port: 5672, additionalPorts: [{ containerPort: 15672, name: 'management' }, { containerPort: 53, protocol: 'UDP' }] });
    const svc = Testing.find(Testing.synth(chart), 'Service') as any;
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.protocol])).toEqual([['tcp-5672', 5672, 'TCP'], ['management', 15672, 'TCP'], ['udp-53', 53, 'UDP']]);
  });

  test('GIVEN service false and workload Pod THEN only a Pod with the selector labels', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'job', { image: 'x:1', port: 80, service: false, workload: 'Pod', replicas: 1, restartPolicy: 'Never' });
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.kind)).toEqual(['Pod']);
    expect((objs[0] as any).metadata.labels).toEqual({ app: 'job' });
    expect((objs[0] as any).spec.restartPolicy).toBe('Never');
  });

  test('GIVEN tolerations THEN the pods carry them next to the affinity', () => {
    const chart = Testing.chart();
    const tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
    new WebApp(chart, 'w', { image: 'x:1', port: 80, workload: 'Deployment', tolerations });
    const spec = (Testing.find(Testing.synth(chart), 'Deployment') as any).spec.template.spec;
    expect(spec.tolerations).toEqual(tolerations);
  });

  test('GIVEN a mount with subPath THEN only that key is mounted, as the file at path', () => {
    const chart = Testing.chart();
    const cfg = AppConfig.fromLiterals(chart, 'site', { 'site.conf': 'server {}', other: 'x' });
    new WebApp(chart, 'w', { image: 'nginx:1.27', port: 80, mounts: [{ path: '/etc/nginx/conf.d/site.conf', source: cfg, subPath: 'site.conf', mode: 0o440 }] });
    const spec = (Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec;
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'config-0-site', mountPath: '/etc/nginx/conf.d/site.conf', subPath: 'site.conf', readOnly: true }]);
    expect(spec.volumes).toEqual([{ name: 'config-0-site', configMap: { name: cfg.name, items: [{ key: 'site.conf', path: 'site.conf' }], defaultMode: 0o440 } }]);
  });

  test('GIVEN headless THEN the ClusterIP Service has clusterIP None', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'db', { image: 'x:1', port: 5432, serviceType: 'ClusterIP', headless: true });
    const svc = Testing.find(Testing.synth(chart), 'Service') as any;
    expect(svc.spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432, targetPort: 5432, protocol: 'TCP' }] });
  });

  test('GIVEN no port and service false THEN the container declares no port', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'worker', { image: 'x:1', service: false, workload: 'Deployment', liveness: Probe.exec(['true']), readiness: Probe.tcp({ port: 9000 }) });
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.kind)).toEqual(['Deployment']);
    const c = (objs[0] as any).spec.template.spec.containers[0];
    expect(c.ports).toBeUndefined();
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 9000 } });
    expect(c.livenessProbe).toEqual({ exec: { command: ['true'] } });
  });

  test('GIVEN no port and service false but additional ports THEN only those are declared', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'worker', { image: 'x:1', service: false, additionalPorts: [{ containerPort: 9100, name: 'metrics' }] });
    const c = (Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ containerPort: 9100, protocol: 'TCP' }]);
  });

  describe('errors (each names the construct path and the fix, all collected)', () => {
    test('bad port, bad name and bad replicas are reported together', () => {
      const errs = problemsOf((c) => new WebApp(c, 'web', { image: 'nginx:1.27', port: 70000, name: 'Web_App', replicas: -1 }));
      expect(errs).toEqual(expect.arrayContaining([
        expect.stringMatching(/^\[test\/web\] port 70000 is out of range\. Fix: use a whole number between 1 and 65535/),
        expect.stringMatching(/^\[test\/web\] name "Web_App" must be lowercase.*Fix:/),
        expect.stringMatching(/^\[test\/web\] replicas -1 must be a whole number >= 0/),
      ]));
    });

    test('a missing config key names the key and the keys that exist', () => {
      const errs = problemsOf((c) => {
        const cfg = AppConfig.fromLiterals(c, 'site', { url: 'u', mode: 'm' });
        new WebApp(c, 'web', { image: 'x:1', port: 80, env: { URL: EnvValue.fromConfig(cfg, 'ulr') } });
      });
      expect(errs).toEqual([expect.stringContaining('[test/web] env URL: ConfigMap "site-')]);
      expect(errs[0]).toContain('has no key "ulr"; it has "mode", "url". Fix:');
    });

    test('an optional missing key is allowed', () => {
      expect(problemsOf((c) => {
        const cfg = AppConfig.fromLiterals(c, 'site', { url: 'u' });
        new WebApp(c, 'web', { image: 'x:1', port: 80, env: { X: EnvValue.fromConfig(cfg, 'nope', { optional: true }) } });
      })).toEqual([]);
    });

    test('$(VAR) in command/args must refer to a defined env var', () => {
      const errs = problemsOf((c) => {
        const cfg = AppConfig.fromLiterals(c, 'cfg', { PORT: '80' });
        new WebApp(c, 'web', { image: 'x:1', port: 80, env: { A: 'a' }, envFrom: [{ source: cfg, prefix: 'CFG_' }], command: ['run', '$(A)', '$(CFG_PORT)', '$$(LITERAL)'], args: ['$(MISSING)'] });
      });
      expect(errs).toEqual([expect.stringContaining('args[0] "$(MISSING)" refers to $(MISSING), which is not an env var of this container (defined: A, CFG_PORT)')]);
    });

    test('a config from another namespace is refused', () => {
      const errs = problemsOf((c) => {
        const cfg = AppConfig.fromLiterals(c, 'cfg', { a: 'b' }, { namespace: 'prod' });
        new WebApp(c, 'web', { image: 'x:1', port: 80, namespace: 'staging', config: cfg });
      });
      expect(errs.length).toBeGreaterThan(0);
      expect(errs[0]).toContain('from namespace "prod", but this app runs in namespace "staging"');
      expect(errs[0]).toContain('Fix: create the ConfigMap in namespace "staging"');
    });

    test('inconsistent service options are refused', () => {
      const errs = problemsOf((c) => new WebApp(c, 'web', { image: 'x:1', port: 80, serviceType: 'ClusterIP', nodePort: 30001, loadBalancerIP: '1.2.3.4' }));
      expect(errs).toEqual([
        expect.stringContaining('nodePort is set but serviceType is "ClusterIP"'),
        expect.stringContaining('loadBalancerIP is set but serviceType is "ClusterIP"'),
      ]);
    });

    test('no port with a Service, a probe without a port, and headless on a LoadBalancer are refused', () => {
      expect(problemsOf((c) => new WebApp(c, 'web', { image: 'x:1' }))).toEqual([
        '[test/web] port is not set, but the app has a Service, which needs a port. Fix: pass the port the container listens on (like port: 8080), or service: false for an app nobody connects to',
      ]);
      expect(problemsOf((c) => new WebApp(c, 'web', { image: 'x:1', service: false, readiness: Probe.http('/ready') }))).toEqual([
        "[test/web] the readiness probe has no port and the app sets none. Fix: pass the port to the probe, like Probe.http('/', { port: 8080 }), or set port",
      ]);
      expect(problemsOf((c) => new WebApp(c, 'web', { image: 'x:1', port: 80, headless: true }))).toEqual([
        '[test/web] headless is set but serviceType is "LoadBalancer"; only a ClusterIP Service can be headless. Fix: pass serviceType "ClusterIP", or drop headless',
      ]);
      expect(problemsOf((c) => new WebApp(c, 'web', { image: 'x:1', port: 80, headless: true, service: false }))).toEqual([
        '[test/web] headless is set but service is false, so there is no Service to make headless. Fix: drop headless, or drop service: false',
      ]);
    });

    test('a subPath must be a key of the source and agree with keys', () => {
      const errs = problemsOf((c) => {
        const cfg = AppConfig.fromLiterals(c, 'site', { 'site.conf': 'x' });
        new WebApp(c, 'web', { image: 'x:1', port: 80, mounts: [{ path: '/etc/a.conf', source: cfg, subPath: 'a.conf' }, { path: '/etc/b.conf', source: cfg, subPath: 'site.conf', keys: ['other'] }] });
      });
      expect(errs).toHaveLength(3);
      expect(errs[0]).toContain('[test/web] mount /etc/a.conf: ConfigMap "site-');
      expect(errs[0]).toContain('has no key "a.conf"');
      expect(errs[1]).toBe('[test/web] mount /etc/b.conf sets both subPath "site.conf" and keys other. Fix: drop keys (subPath mounts that one key as the file /etc/b.conf)');
      expect(errs[2]).toContain('[test/web] mount /etc/b.conf: ConfigMap "site-');
    });

    test('an invalid image is refused', () => {
      expect(problemsOf((c) => new WebApp(c, 'web', { image: 'my image', port: 80 }))).toEqual([expect.stringContaining('image "my image" is not a valid image reference')]);
    });

    test('synth throws one DockyardError listing everything', () => {
      const chart = Testing.chart();
      new WebApp(chart, 'a', { image: 'x:1', port: 0 });
      new WebApp(chart, 'b', { image: 'x:1', port: 80, replicas: 2.5 });
      expect(() => Testing.synth(chart)).toThrow(/2 problem\(s\) in the app:\n {2}\[test\/a\] port 0.*\n {2}\[test\/b\] replicas 2.5/);
    });
  });
});

describe('WebApp: review fixes', () => {
  test('GIVEN a non-root user THEN the pod gets fsGroup so mounted secret files are readable', () => {
    const chart = Testing.chart();
    const s = AppSecret.fromLiterals(chart, 'db', { password: 'p' });
    new WebApp(chart, 'w', { image: 'x:1', port: 80, security: { user: 1000, runAsNonRoot: true }, mounts: [{ path: '/s', source: s }] });
    expect((Testing.find(Testing.synth(chart), 'ReplicationController') as any).spec.template.spec.securityContext).toEqual({ fsGroup: 1000 });
  });

  test('duplicate port names, volume names, a bad namespace and bad labels are refused', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'w', {
      image: 'x:1', port: 80, namespace: 'Bad_NS', labels: { 'bad key!': 'v v' },
      additionalPorts: [{ containerPort: 81, name: 'http' }, { containerPort: 82, name: 'http' }],
      volumes: [{ name: 'tmp', mountPath: '/a', emptyDir: {} }, { name: 'tmp', mountPath: '/b', emptyDir: {} }],
    });
    const msgs = Testing.constructProblems(chart).map((p) => p.message).join('\n');
    expect(msgs).toContain('port name "http" is used twice');
    expect(msgs).toContain('volume name "tmp" is used twice');
    expect(msgs).toContain('namespace "Bad_NS"');
    expect(msgs).toContain('label key "bad key!" is not valid');
    expect(msgs).toContain('label value "v v"');
  });
});

describe('WebApp structured problems', () => {
  test('GIVEN a bad prop THEN its problem carries the prop as fieldPath, the fix, and error severity', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'web', { image: 'nginx:1.27', port: 80, replicas: -1, additionalPorts: [{ containerPort: 70000 }] });
    const problems = Testing.constructProblems(chart);
    expect(problems).toEqual([
      { where: 'test/web', message: 'additionalPorts[0].containerPort 70000 is out of range', fix: 'use a whole number between 1 and 65535', fieldPath: ['additionalPorts', 0, 'containerPort'] },
      { where: 'test/web', message: 'replicas -1 must be a whole number >= 0', fix: 'pass 0 or more, e.g. replicas: 2', fieldPath: ['replicas'] },
    ]);
    expect(problems.every((p) => (p.severity ?? 'error') === 'error')).toBe(true);
  });

  test('GIVEN a bad prop THEN plain cdk8s app.synth() fails with the same "what. Fix: how" line', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'dy-webapp-')) });
    new WebApp(new Chart(app, 'c'), 'web', { image: 'nginx:1.27', port: 80, replicas: -1 });
    expect(() => app.synth()).toThrow('[c/web] replicas -1 must be a whole number >= 0. Fix: pass 0 or more, e.g. replicas: 2');
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });
});

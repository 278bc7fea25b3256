import {
  commandList, cpuQuantity, mapConstraint, mapConstraints, mapDeployLabels, mapEndpointMode, mapHealthcheck, mapPorts, mapPreferences, mapResources,
  mapUpdateConfig, mapUser, mapWorkload, memoryQuantity, parseBytes, parseDuration, parsePort, parseTmpfs, parseVolume, shellSplit,
} from '../../lib/compose/mapping';

describe('scalars', () => {
  test.each([
    ['10s', 10], ['1m30s', 90], ['500ms', 0.5], ['1h', 3600], ['2', 2], ['1.5s', 1.5], ['10x', undefined], ['', undefined],
  ] as const)('parseDuration(%s) = %s', (text, secs) => expect(parseDuration(text)).toBe(secs));

  test.each([
    ['512M', 512 * 1024 ** 2], ['1g', 1024 ** 3], ['64m', 64 * 1024 ** 2], ['2048', 2048], ['100kb', 102400], ['1.5G', 1.5 * 1024 ** 3], ['lots', undefined],
  ] as const)('parseBytes(%s) = %s', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  test.each([[512 * 1024 ** 2, '512Mi'], [1024 ** 3, '1Gi'], [1536 * 1024 ** 2, '1536Mi'], [1000, '1000']])('memoryQuantity(%s) = %s', (b, q) => expect(memoryQuantity(b)).toBe(q));

  test.each([['0.5', '500m'], [2, '2'], ['1.5', '1500m'], ['0.001', '1m'], ['x', undefined], [0, undefined]] as const)('cpuQuantity(%s) = %s', (c, q) => expect(cpuQuantity(c)).toBe(q));

  test.each([
    ['nginx -g "daemon off;"', ['nginx', '-g', 'daemon off;']],
    ["sh -c 'echo a b'", ['sh', '-c', 'echo a b']],
    ['a\\ b c', ['a b', 'c']],
    ['x ""', ['x', '']],
  ])('shellSplit(%s)', (text, words) => expect(shellSplit(text)).toEqual(words));

  test('commandList keeps lists and escapes $( so Kubernetes does not expand it', () => {
    expect(commandList(['echo', '$(date)'])).toEqual(['echo', '$$(date)']);
    expect(commandList('echo hi')).toEqual(['echo', 'hi']);
    expect(commandList(undefined)).toBeUndefined();
  });
});

describe('ports', () => {
  test.each([
    ['80', [{ target: 80, protocol: 'TCP' }]],
    ['8080:80', [{ target: 80, published: 8080, protocol: 'TCP' }]],
    ['5353:53/udp', [{ target: 53, published: 5353, protocol: 'UDP' }]],
    ['127.0.0.1:8001:8001', [{ target: 8001, published: 8001, protocol: 'TCP', hostIp: '127.0.0.1' }]],
    ['127.0.0.1::5000', [{ target: 5000, protocol: 'TCP', hostIp: '127.0.0.1' }]],
    ['[::1]:6001:6001', [{ target: 6001, published: 6001, protocol: 'TCP', hostIp: '::1' }]],
    ['3000-3001', [{ target: 3000, protocol: 'TCP' }, { target: 3001, protocol: 'TCP' }]],
    ['9090-9091:8080-8081', [{ target: 8080, published: 9090, protocol: 'TCP' }, { target: 8081, published: 9091, protocol: 'TCP' }]],
  ])('short syntax %s', (text, ports) => {
    const r = parsePort(text);
    expect(r.error).toBeUndefined();
    expect(r.ports.map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)))).toEqual(ports);
  });

  test.each([['80/icmp', 'protocol "icmp"'], ['a:b', 'is not'], ['1-3:1-2', 'maps 3 published ports onto 2'], ['1:2:3:4', 'is not']])('bad short syntax %s', (text, msg) => {
    expect(parsePort(text).error).toContain(msg);
  });

  test.each([
    ['0', '"0": container port 0 is not a port number between 1 and 65535'],
    ['70000', '"70000": container port 70000 is not a port number between 1 and 65535'],
    ['65536:80', '"65536:80": published port 65536 is not a port number between 1 and 65535'],
    ['65530-65540', '"65530-65540": container port 65540 is not a port number between 1 and 65535'],
    ['3000-3100', '"3000-3100" is a range of 101 ports; at most 100 are converted (each becomes a container and a Service port)'],
  ])('out-of-range or oversized short syntax %s is an error with a fix', (text, msg) => {
    const r = parsePort(text);
    expect(r.error).toBe(msg);
    expect(r.fix).toMatch(/between 1 and 65535|ranges of at most 100 ports/);
    expect(r.ports).toEqual([]);
  });

  test('a range of exactly 100 ports, and a published range onto one port, convert', () => {
    expect(parsePort('3000-3099').ports).toHaveLength(100);
    expect(parsePort('8000-8999:80').ports).toEqual([{ target: 80, published: 8000, protocol: 'TCP', hostIp: undefined }]);
  });

  test.each([
    [{ target: 0 }, 'target 0 is not a port number between 1 and 65535'],
    [{ target: 80, published: 99999 }, 'published 99999 is not a port number between 1 and 65535'],
  ])('long syntax out of range %j', (entry, msg) => {
    expect(parsePort(entry).error).toBe(msg);
  });

  test('two published ports onto one container port: two Service ports, the same target', () => {
    expect(mapPorts(['8080:80', '8081:80']).value.ports).toEqual([{ containerPort: 80, servicePort: 8080, protocol: 'TCP', published: 8080 }, { containerPort: 80, servicePort: 8081, protocol: 'TCP', published: 8081 }]);
  });

  test('long syntax', () => {
    expect(parsePort({ target: 80, published: '8080', protocol: 'udp', host_ip: '10.0.0.1' }).ports).toEqual([{ target: 80, published: 8080, protocol: 'UDP', hostIp: '10.0.0.1' }]);
  });

  test('published ports make a LoadBalancer on the published port', () => {
    const r = mapPorts(['8080:80', '9000']);
    // "9000" has no host part: compose picks a random host port, so it is not published here.
    expect(r.value).toEqual({ serviceType: 'LoadBalancer', ports: [{ containerPort: 80, servicePort: 8080, protocol: 'TCP', published: 8080 }, { containerPort: 9000, servicePort: 9000, protocol: 'TCP' }] });
    expect(r.notes).toEqual([]);
  });

  test('unpublished ports and expose make a ClusterIP; none makes no Service', () => {
    expect(mapPorts(['6379'], ['7000']).value).toEqual({ serviceType: 'ClusterIP', ports: [{ containerPort: 6379, servicePort: 6379, protocol: 'TCP' }, { containerPort: 7000, servicePort: 7000, protocol: 'TCP' }] });
    expect(mapPorts([], []).value).toEqual({ ports: [], serviceType: undefined });
  });

  test('the service type can be overridden', () => {
    expect(mapPorts(['80:80'], [], 'NodePort').value.serviceType).toBe('NodePort');
  });

  test('host IPs, host mode and duplicates are noted; bad entries are errors', () => {
    const r = mapPorts(['127.0.0.1:80:80', { target: 81, published: 81, mode: 'host' }, '80:80', 'x'], ['1:2']);
    expect(r.notes.map((n) => [n.key.join('.'), n.message])).toEqual([
      ['ports.0', 'host IP 127.0.0.1 has no Kubernetes meaning: the Service answers on every address it gets'],
      ['ports.1.mode', 'mode "host" (publish on the node running the task) becomes a Service port like "ingress"'],
      ['ports.2', 'port 80/TCP is listed twice; the Service has it once'],
    ]);
    expect(r.errors?.map((e) => e.key.join('.'))).toEqual(['ports.3', 'expose.0']);
  });
});

describe('workload and restart', () => {
  test.each([
    ['default', {}, { workload: 'Deployment', replicas: 1 }],
    ['deploy.replicas', { deploy: { replicas: 3 } }, { workload: 'Deployment', replicas: 3 }],
    ['v2 scale', { scale: 2 }, { workload: 'Deployment', replicas: 2 }],
    ['restart always', { restart: 'always' }, { workload: 'Deployment', replicas: 1 }],
    ['restart no', { restart: 'no' }, { workload: 'Pod', restartPolicy: 'Never' }],
    ['restart on-failure', { restart: 'on-failure' }, { workload: 'Pod', restartPolicy: 'OnFailure' }],
    ['condition none', { deploy: { restart_policy: { condition: 'none' } } }, { workload: 'Pod', restartPolicy: 'Never' }],
    ['condition on-failure', { deploy: { restart_policy: { condition: 'on-failure' } } }, { workload: 'Pod', restartPolicy: 'OnFailure' }],
    ['mode global', { deploy: { mode: 'global' } }, { workload: 'DaemonSet' }],
  ])('%s', (_n, s, expected) => {
    expect(mapWorkload(s).value).toEqual(expected);
  });

  test('--controller forces the kind and says what it loses', () => {
    expect(mapWorkload({ deploy: { replicas: 3 } }, 'ReplicationController').value).toEqual({ workload: 'ReplicationController', replicas: 3 });
    const ds = mapWorkload({ deploy: { replicas: 3 } }, 'DaemonSet');
    expect(ds.value).toEqual({ workload: 'DaemonSet' });
    expect(ds.notes[0].message).toContain('replicas 3 is dropped');
    const rc = mapWorkload({ restart: 'no' }, 'Deployment');
    expect(rc.notes[0]).toEqual({ key: ['restart'], message: 'a Deployment always restarts its pods; "no" (no restart after a clean exit) is not kept' });
  });

  test('restart_policy keys without a Kubernetes field are noted; a 10s delay is the kubelet default', () => {
    const r = mapWorkload({ deploy: { replicas: 2, restart_policy: { condition: 'on-failure', delay: '10s', max_attempts: 3, window: '1m' } } });
    expect(r.value).toEqual({ workload: 'Deployment', replicas: 2 });
    expect(r.notes.map((n) => n.key.join('.'))).toEqual(['deploy.restart_policy.max_attempts', 'deploy.restart_policy.window', 'deploy.restart_policy.condition']);
    expect(mapWorkload({ deploy: { restart_policy: { delay: '5s' } } }).notes[0].message).toContain('delay 5s is dropped');
  });
});

describe('update_config', () => {
  test.each([
    ['stop-first (default)', { parallelism: 1, delay: '10s', failure_action: 'pause' }, { strategy: { maxSurge: 0, maxUnavailable: 1 }, minReadySeconds: 10 }],
    ['start-first', { parallelism: 2, order: 'start-first' }, { strategy: { maxSurge: 2, maxUnavailable: 0 }, minReadySeconds: undefined }],
    ['parallelism 0 = all at once', { parallelism: 0 }, { strategy: { maxSurge: 0, maxUnavailable: '100%' }, minReadySeconds: undefined }],
    ['fractional delay rounds up', { delay: '1500ms' }, { strategy: { maxSurge: 0, maxUnavailable: 1 }, minReadySeconds: 2 }],
  ])('%s', (_n, uc, expected) => {
    expect(mapUpdateConfig(uc, 'Deployment').value).toEqual(expected);
  });

  test('pause needs no note; rollback, monitor and max_failure_ratio do', () => {
    expect(mapUpdateConfig({ failure_action: 'pause' }, 'Deployment').notes).toEqual([]);
    expect(mapUpdateConfig({ failure_action: 'rollback', monitor: '5s', max_failure_ratio: 0.2 }, 'Deployment').notes.map((n) => n.key.join('.'))).toEqual([
      'deploy.update_config.failure_action', 'deploy.update_config.monitor', 'deploy.update_config.max_failure_ratio',
    ]);
  });

  test('a Pod has no rolling update', () => {
    const r = mapUpdateConfig({ parallelism: 1 }, 'Pod');
    expect(r.value).toEqual({});
    expect(r.notes[0].message).toBe('a Pod has no rolling update; update_config is dropped');
  });
});

describe('resources', () => {
  test('limits and reservations become limits and requests', () => {
    expect(mapResources({ limits: { cpus: '0.5', memory: '512M' }, reservations: { cpus: 0.25, memory: '64m' } }).value).toEqual({
      cpu: { request: '250m', limit: '500m' }, memory: { request: '64Mi', limit: '512Mi' },
    });
  });
  test('v2 mem_limit / mem_reservation / cpus', () => {
    expect(mapResources(undefined, { mem_limit: '256m', mem_reservation: '128m', cpus: 1.5 }).value).toEqual({ cpu: { limit: '1500m', request: undefined }, memory: { request: '128Mi', limit: '256Mi' } });
  });
  test('nothing given means no requests or limits at all (not WebApp defaults)', () => {
    expect(mapResources(undefined).value).toBe(false);
  });

  test('cpus: 0 (and memory 0) mean "no limit" in Docker: no limit is set, with a note, not an error', () => {
    const r = mapResources({ limits: { cpus: 0, memory: '512M' }, reservations: { cpus: '0' } });
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ cpu: undefined, memory: { request: undefined, limit: '512Mi' } });
    expect(r.notes).toEqual([
      { key: ['deploy', 'resources', 'limits', 'cpus'], message: '0 means "no limit" in Docker, so none is set' },
      { key: ['deploy', 'resources', 'reservations', 'cpus'], message: '0 means "no reservation" in Docker, so none is set' },
    ]);
    const v2 = mapResources(undefined, { cpus: '0.0', mem_limit: 0 });
    expect(v2.value).toBe(false);
    expect(v2.errors).toEqual([]);
    expect(v2.notes.map((n) => n.key)).toEqual([['cpus'], ['mem_limit']]);
    expect(mapResources({ limits: { cpus: '-1' } }).errors?.[0].message).toBe('"-1" is not a number of CPUs like 0.5');
  });
  test('bad sizes are errors, pids and devices are noted', () => {
    const r = mapResources({ limits: { memory: 'huge', pids: 10 }, reservations: { devices: [{}] } });
    expect(r.errors).toEqual([{ key: ['deploy', 'resources', 'limits', 'memory'], message: '"huge" is not a size like 512M or 1g', fix: 'write a number with a unit b, k, m or g, like 512M' }]);
    expect(r.notes.map((n) => n.key.join('.'))).toEqual(['deploy.resources.limits.pids', 'deploy.resources.reservations.devices']);
  });
});

describe('placement', () => {
  test.each([
    ['node.hostname == box1', { key: 'kubernetes.io/hostname', operator: 'In', values: ['box1'] }],
    ['node.hostname != box1', { key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['box1'] }],
    ['node.labels.zone == eu', { key: 'zone', operator: 'In', values: ['eu'] }],
    ['node.labels.disk!=hdd', { key: 'disk', operator: 'NotIn', values: ['hdd'] }],
    ['node.role == manager', { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }],
    ['node.role != manager', { key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }],
    ['node.role == worker', { key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }],
    ['node.role != worker', { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }],
    ['node.platform.os == linux', { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }],
    ['node.platform.arch == aarch64', { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }],
  ])('%s', (c, req) => expect(mapConstraint(c).requirement).toEqual(req));

  test('node.role == manager runs on the control plane: affinity plus the toleration of its taint, with a note for managed clusters', () => {
    const r = mapConstraint('node.role == manager');
    expect(r.toleration).toEqual({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' });
    expect(r.note).toContain('plus a toleration of their NoSchedule taint); managed clusters (GKE, EKS, AKS) have none to schedule on');
    expect(mapConstraint('node.role != worker').toleration).toEqual(r.toleration);
    expect(mapConstraint('node.role == worker').toleration).toBeUndefined();
    expect(mapConstraints(['node.role == manager', 'node.role != worker']).tolerations).toEqual([r.toleration]);
    expect(mapConstraints(['node.labels.a == 1']).tolerations).toBeUndefined();
  });

  test.each([
    ['vip', 'ClusterIP', undefined, 0],
    ['dnsrr', 'ClusterIP', true, 0],
    ['dnsrr', undefined, undefined, 0],
    ['dnsrr', 'LoadBalancer', undefined, 1],
    ['dnsrr', 'NodePort', undefined, 1],
  ] as const)('endpoint_mode %s on a %s Service: headless %s, %s note(s)', (mode, type, headless, notes) => {
    const r = mapEndpointMode(mode, type);
    expect(r.value).toBe(headless);
    expect(r.notes).toHaveLength(notes);
  });

  test.each([['node.id == abc', 'has no Kubernetes node label'], ['node.role == boss', 'is "manager" or "worker"'], ['zone=eu', 'is not "<attribute> == <value>"']])('%s is an error', (c, msg) => {
    expect(mapConstraint(c).error).toContain(msg);
  });

  test('constraints are ANDed in one required term', () => {
    const r = mapConstraints(['node.labels.a == 1', 'node.hostname != x']);
    expect(r.value?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }, { key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['x'] }] },
    ]);
    expect(mapConstraints([]).value).toBeUndefined();
  });

  test('spread preferences become soft topology spread over the label', () => {
    expect(mapPreferences([{ spread: 'node.labels.rack' }], { app: 'web' }).value).toEqual([
      { maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
    ]);
    expect(mapPreferences([{ spread: 'engine.labels.x' }], {}).errors?.[0].message).toContain('is not node.labels.<name>');
  });
});

describe('healthcheck, user, labels', () => {
  test.each([
    ['CMD list', { test: ['CMD', 'curl', '-f', 'http://localhost'] }, ['curl', '-f', 'http://localhost']],
    ['CMD-SHELL', { test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'] }, ['/bin/sh', '-c', 'curl -f http://localhost || exit 1']],
    ['string', { test: 'pg_isready' }, ['/bin/sh', '-c', 'pg_isready']],
  ])('%s becomes an exec probe', (_n, hc, command) => {
    expect(mapHealthcheck(hc).value?.command).toEqual(command);
  });

  test('timings map to probe fields in whole seconds; start_period is a startup probe, not a readiness delay', () => {
    const r = mapHealthcheck({ test: 'true', interval: '30s', timeout: '500ms', retries: 5, start_period: '1m' });
    expect(r.value?.options).toEqual({ periodSeconds: 30, timeoutSeconds: 1, failureThreshold: 5 });
    // Every 5s (compose's start_interval) for 60s = 12 tries, then the 5 retries.
    expect(r.value?.startup).toEqual({ periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 17 });
    expect(r.notes.map((n) => n.message)).toContain('probes count whole seconds (at least 1); 500ms becomes 1s');
  });

  test('unset timings are compose\'s defaults (30s, 30s, 3), not Kubernetes\' (10s, 1s, 3); readiness only, said in a warning', () => {
    const r = mapHealthcheck({ test: ['CMD', 'pg_isready'] });
    expect(r.value).toEqual({ command: ['pg_isready'], options: { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 } });
    expect(r.value?.startup).toBeUndefined();
    expect(r.notes).toEqual([{ key: ['healthcheck'], message: expect.stringContaining('readiness probe only: plain Compose never restarts an unhealthy container') }]);
    // start_interval sets the startup probe's period.
    expect(mapHealthcheck({ test: 'true', start_period: '20s', start_interval: '2s' }).value?.startup).toEqual({ periodSeconds: 2, timeoutSeconds: 30, failureThreshold: 13 });
  });

  test('disable and NONE make no probe', () => {
    expect(mapHealthcheck({ disable: true }).value).toBeUndefined();
    expect(mapHealthcheck({ test: ['NONE'] }).value).toBeUndefined();
  });

  test.each([
    ['1000', { user: 1000 }, 0],
    ['1000:2000', { user: 1000, group: 2000 }, 0],
    ['nginx', undefined, 1],
    ['1000:staff', { user: 1000 }, 1],
  ] as const)('user %s', (u, sec, notes) => {
    const r = mapUser(u);
    expect(r.value).toEqual(sec);
    expect(r.notes).toHaveLength(notes);
  });

  test('deploy.labels become labels; invalid ones become annotations with a note', () => {
    const r = mapDeployLabels({ tier: 'web', 'com.example/desc': 'has spaces here' });
    expect(r.value).toEqual({ labels: { tier: 'web' }, annotations: { 'com.example/desc': 'has spaces here' } });
    expect(r.notes[0].key).toEqual(['deploy', 'labels', 'com.example/desc']);
  });

  test('a deploy label that clashes with the selector label keeps the selector value, with a note at that label', () => {
    const r = mapDeployLabels({ app: 'frontend', tier: 'web' }, { app: 'web' });
    expect(r.value).toEqual({ labels: { tier: 'web' } });
    expect(r.notes).toEqual([{ key: ['deploy', 'labels', 'app'], message: '"app" is the label that selects this service\'s pods, so it stays "web"; the value "frontend" is dropped (rename the label, like "app.kubernetes.io/part-of: frontend")' }]);
    expect(mapDeployLabels({ app: 'web' }, { app: 'web' }).notes).toEqual([]);
  });
});

describe('volumes', () => {
  test.each([
    ['data:/var/lib/data', { type: 'volume', source: 'data', target: '/var/lib/data', readOnly: false }],
    ['./site:/usr/share/nginx/html:ro', { type: 'bind', source: './site', target: '/usr/share/nginx/html', readOnly: true }],
    ['/etc/hosts:/etc/hosts:ro,z', { type: 'bind', source: '/etc/hosts', target: '/etc/hosts', readOnly: true, dropped: ['z'] }],
    ['~/cache:/cache', { type: 'bind', source: '~/cache', target: '/cache', readOnly: false }],
    ['./src:/src:cached,z', { type: 'bind', source: './src', target: '/src', readOnly: false, dropped: ['cached', 'z'] }],
    ['/scratch', { type: 'volume', target: '/scratch', readOnly: false }],
  ])('%s', (text, mount) => {
    expect(parseVolume(text).mount).toEqual(mount);
  });

  test('long syntax and tmpfs', () => {
    expect(parseVolume({ type: 'tmpfs', target: '/tmp', tmpfs: { size: '64m' } }).mount).toEqual({ type: 'tmpfs', target: '/tmp', readOnly: false, size: 64 * 1024 ** 2 });
    expect(parseVolume({ type: 'bind', source: '.', target: '/x', bind: { propagation: 'rshared' }, consistency: 'cached' } as never).mount?.dropped).toEqual(['bind.propagation', 'consistency']);
    expect(parseTmpfs(['/run:size=1m,mode=1777', '/tmp'])).toEqual([{ type: 'tmpfs', target: '/run', readOnly: false, size: 1024 ** 2, dropped: ['mode=1777'] }, { type: 'tmpfs', target: '/tmp', readOnly: false }]);
  });

  test('relative targets are errors', () => {
    expect(parseVolume('data:var/lib').error).toContain('is not an absolute container path');
  });
});

describe('errors carry a fix', () => {
  test.each([
    ['a port that is not a number', parsePort('abc:80'), 'write the port like "80", "8080:80"'],
    ['a port with too many parts', parsePort('80:80:80:80'), 'write the port like "80", "8080:80"'],
    ['a port protocol', parsePort('80/icmp'), 'use tcp, udp or sctp'],
    ['a constraint with "="', mapConstraint('node.role = manager'), 'compare with == or !='],
    ['a node.role that is not manager or worker', mapConstraint('node.role == boss'), 'write "node.role == manager" or "node.role == worker"'],
    ['a volume mode typo', parseVolume('./a:/a:r0'), 'write ro or rw'],
  ])('%s', (_n, r, fix) => {
    expect(r.error).toBeDefined();
    expect(r.fix).toContain(fix);
  });

  test('the error notes of the table functions all have a fix', () => {
    const notes = [
      ...(mapPorts(['x'], ['1:2']).errors ?? []), ...(mapResources({ limits: { memory: 'huge', cpus: 'x' } }).errors ?? []),
      ...(mapConstraints(['node.id == 1']).errors ?? []), ...(mapPreferences([{}, { spread: 'zone' }], {}).errors ?? []),
      ...(mapHealthcheck({ test: ['RUN', 'x'] }).errors ?? []), ...(mapHealthcheck({ test: 'x', interval: 'often' }).errors ?? []),
      ...(mapWorkload({ deploy: { mode: 'global-job' } }).errors ?? []),
    ];
    expect(notes).toHaveLength(10);
    for (const n of notes) expect([n.key.join('.'), typeof n.fix]).toEqual([n.key.join('.'), 'string']);
  });
});

import {
  envSecretReason, fileSecretReason, isFlagValue, mapConstraint, mapDns, mapExtraHosts, mapGroupAdd, mapHostNamespaces, mapPlatform, mapPullPolicy, mapSecurityOpt,
  mapShmSize, mapStopGracePeriod, mapSysctls,
} from '../../lib/compose/mapping';
import { layoutServices } from '../../lib/compose/plan-services';
import { secretLiteralReason } from '../../lib/ir/secrets';

describe('pod-level keys, one pure function each', () => {
  test('stop_grace_period: compose\'s 10s when unset (not Kubernetes\' 30s), whole seconds, bad durations are errors', () => {
    expect(mapStopGracePeriod(undefined).value).toBe(10);
    expect(mapStopGracePeriod('1m30s').value).toBe(90);
    expect(mapStopGracePeriod('1500ms')).toEqual({ value: 2, notes: [{ key: ['stop_grace_period'], message: 'the grace period is whole seconds; 1500ms becomes 2s' }] });
    expect(mapStopGracePeriod('soon').errors?.[0].message).toBe('"soon" is not a duration like 30s');
  });

  test('extra_hosts: list (host:ip, host=ip, IPv6) and dict -> hostAliases grouped by IP; host-gateway is dropped with a note', () => {
    expect(mapExtraHosts(['a:10.0.0.1', 'b=10.0.0.1', 'v6:::1', 'x:host-gateway']).value).toEqual([{ ip: '10.0.0.1', hostnames: ['a', 'b'] }, { ip: '::1', hostnames: ['v6'] }]);
    expect(mapExtraHosts(['x:host-gateway']).notes[0].message).toContain('host-gateway');
    expect(mapExtraHosts({ db: '10.0.0.9' }).value).toEqual([{ ip: '10.0.0.9', hostnames: ['db'] }]);
    expect(mapExtraHosts(['nohost']).errors?.[0]).toMatchObject({ key: ['extra_hosts', 0], message: '"nohost" is not host:ip or host=ip' });
    expect(mapExtraHosts(['a:not-an-ip']).errors?.[0].message).toBe('"not-an-ip" of a is not an IP address');
    expect(mapExtraHosts(undefined).value).toBeUndefined();
  });

  test('dns, dns_search, dns_opt -> dnsConfig; the cluster DNS stays first (noted); more than 3 servers are cut', () => {
    expect(mapDns('8.8.8.8', ['example.com'], ['ndots:2', 'edns0']).value).toEqual({ nameservers: ['8.8.8.8'], searches: ['example.com'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] });
    const many = mapDns(['1.1.1.1', '1.0.0.1', '8.8.8.8', '8.8.4.4'], undefined, undefined);
    expect(many.value?.nameservers).toHaveLength(3);
    expect(many.notes.map((n) => n.message)).toContain('a pod has at most 3 name servers; 8.8.4.4 is dropped');
    expect(mapDns(undefined, undefined, undefined).value).toBeUndefined();
  });

  test('group_add -> numeric supplementalGroups; names warn and are dropped', () => {
    const r = mapGroupAdd(['1001', 44, 'audio']);
    expect(r.value).toEqual([1001, 44]);
    expect(r.notes).toEqual([{ key: ['group_add', 2], message: expect.stringContaining('"audio" is a name only the image knows') }]);
  });

  test('sysctls: list and dict -> securityContext.sysctls, with the unsafe-sysctl note', () => {
    expect(mapSysctls(['net.core.somaxconn=1024']).value).toEqual([{ name: 'net.core.somaxconn', value: '1024' }]);
    expect(mapSysctls({ 'net.ipv4.tcp_syncookies': 1 }).value).toEqual([{ name: 'net.ipv4.tcp_syncookies', value: '1' }]);
    expect(mapSysctls(['broken']).errors?.[0].message).toBe('"broken" is not name=value');
  });

  test('shm_size -> an in-memory emptyDir size; pull_policy -> imagePullPolicy; platform -> node selector', () => {
    expect(mapShmSize('128mb').value).toBe('128Mi');
    expect(mapShmSize('lots').errors?.[0].key).toEqual(['shm_size']);
    expect(['always', 'never', 'missing', 'if_not_present', 'build', 'daily'].map((p) => mapPullPolicy(p).value)).toEqual(['Always', 'Never', 'IfNotPresent', 'IfNotPresent', 'IfNotPresent', 'Always']);
    expect(mapPullPolicy('sometimes').errors).toHaveLength(1);
    expect(mapPlatform('linux/amd64').value).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
    expect(mapPlatform('linux/arm64/v8')).toEqual({ value: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' }, notes: [{ key: ['platform'], message: 'node labels have no CPU variant; "v8" is dropped' }] });
  });

  test('network_mode/ipc/pid host -> hostNetwork/hostIPC/hostPID; none and container: are noted; service: is left to the plan', () => {
    expect(mapHostNamespaces({ network_mode: 'host', ipc: 'host', pid: 'host' })).toEqual({ value: { hostNetwork: true, hostIPC: true, hostPID: true }, notes: [] });
    expect(mapHostNamespaces({ network_mode: 'service:vpn' })).toEqual({ value: {}, notes: [] });
    expect(mapHostNamespaces({ network_mode: 'bridge' })).toEqual({ value: {}, notes: [] });
    expect(mapHostNamespaces({ network_mode: 'none' }).notes[0].message).toContain('"none" is dropped');
    expect(mapHostNamespaces({ network_mode: 'container:abc' }).notes[0].message).toContain('cannot join a container outside the pod');
    // The old warning claimed pods always get their own network namespace: hostNetwork exists.
    expect(JSON.stringify(mapHostNamespaces({ network_mode: 'host' }))).not.toContain('always get their own');
  });

  test('security_opt: no-new-privileges, seccomp and apparmor (unconfined / a profile), SELinux labels', () => {
    expect(mapSecurityOpt(['no-new-privileges:true', 'seccomp=unconfined', 'apparmor:unconfined']).value).toEqual({
      allowPrivilegeEscalation: false, seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' },
    });
    const prof = mapSecurityOpt(['seccomp=./profiles/chrome.json']);
    expect(prof.value).toEqual({ seccompProfile: { type: 'Localhost', localhostProfile: 'chrome.json' } });
    expect(prof.notes[0].message).toContain('must be installed on each node');
    expect(mapSecurityOpt(['label=type:svirt_apache_t', 'label=level:s0:c100,c200']).value).toEqual({ seLinuxOptions: { type: 'svirt_apache_t', level: 's0:c100,c200' } });
    expect(mapSecurityOpt(['label=disable']).notes[0].message).toContain('SELinux option "disable"');
  });

  test('engine.labels.* placement constraints are node labels, with a note (valid Swarm, not an error)', () => {
    const r = mapConstraint('engine.labels.operatingsystem == ubuntu-22.04');
    expect(r.requirement).toEqual({ key: 'operatingsystem', operator: 'In', values: ['ubuntu-22.04'] });
    expect(r.error).toBeUndefined();
    expect(r.note).toContain('kubectl label node <node> operatingsystem=ubuntu-22.04');
  });
});

describe('secrets', () => {
  test.each(['yes', 'no', 'true', 'False', 'on', 'off', '0', '1', ''])('"%s" is a flag, never a secret', (v) => {
    expect(envSecretReason('ALLOW_EMPTY_PASSWORD', v)).toBeUndefined();
    if (v) expect(isFlagValue(v)).toBe(true);
  });

  test('the policy agrees: lint does not flag a flag under a secret-like name (ALLOW_EMPTY_PASSWORD=no), it flags a password', () => {
    expect(secretLiteralReason('ALLOW_EMPTY_PASSWORD', 'no')).toBeUndefined();
    expect(secretLiteralReason('DISABLE_PASSWORD', 'true')).toBeUndefined();
    expect(secretLiteralReason('REDIS_PASSWORD', 'yes-it-is-long')).toBe('is named like a secret and has a literal value');
  });

  test('literal passwords, keys and URLs with a password are secrets; references and ordinary names are not', () => {
    expect(envSecretReason('POSTGRES_PASSWORD', 'example')).toBe('is named like a secret and has a literal value');
    expect(envSecretReason('DATABASE_URL', 'postgres://u:pw@db/app')).toContain('URL with a password');
    expect(envSecretReason('POSTGRES_PASSWORD_FILE', '/run/secrets/pw')).toBeUndefined();
    expect(envSecretReason('POSTGRES_USER', 'app')).toBeUndefined();
    expect(envSecretReason('API_KEY', null)).toBeUndefined();
  });

  test('files named like keys and certificates, or holding secret settings, are secrets', () => {
    for (const f of ['tls.key', 'server.pem', 'id_rsa', 'keystore.jks', 'C:\\certs\\site.crt']) expect(fileSecretReason(f, 'x')).toContain('named like a key or certificate');
    expect(fileSecretReason('app.conf', 'user=app\npassword=hunter2\n')).toBe('it holds secret-looking settings (password on line 2)');
    expect(fileSecretReason('nginx.conf', 'server { listen 80; }')).toBeUndefined();
  });
});

describe('Service layout', () => {
  test('nothing listed: no Service ports (the plan makes a headless Service)', () => {
    expect(layoutServices('db', [], 'LoadBalancer').value).toEqual({ internal: [] });
  });

  test('80:80 alone: one Service of the published type does both jobs', () => {
    expect(layoutServices('web', [{ containerPort: 80, published: 80, protocol: 'TCP' }], 'LoadBalancer').value).toEqual({ internal: [{ containerPort: 80, protocol: 'TCP' }], type: 'LoadBalancer' });
  });

  test('8080:80: the own Service answers on 80 (ClusterIP), <name>-published on 8080 -> 80 with the chosen type', () => {
    const r = layoutServices('web', [{ containerPort: 80, published: 8080, protocol: 'TCP' }, { containerPort: 9000, protocol: 'TCP' }], 'NodePort').value;
    expect(r.type).toBe('ClusterIP');
    expect(r.internal).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9000, protocol: 'TCP' }]);
    expect(r.published).toMatchObject({ name: 'web-published', app: 'web', type: 'NodePort', ports: [{ port: 8080, targetPort: 80, protocol: 'TCP' }] });
    // A published port in the NodePort range is the nodePort too.
    expect(layoutServices('web', [{ containerPort: 80, published: 30080, protocol: 'TCP' }], 'NodePort').value.published?.ports[0].nodePort).toBe(30080);
  });

  test('--service-type ClusterIP publishes nothing: one ClusterIP Service on the container ports', () => {
    expect(layoutServices('web', [{ containerPort: 80, published: 8080, protocol: 'TCP' }], 'ClusterIP').value).toEqual({ internal: [{ containerPort: 80, protocol: 'TCP' }], type: 'ClusterIP' });
  });
});

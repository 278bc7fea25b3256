import { expandVars, mapProbe, mapResources, mapRestartPolicy, parseQuantity, resolveIntOrPercent } from '../../../lib/targets/docker/mapping';
import { tarFiles } from '../../../lib/targets/docker/tar';

describe('mapping functions', () => {
  test('parseQuantity reads binary, decimal and milli quantities', () => {
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(1.5)).toBe(1.5);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('12 apples')).toBeUndefined();
  });

  test('mapResources: limits to hard limits, requests to reservation and shares', () => {
    expect(mapResources({ limits: { memory: '256Mi', cpu: '1500m' }, requests: { memory: '128Mi', cpu: '250m' } }).resources)
      .toEqual({ memoryBytes: 256 * 2 ** 20, nanoCpus: 1.5e9, memoryReservationBytes: 128 * 2 ** 20, cpuShares: 256 });
    expect(mapResources(undefined).resources).toEqual({});
    expect(mapResources({ limits: { memory: 'lots' } }).problems[0]).toContain('"lots" is not a Kubernetes quantity');
    expect(mapResources({ limits: { memory: '1Mi' } }).problems[0]).toContain("below Docker's minimum");
  });

  test('mapRestartPolicy: controllers always, bare pods unless-stopped, Never and OnFailure', () => {
    expect(mapRestartPolicy(undefined, 'Deployment').name).toBe('always');
    expect(mapRestartPolicy('Always', 'Pod').name).toBe('unless-stopped');
    expect(mapRestartPolicy('OnFailure', 'Pod').name).toBe('on-failure');
    expect(mapRestartPolicy('Never', 'Pod').name).toBe('no');
  });

  test('mapProbe: exec, httpGet with a named port, tcpSocket; timings in nanoseconds', () => {
    expect(mapProbe({ exec: { command: ['cat', '/ok'] }, periodSeconds: 5, timeoutSeconds: 2, initialDelaySeconds: 3, failureThreshold: 4 }).healthcheck)
      .toEqual({ test: ['CMD', 'cat', '/ok'], intervalNs: 5e9, timeoutNs: 2e9, startPeriodNs: 3e9, retries: 4 });
    const http = mapProbe({ httpGet: { path: 'healthz', port: 'http' } }, { http: 8080 }).healthcheck!;
    expect(http.test[0]).toBe('CMD-SHELL');
    expect(http.test[1]).toContain("wget -q -O /dev/null 'http://127.0.0.1:8080/healthz'");
    expect(http.intervalNs).toBe(10e9);
    expect(mapProbe({ tcpSocket: { port: 5432 } }).healthcheck!.test[1]).toContain('127.0.0.1 5432');
    expect(mapProbe({ httpGet: { port: 'nope' } }).problem).toContain('names no container port');
    expect(mapProbe(undefined)).toEqual({});
  });

  test('expandVars follows the kubelet rules', () => {
    const vars = new Map([['A', 'x'], ['B', '$(A)']]);
    expect(expandVars('$(A)-$(B)-$(C)-$$(A)-$$', vars)).toBe('x-$(A)-$(C)-$(A)-$');
  });

  test('resolveIntOrPercent rounds percentages down', () => {
    expect(resolveIntOrPercent('25%', 10, 0)).toBe(2);
    expect(resolveIntOrPercent(3, 10, 0)).toBe(3);
    expect(resolveIntOrPercent(undefined, 10, 1)).toBe(1);
  });

  test('tarFiles writes ustar entries with mode and owner, padded to 512 bytes', () => {
    const tar = tarFiles([{ path: '/etc/app/key', contentBase64: Buffer.from('secret').toString('base64'), mode: 0o400, uid: 1000, gid: 2000 }]);
    expect(tar.length).toBe(512 + 512 + 1024);
    expect(tar.subarray(0, 11).toString()).toBe('etc/app/key');
    expect(tar.subarray(100, 107).toString()).toBe('0000400');
    expect(tar.subarray(108, 115).toString()).toBe('0001750');
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    expect(tar.subarray(512, 518).toString()).toBe('secret');
  });
});

import { stableStringify } from '../../lib/core/naming';
import { answerHook, answerHookText, computePodServiceStatus, HookError, hookVersionOf, parseHookRequest, RenderMemo } from '../../lib/metacontroller/hook';
import { controller, NO_CHILDREN, observed, parent } from './http-helpers';

describe('hook functions', () => {
  test('GIVEN requests of every shape THEN answerHookText is exactly stableStringify(answerHook), with or without the memo', () => {
    const memo = new RenderMemo({ maxEntries: 2 });
    const bodies = [
      { parent: parent(), children: NO_CHILDREN },
      { parent: parent(), children: observed((n) => n) },
      { parent: parent({ image: 'busybox:1.36', port: 8080 }), children: NO_CHILDREN },
      { parent: parent({ image: 'nginx:1.27', port: 80 }, 'api', 'shop'), children: NO_CHILDREN },
      { controller: controller('v2'), parent: parent(), children: observed((n) => `default/${n}`) },
      { parent: parent(), children: observed((n) => n), finalizing: true },
    ];
    for (const hook of ['sync', 'finalize'] as const) {
      for (const body of [...bodies, ...bodies]) {
        const req = parseHookRequest(body, hook);
        const expected = stableStringify(answerHook(req, hook));
        expect(answerHookText(req, hook, {}, memo).text).toBe(expected);
        expect(answerHookText(req, hook).text).toBe(expected);
      }
    }
  });

  test('GIVEN a memo hit THEN a changed spec still renders anew, and a bad spec still fails', () => {
    const memo = new RenderMemo();
    const a = answerHookText(parseHookRequest({ parent: parent() }, 'sync'), 'sync', {}, memo);
    const b = answerHookText(parseHookRequest({ parent: parent({ image: 'nginx:1.28', port: 80, host: 'podservice.local' }) }, 'sync'), 'sync', {}, memo);
    expect(a.text).toContain('"image":"nginx:1.27"');
    expect(b.text).toContain('"image":"nginx:1.28"');
    expect(() => answerHookText(parseHookRequest({ parent: parent({ image: 'nginx', port: -1 }) }, 'sync'), 'sync', {}, memo))
      .toThrow(new HookError(422, [{ where: 'parent.spec.port', message: '-1 is not a port', fix: '' }]).message);
  });

  test('GIVEN the controller hook version or only the keys THEN the version is known', () => {
    expect(hookVersionOf(controller('v2'), 'sync', {})).toBe('v2');
    expect(hookVersionOf(controller('v1'), 'finalize', { 'Pod.v1': { 'default/web': {} as any } })).toBe('v1');
    expect(hookVersionOf(undefined, 'sync', { 'Pod.v1': { 'default/web': {} as any } })).toBe('v2');
    expect(hookVersionOf(undefined, 'sync', NO_CHILDREN)).toBe('v1');
  });

  test('GIVEN an Ingress with an IP and a headless Service THEN status shows the address and no cluster IP', () => {
    const children = observed((n) => n);
    children['Service.v1'].web.spec.clusterIP = 'None';
    children['Ingress.networking.k8s.io/v1'].web.status.loadBalancer.ingress = [{ ip: '172.18.0.2' }];
    const status = computePodServiceStatus(parseHookRequest({ parent: parent(), children }, 'sync'));
    expect(status).toEqual({ observedGeneration: 3, ready: false, podPhase: 'Running', podReady: true, ingressAddress: '172.18.0.2', message: 'waiting for Service web to get a cluster IP' });
  });
});

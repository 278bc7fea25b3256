import { ingressRefs, podSpecRefs } from '../../lib/ir/refs';
import { checkObjects, findRule } from '../../lib/policy/check';
import { configRefsOf } from '../../lib/policy/object-rules';
import { ingressRefs as graphIngressRefs, podSpecRefs as graphRefs } from '../../lib/graph/refs';
import { objectRefs, podSpecRefs as pulumiRefs } from '../../lib/targets/pulumi/kube-objects';

const spec = {
  initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 's1' } }] }],
  containers: [{ name: 'c', env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c1', key: 'a' } } }, { name: 'B', value: 'b' }, { name: 'E', valueFrom: { secretKeyRef: { name: '' } } }] }],
  ephemeralContainers: [{ name: 'd', envFrom: [{ configMapRef: { name: 'c3', optional: true } }] }],
  volumes: [
    { name: 'v1', secret: { secretName: 's2', items: [{ key: 'tls.crt', path: 'crt' }, { key: 'tls.key', path: 'key' }] } },
    { name: 'v2', projected: { sources: [{ configMap: { name: 'c2' } }, { secret: { name: 's3', optional: true } }] } },
    { name: 'v3', persistentVolumeClaim: { claimName: 'data' } },
  ],
  imagePullSecrets: [{ name: 'regcred' }],
  serviceAccountName: 'robot',
};

describe('pod references: one reader (lib/ir/refs.ts)', () => {
  test('every container list, volume source, pull secret and the ServiceAccount, with keys, optional and the path of the name', () => {
    const refs = podSpecRefs(spec);
    expect(refs.map((r) => `${r.kind}:${r.name}:${r.via}:${r.keys.join('+')}:${r.optional}`)).toEqual([
      'Secret:s1:envFrom::false', 'ConfigMap:c1:env:a:false', 'ConfigMap:c3:envFrom::true', 'Secret:s2:volume:tls.crt+tls.key:false',
      'ConfigMap:c2:projected::false', 'Secret:s3:projected::true', 'PersistentVolumeClaim:data:claim::false', 'Secret:regcred:imagePullSecret::false',
      'ServiceAccount:robot:serviceAccount::false',
    ]);
    expect(refs[1].fieldPath).toEqual(['containers', 0, 'env', 0, 'valueFrom', 'configMapKeyRef', 'name']);
    expect(refs[3].fieldPath).toEqual(['volumes', 0, 'secret', 'secretName']);
  });

  test('malformed input reads as no reference', () => {
    expect(podSpecRefs({ containers: 'x', volumes: [null, 7, { secret: 'x' }], imagePullSecrets: {} })).toEqual([]);
  });

  test('policy, graph and Pulumi ordering see the same ConfigMaps and Secrets', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec };
    const names = (list: { kind: string; name: string }[]) => list.filter((r) => r.kind === 'ConfigMap' || r.kind === 'Secret').map((r) => `${r.kind}/${r.name}`);
    const expected = ['Secret/s1', 'ConfigMap/c1', 'ConfigMap/c3', 'Secret/s2', 'ConfigMap/c2', 'Secret/s3', 'Secret/regcred'];
    expect(names(configRefsOf(pod))).toEqual(expected);
    expect(names(graphRefs(spec))).toEqual(expected);
    expect(names(pulumiRefs(spec))).toEqual(expected);
    expect(configRefsOf(pod)[1].path).toEqual(['spec', 'containers', 0, 'env', 0, 'valueFrom', 'configMapKeyRef', 'name']);
  });

  test('an Ingress: backends (v1 and the older serviceName form) and TLS Secrets, the same for the graph and the Pulumi ordering', () => {
    const ing = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: {
      defaultBackend: { service: { name: 'fallback' } },
      rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/api', backend: { service: { name: 'api' } } }, { backend: { serviceName: 'old' } }] } }],
      tls: [{ secretName: 'cert' }, { secretName: '' }],
    } };
    expect(ingressRefs(ing).map((r) => `${r.kind}:${r.name}:${r.label}`)).toEqual(['Service:fallback:default', 'Service:api:shop.example.com/api', 'Service:old:shop.example.com/', 'Secret:cert:tls']);
    const names = (list: { kind: string; name: string }[]) => list.map((r) => `${r.kind}/${r.name}`);
    expect(names(graphIngressRefs(ing))).toEqual(names(ingressRefs(ing)));
    expect(names(objectRefs(ing))).toEqual(names(ingressRefs(ing)));
    expect(ingressRefs({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { defaultBackend: { service: { name: 'x' } } } })).toEqual([]);
  });

  test('policy: an image pull Secret that the output has only in another namespace is a cross-namespace reference too', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'r.local/app:1' }], imagePullSecrets: [{ name: 'regcred' }] } };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred', namespace: 'infra' }, type: 'kubernetes.io/dockerconfigjson' };
    const report = checkObjects([pod, secret], { rules: [findRule('config-cross-namespace')!] });
    expect(report.findings.map((f) => `${f.field}: ${f.message}`)).toEqual(['spec.imagePullSecrets[0].name: refers to Secret "regcred" from namespace "shop", but this output has it only in namespace "infra"']);
  });
});

import { formatFieldPath } from '../../lib/core/field-path';
import { Chart } from 'cdk8s';
import { podserviceController } from '../../apps/podservice-controller/chart';
import { checkPodService } from '../../lib/constructs/pod-service';
import { problemText } from '../../lib/core/errors';
import { Testing } from '../../lib/pipeline/testing';
import { compileOpenApi, validateObjects } from '../../lib/core/schema';
import {
  compositeController, METACONTROLLER_SCHEMAS, podServiceControllerObjects, podServiceCrd, podServiceOpenApiSchema, PodServiceController,
  PodServiceResource, resolveControllerProps,
} from '../../lib/metacontroller';

describe('PodServiceController', () => {
  test('GIVEN defaults THEN a CRD, webhook Service and Deployment, and a CompositeController, all schema-valid', () => {
    const chart = Testing.chart();
    new PodServiceController(chart, 'ctl', { image: 'registry.local/dockyard:0.1.0' });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      'CustomResourceDefinition/podservices.dockyard.io', 'Service/podservice-controller', 'Deployment/podservice-controller', 'CompositeController/podservice-controller',
    ]);
    expect(validateObjects(objects, [], METACONTROLLER_SCHEMAS)).toEqual([]);
  });

  test('GIVEN a chart with a namespace THEN the cluster-scoped CRD and CompositeController have none, the webhook keeps its own', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    new PodServiceController(chart, 'ctl', { image: 'x:1' });
    expect(Testing.synth(chart).map((o) => `${o.kind}:${o.metadata?.namespace}`)).toEqual([
      'CustomResourceDefinition:undefined', 'Service:metacontroller', 'Deployment:metacontroller', 'CompositeController:undefined',
    ]);
  });

  test('GIVEN a group and version THEN the CRD is namespaced, with a status subresource and a typed schema with required fields', () => {
    const crd = podServiceCrd({ group: 'example.com', version: 'v1' }) as any;
    expect(crd.metadata.name).toBe('podservices.example.com');
    expect(crd.spec).toMatchObject({ group: 'example.com', scope: 'Namespaced', names: { kind: 'PodService', plural: 'podservices', singular: 'podservice' } });
    const v = crd.spec.versions[0];
    expect(v).toMatchObject({ name: 'v1', served: true, storage: true, subresources: { status: {} } });
    const spec = v.schema.openAPIV3Schema.properties.spec;
    expect(spec.required).toEqual(['image', 'port']);
    expect(spec.properties.image).toMatchObject({ type: 'string', minLength: 1 });
    expect(spec.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(spec.properties.host).toMatchObject({ type: 'string', maxLength: 253 });
  });

  test('GIVEN the CRD schema and checkPodService THEN both accept and reject the same specs', () => {
    const check = compileOpenApi(podServiceOpenApiSchema());
    const specs: Record<string, unknown>[] = [
      { image: 'nginx:1.27', port: 80 }, { image: 'nginx:1.27', port: 80, host: 'podservice.local' },
      { image: 'nginx:1.27' }, { port: 80 }, { image: '', port: 80 }, { image: 'a b', port: 80 }, { image: 'nginx', port: 0 },
      { image: 'nginx', port: 65536 }, { image: 'nginx', port: 80.5 }, { image: 'nginx', port: '80' }, { image: 'nginx', port: 80, host: 'Bad_Host' },
      { image: 'nginx', port: 80, host: 'a.' }, { image: 'nginx', port: 80, replicas: 2 }, { image: 7, port: 80 },
    ];
    for (const spec of specs) {
      const byCrd = check({ spec }).length === 0;
      const byRender = checkPodService({ metadata: { name: 'web' }, spec }).length === 0;
      expect([JSON.stringify(spec), byCrd]).toEqual([JSON.stringify(spec), byRender]);
    }
  });

  test('GIVEN the CRD schema and checkPodService THEN both accept and reject the same metadata.name (DNS-1035)', () => {
    const nameSchema = (podServiceOpenApiSchema() as any).properties.metadata.properties.name;
    expect(nameSchema).toMatchObject({ type: 'string', maxLength: 63 });
    // compileOpenApi skips a top-level metadata (our validator never checks it), so check the name schema on its own.
    const check = compileOpenApi({ type: 'object', properties: { name: nameSchema } });
    for (const name of ['web', 'w', 'web-1', 'a1', '1web', '9', 'Web', 'web-', '-web', 'we_b', 'a.b', 'a'.repeat(63), 'a'.repeat(64)]) {
      const byCrd = check({ name }).length === 0;
      const byRender = checkPodService({ metadata: { name }, spec: { image: 'nginx:1.27', port: 80 } }).length === 0;
      expect([name, byCrd]).toEqual([name, byRender]);
    }
  });

  test('GIVEN the CompositeController THEN Pod/Service/Ingress children with update strategies, generated selector and both hooks on the webhook Service', () => {
    const cc = compositeController(resolveControllerProps({ image: 'x:1', namespace: 'hooks', name: 'ps', hookVersion: 'v2', podUpdateMethod: 'RollingRecreate' })) as any;
    expect(cc.spec.generateSelector).toBe(true);
    expect(cc.spec.parentResource).toEqual({ apiVersion: 'dockyard.io/v1alpha1', resource: 'podservices' });
    expect(cc.spec.childResources).toEqual([
      { apiVersion: 'v1', resource: 'pods', updateStrategy: { method: 'RollingRecreate' } },
      { apiVersion: 'v1', resource: 'services', updateStrategy: { method: 'InPlace' } },
      { apiVersion: 'networking.k8s.io/v1', resource: 'ingresses', updateStrategy: { method: 'InPlace' } },
    ]);
    expect(cc.spec.hooks).toEqual({
      sync: { version: 'v2', webhook: { url: 'http://ps.hooks/sync', timeout: '10s' } },
      finalize: { version: 'v2', webhook: { url: 'http://ps.hooks/finalize', timeout: '10s' } },
    });
  });

  test('GIVEN the webhook Deployment and Service THEN the command, probes, selector and port agree', () => {
    const [, svc, dep] = podServiceControllerObjects({ image: 'registry.local/dockyard:0.1.0', port: 9000 }) as any[];
    const c = dep.spec.template.spec.containers[0];
    expect(c.image).toBe('registry.local/dockyard:0.1.0');
    expect(c.command).toEqual(['dockyard', 'webhook', 'podservice', '--port', '9000', '--host', '0.0.0.0']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9000, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(svc.spec.selector).toEqual(dep.spec.template.metadata.labels);
    expect(dep.spec.selector.matchLabels).toEqual(dep.spec.template.metadata.labels);
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(dep.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('GIVEN invalid props THEN synth fails naming each prop and its fix', () => {
    const chart = Testing.chart();
    new PodServiceController(chart, 'ctl', { image: '', group: 'nodot', version: '1', port: 0, timeout: '10 seconds', namespace: 'Bad_NS' });
    const messages = Testing.problems(chart).map((p) => `${p.where} ${problemText(p)}`);
    expect(messages).toEqual([
      'test/ctl image "" is not an image reference. Fix: set image to the webhook image, like "registry.local/dockyard:0.1.0"',
      'test/ctl group "nodot" has no dot. Fix: use a DNS name you own, like "dockyard.io" or "example.com"',
      'test/ctl version "1" is not a Kubernetes API version. Fix: use a version like "v1alpha1" or "v1"',
      'test/ctl namespace "Bad_NS" must be lowercase letters, digits and "-", starting and ending with a letter or digit. Fix: use a namespace like "podservice-controller"',
      'test/ctl port 0 is not a port. Fix: use a whole number between 1 and 65535',
      'test/ctl timeout "10 seconds" is not a Go duration. Fix: use a duration like "10s" or "1m30s"',
    ]);
  });

  test('GIVEN a CompositeController with an unknown or mistyped field THEN its known schema rejects it', () => {
    const [crd, svc, dep, cc] = podServiceControllerObjects({ image: 'x:1' }) as any[];
    const bad = structuredClone(cc);
    bad.spec.childResources[0].updateStratgy = bad.spec.childResources[0].updateStrategy;
    bad.spec.hooks.sync.version = 'v3';
    bad.spec.generateSelector = 'yes';
    delete bad.spec.parentResource.resource;
    const issues = validateObjects([crd, svc, dep, bad], [], METACONTROLLER_SCHEMAS).map((i) => `${i.object}: ${formatFieldPath(i.fieldPath)}: ${i.message}`).sort();
    expect(issues).toEqual([
      'CompositeController/podservice-controller: spec.childResources[0].updateStratgy: unknown field "updateStratgy" (did you mean "updateStrategy"?); the CRD schema allows: apiVersion, resource, updateStrategy',
      'CompositeController/podservice-controller: spec.generateSelector: must be a boolean',
      'CompositeController/podservice-controller: spec.hooks.sync.version: must be one of "v1", "v2"',
      'CompositeController/podservice-controller: spec.parentResource: missing required field "resource"',
    ]);
  });

  test('GIVEN the example chart THEN its YAML matches the snapshot and passes the schema check', () => {
    const chart = podserviceController(Testing.app());
    const objects = Testing.synth(chart);
    expect(validateObjects(objects, [], METACONTROLLER_SCHEMAS)).toEqual([]);
    expect(Testing.yaml(chart)).toMatchSnapshot();
  });
});

describe('PodServiceResource', () => {
  test('GIVEN a controller THEN the custom object uses its group and version, and validates against the CRD', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    const controller = new PodServiceController(chart, 'ctl', { image: 'x:1', group: 'example.com', version: 'v1beta1' });
    new PodServiceResource(chart, 'Hello', { controller, image: 'nginx:1.27', port: 80, host: 'podservice.local' });
    const ps = Testing.find(Testing.synth(chart), 'PodService');
    expect(ps).toEqual({ apiVersion: 'example.com/v1beta1', kind: 'PodService', metadata: { name: 'hello', namespace: 'apps' }, spec: { image: 'nginx:1.27', port: 80, host: 'podservice.local' } });
  });

  test('GIVEN a chart without the CRD THEN the PodService still validates (schema registered), and a bad spec fails with the field', () => {
    const chart = Testing.chart();
    new PodServiceResource(chart, 'ok', { image: 'nginx:1.27', port: 80 });
    expect(Testing.synth(chart).map((o) => o.apiVersion)).toEqual(['dockyard.io/v1alpha1']);
    const bad = Testing.chart();
    new PodServiceResource(bad, 'bad', { image: 'nginx:1.27', port: 99999 });
    expect(Testing.problems(bad).map((p) => `${p.where} ${p.message}`)).toEqual(['test/bad port 99999 is not a port']);
    expect(Testing.problems(bad)[0]).toEqual(expect.objectContaining({ fieldPath: ['port'], fix: 'set spec.port to a whole number between 1 and 65535' }));
  });
});

import { apiRuleProblems } from '../../lib/core/api-rules';
import { formatFieldPath } from '../../lib/core/field-path';
import { KubeObject } from '../../lib/core/manifests';
import { isWorkloadKind, podTemplateOf } from '../../lib/graph/refs';
import { buildGraph } from '../../lib/graph/model';
import { containersOf, podSpecOf, POD_TEMPLATE_PATHS } from '../../lib/ir/pod-spec';
import { checkObjects, findRule } from '../../lib/policy/check';
import { dependenciesOf, objectKey } from '../../lib/targets/pulumi/kube-objects';

// One pod spec per kind that carries one: every user (policy, graph, Pulumi ordering, the API-server
// rules of the schema check) must find it at the same place and see every container list.

const pod = (): Record<string, unknown> => ({
  initContainers: [{ name: 'init', image: 'busybox:1.36' }],
  containers: [{ name: 'app', image: 'nginx:1.27' }],
  // Only the ephemeral container reads the ConfigMap and uses :latest: a reader that skips the list misses both.
  ephemeralContainers: [{ name: 'debug', image: 'busybox:latest', envFrom: [{ configMapRef: { name: 'cfg' } }] }],
});
const template = () => ({ metadata: { labels: { app: 'web' } }, spec: pod() });
const selector = { selector: { matchLabels: { app: 'web' } } };

const WORKLOADS: [string, string, KubeObject, (string | number)[]][] = [
  ['Pod', 'v1', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', labels: { app: 'web' } }, spec: pod() }, ['spec']],
  ['PodTemplate', 'v1', { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'w' }, template: template() }, ['template', 'spec']],
  ['ReplicationController', 'v1', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'w' }, spec: { selector: { app: 'web' }, template: template() } }, ['spec', 'template', 'spec']],
  ...(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((kind) => [kind, 'apps/v1', { apiVersion: 'apps/v1', kind, metadata: { name: 'w' }, spec: { ...selector, template: template() } }, ['spec', 'template', 'spec']]) as [string, string, KubeObject, (string | number)[]][]),
  ['Job', 'batch/v1', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'w' }, spec: { template: template() } }, ['spec', 'template', 'spec']],
  ['CronJob', 'batch/v1', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'w' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template() } } } }, ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
];

const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: 'b' } };

describe('every user of the pod-spec view agrees on each kind', () => {
  test('the table covers exactly the kinds lib/ir knows', () => {
    expect(WORKLOADS.map(([kind]) => kind).sort()).toEqual(Object.keys(POD_TEMPLATE_PATHS).sort());
  });

  test.each(WORKLOADS)('%s (%s)', (kind, _apiVersion, obj, specPath) => {
    // GIVEN the IR view
    const view = podSpecOf(obj)!;
    expect(view.path).toEqual(specPath);
    expect(containersOf(view).map((c) => `${c.list}/${c.name}`)).toEqual(['initContainers/init', 'containers/app', 'ephemeralContainers/debug']);

    // THEN the graph finds the same pod spec, and draws the ephemeral container's read
    expect(isWorkloadKind(kind)).toBe(true);
    expect(podTemplateOf(obj)).toMatchObject({ spec: view.spec, specPath, labels: { app: 'web' } });
    const graph = buildGraph([obj, configMap]);
    expect(graph.edges.find((e) => e.to === 'ConfigMap/default/cfg')).toMatchObject({ relation: 'reads', missing: false });

    // AND the Pulumi ordering registers the ConfigMap first
    expect(dependenciesOf(obj, [obj, configMap])).toEqual([objectKey(configMap)]);

    // AND policy reads the ephemeral container at its place in this kind
    const report = checkObjects([obj], { rules: [findRule('image-latest-tag')!] });
    expect(report.findings.map((f) => f.field)).toEqual([formatFieldPath([...specPath, 'ephemeralContainers', 0, 'image'])]);

    // AND the API-server rules of the schema check look at the same pod spec
    const bad = structuredClone(obj);
    const badView = podSpecOf(bad)!;
    (badView.spec.containers as Record<string, unknown>[])[0].name = 'Bad_Name';
    const problems = apiRuleProblems(bad as unknown as Record<string, unknown>).map((p) => formatFieldPath(p.fieldPath));
    expect(problems).toContain(formatFieldPath([...specPath, 'containers', 0, 'name']));
  });

  test('a workload custom resource with spec.template.spec.containers is read by policy, graph and Pulumi ordering alike', () => {
    const rollout: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: template() } };
    expect(podSpecOf(rollout)?.path).toEqual(['spec', 'template', 'spec']);
    expect(podTemplateOf(rollout)?.specPath).toEqual(['spec', 'template', 'spec']);
    expect(dependenciesOf(rollout, [rollout, configMap])).toEqual([objectKey(configMap)]);
    expect(checkObjects([rollout], { rules: [findRule('image-latest-tag')!] }).findings).toHaveLength(1);
  });

  test('kinds without a pod spec: nobody finds one', () => {
    for (const o of [configMap, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { template: { spec: {} } } }] as KubeObject[]) {
      expect(podSpecOf(o)).toBeUndefined();
      expect(podTemplateOf(o)).toBeUndefined();
      expect(dependenciesOf(o, [o, configMap])).toEqual([]);
    }
  });
});

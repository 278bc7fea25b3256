/** Small charts for the Pulumi target tests, built from plain cdk8s ApiObjects. */
import { ApiObject, App, Chart } from 'cdk8s';

/** GIVEN a shop: Namespace, CRD + custom resource, ConfigMap, Secret, Deployment using both, LB Service. */
export function shopChart(): Chart {
  const app = new App();
  const chart = new Chart(app, 'shop');
  const ns = 'shop';
  // Declared out of rank order on purpose: the component must still register Namespace first.
  new ApiObject(chart, 'web', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'web', image: 'nginx:1.27',
            envFrom: [{ configMapRef: { name: 'web-config' } }],
            env: [{ name: 'SECRET_KEY_BASE', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'key' } } }],
          }],
        },
      },
    },
  });
  new ApiObject(chart, 'svc', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-service', namespace: ns },
    spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 4000 }], loadBalancerSourceRanges: ['0.0.0.0/0'] },
  });
  new ApiObject(chart, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: ns }, data: { RAILS_ENV: 'production' } });
  new ApiObject(chart, 'sec', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-secret', namespace: ns }, stringData: { key: 's3cr3t-value' } });
  new ApiObject(chart, 'ps', { apiVersion: 'example.dockyard.dev/v1', kind: 'PodService', metadata: { name: 'hello', namespace: ns }, spec: { image: 'nginx', port: 80 } });
  new ApiObject(chart, 'crd', {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'podservices.example.dockyard.dev' },
    spec: {
      group: 'example.dockyard.dev', scope: 'Namespaced',
      names: { kind: 'PodService', plural: 'podservices', singular: 'podservice' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return chart;
}

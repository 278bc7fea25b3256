import { App, Chart } from 'cdk8s';
import { PodServiceController, PodServiceResource } from '../../lib/metacontroller';

/**
 * Journey 6 in a cluster: the PodService CRD, its CompositeController and the webhook that serves
 * `renderPodService`, plus one PodService for `podservice.local` (apply the CRD first: see README).
 */
export function podserviceController(app: App): Chart {
  const chart = new Chart(app, 'podservice-controller');
  // `kind load docker-image dockyard-webhook:0.1.0` puts a locally built image in a kind cluster.
  const controller = new PodServiceController(chart, 'controller', { image: 'dockyard-webhook:0.1.0' });
  new PodServiceResource(chart, 'hello', { controller, namespace: 'default', image: 'nginx:1.27', port: 80, host: 'podservice.local' });
  return chart;
}

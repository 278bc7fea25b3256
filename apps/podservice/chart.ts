import { App, Chart } from 'cdk8s';
import { PodService } from '../../lib';

/** Journey 6: one PodService spec as a Pod, a Service and an Ingress for `podservice.local`. */
export function podservice(app: App): Chart {
  const chart = new Chart(app, 'podservice');
  new PodService(chart, 'hello', { image: 'nginx:1.27', port: 80, host: 'podservice.local' });
  return chart;
}

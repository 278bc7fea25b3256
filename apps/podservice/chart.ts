import { App, Chart } from 'cdk8s';
import { Policy, PodService } from '../../lib';

/** Journey 6: one PodService spec as a Pod, a Service and an Ingress for `podservice.local`. */
export function podservice(app: App): Chart {
  const chart = new Chart(app, 'podservice');
  const hello = new PodService(chart, 'hello', { image: 'nginx:1.27', port: 80, host: 'podservice.local' });
  Policy.suppress(hello, 'run-as-non-root', 'the nginx image starts its master process as root to bind port 80 and runs workers as the nginx user');
  return chart;
}

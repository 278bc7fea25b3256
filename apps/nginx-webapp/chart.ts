import { App, Chart } from 'cdk8s';
import { Policy, Probe, WebApp } from '../../lib';

/** Journey 1: `web-controller` keeping 2 nginx pods alive, and `web-service` on port 80 selecting them. */
export function nginxWebapp(app: App): Chart {
  const chart = new Chart(app, 'nginx-webapp');
  const web = new WebApp(chart, 'web', {
    image: 'nginx:1.27',
    port: 80,
    replicas: 2,
    workloadName: 'web-controller',
    serviceName: 'web-service',
    selector: { name: 'nginx' },
    readiness: Probe.http('/'),
    liveness: Probe.tcp(),
  });
  Policy.suppress(web, 'run-as-non-root', 'the nginx image starts its master process as root to bind port 80 and runs workers as the nginx user; nginxinc/nginx-unprivileged avoids it');
  return chart;
}

import { App, Chart } from 'cdk8s';
import { Probe, WebApp } from '../../lib';

/** Journey 1: `web-controller` keeping 2 nginx pods alive, and `web-service` on port 80 selecting them. */
export function nginxWebapp(app: App): Chart {
  const chart = new Chart(app, 'nginx-webapp');
  new WebApp(chart, 'web', {
    image: 'nginx:1.27',
    port: 80,
    replicas: 2,
    workloadName: 'web-controller',
    serviceName: 'web-service',
    selector: { name: 'nginx' },
    readiness: Probe.http('/'),
    liveness: Probe.tcp(),
  });
  return chart;
}

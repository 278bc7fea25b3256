import { App, Chart } from 'cdk8s';
import { AppConfig, EnvValue, Probe, WebApp } from '../../lib';

/**
 * Journey 4: a ConfigMap `site` with a `url` key, read by a busybox pod both as an env var and as a
 * file under /tmp (served by busybox httpd, so it can be fetched). The ConfigMap name carries a
 * content hash, so changing the url rolls the pod.
 */
export function configmapSite(app: App): Chart {
  const chart = new Chart(app, 'configmap-site');
  const site = AppConfig.fromLiterals(chart, 'site', { url: 'https://example.org/' });
  new WebApp(chart, 'site-reader', {
    image: 'busybox:1.36',
    workload: 'Pod',
    replicas: 1,
    port: 8080,
    env: { SITE_URL: EnvValue.fromConfig(site, 'url') },
    mounts: [{ path: '/tmp', source: site }],
    command: ['sh', '-c', 'echo "site is $(SITE_URL)"; exec httpd -f -p 8080 -h /tmp'],
    readiness: Probe.http('/url'),
    // busybox httpd needs no root on port 8080: run as nobody.
    security: { user: 65534, group: 65534, runAsNonRoot: true },
  });
  return chart;
}

'use strict';
// The benchmark app, written twice: with Dockyard's constructs and with cdk8s-plus-33.
// Each of the N web apps is a Deployment (2 replicas, nginx on 8080, small requests/limits, an HTTP
// readiness probe, non-root), a LoadBalancer Service 80 -> 8080, and a ConfigMap whose keys are env
// vars and files under /etc/config. Both variants emit three objects per app into one chart.

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** The ConfigMap data of app i (same for both variants). */
function configData(i) {
  return { GREETING: `hello from app ${i}`, LOG_LEVEL: 'info', UPSTREAM_URL: `http://backend-${i % 10}.example.org:8080/` };
}

/** Adds N web apps to a new chart of `app` with Dockyard's WebApp + AppConfig (`lib`: the built library, or its sources in tests). */
function buildDockyard(app, n, lib = require(path.join(ROOT, 'build', 'lib'))) {
  const { Chart } = require('cdk8s');
  const { AppConfig, Probe, WebApp } = lib;
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) {
    const config = AppConfig.fromLiterals(chart, `config-${i}`, configData(i));
    new WebApp(chart, `web-${i}`, {
      image: 'nginx:1.27',
      port: 8080,
      servicePort: 80,
      workload: 'Deployment',
      replicas: 2,
      config,
      readiness: Probe.http('/healthz'),
      security: { runAsNonRoot: true, user: 101 },
    });
  }
  return chart;
}

/** The same app with cdk8s-plus-33 (Deployment, exposeViaService, ConfigMap, Volume.fromConfigMap). */
function buildPlus(app, n) {
  const { Chart } = require('cdk8s');
  const kplus = require('cdk8s-plus-33');
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < n; i++) {
    const cm = new kplus.ConfigMap(chart, `config-${i}`, { data: configData(i) });
    const dep = new kplus.Deployment(chart, `web-${i}`, {
      replicas: 2,
      containers: [{
        name: `web-${i}`,
        image: 'nginx:1.27',
        portNumber: 8080,
        readiness: kplus.Probe.fromHttpGet('/healthz'),
        securityContext: { user: 101 },
        envFrom: [kplus.Env.fromConfigMap(cm)],
        volumeMounts: [{ path: '/etc/config', volume: kplus.Volume.fromConfigMap(chart, `volume-${i}`, cm) }],
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: require('cdk8s').Size.mebibytes(128), limit: require('cdk8s').Size.mebibytes(256) },
        },
      }],
    });
    dep.exposeViaService({ serviceType: kplus.ServiceType.LOAD_BALANCER, ports: [{ port: 80, targetPort: 8080 }] });
  }
  return chart;
}

module.exports = { ROOT, configData, buildDockyard, buildPlus };

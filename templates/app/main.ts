import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AppConfig, Probe, runSynth, WebApp } from 'dockyard';

/** The app's chart: a web server reading its settings from a ConfigMap. */
export class WebChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const settings = AppConfig.fromLiterals(this, 'settings', { GREETING: 'hello from {{name}}' });
    new WebApp(this, 'web', {
      image: 'nginxinc/nginx-unprivileged:1.27',
      port: 8080,
      servicePort: 80,
      config: settings,
      readiness: Probe.http('/'),
      // The unprivileged nginx image runs as user 101 and listens on 8080.
      security: { user: 101, runAsNonRoot: true },
    });
  }
}

/** Adds this project's charts to an app (`cdk8s synth` below, and `pulumi up` through Pulumi.yaml). */
export function build(app: App): Chart {
  return new WebChart(app, '{{name}}');
}

// `cdk8s synth` runs this file: validate everything, then write dist/{{name}}.k8s.yaml.
if (require.main === module) {
  runSynth(() => {
    const app = new App();
    build(app);
    return app;
  });
}

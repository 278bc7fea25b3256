import { App, Chart } from 'cdk8s';
import { AppSecret, EnvValue, Probe, WebApp } from '../../lib';

/**
 * Journey 2: a Rails app, 4 replicas behind a LoadBalancer 80 -> 4000. The database URL (password
 * included) and the secret key come from a Secret created outside the manifests (`kubectl create
 * secret generic rails-secrets ...`, or the Pulumi program from `pulumi config set --secret`), so no
 * value is ever written to dist/.
 */
export function railsGke(app: App): Chart {
  const chart = new Chart(app, 'rails-gke');
  const secrets = AppSecret.fromExisting(chart, 'secrets', 'rails-secrets', ['DATABASE_URL', 'SECRET_KEY_BASE']);
  new WebApp(chart, 'rails', {
    image: 'example/rails-app:1.0.0',
    port: 4000,
    servicePort: 80,
    replicas: 4,
    command: ['passenger', 'start', '-p', '4000', '-e', 'production'],
    env: {
      RAILS_ENV: 'production',
      DATABASE_URL: EnvValue.fromSecret(secrets, 'DATABASE_URL'),
      SECRET_KEY_BASE: EnvValue.fromSecret(secrets, 'SECRET_KEY_BASE'),
    },
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } },
    readiness: Probe.http('/', { initialDelaySeconds: 10 }),
    liveness: Probe.tcp({ initialDelaySeconds: 30 }),
    // Passenger serves on 4000 as the image's app user.
    security: { user: 1000, group: 1000, runAsNonRoot: true },
  });
  return chart;
}

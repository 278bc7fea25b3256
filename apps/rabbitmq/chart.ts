import { App, Chart } from 'cdk8s';
import { AppConfig, AppSecret, EnvValue, Namespace, Policy, Probe, WebApp } from '../../lib';

/**
 * Journey 3: RabbitMQ as an integration-test dependency, in its own namespace: a hostname, user /
 * password / vhost, AMQP on 5672 and the management UI on 15672.
 */
export function rabbitmq(app: App): Chart {
  const chart = new Chart(app, 'rabbitmq', { namespace: 'integration' });
  new Namespace(chart, 'integration');
  const settings = AppConfig.fromLiterals(chart, 'rabbitmq-settings', { RABBITMQ_DEFAULT_USER: 'app', RABBITMQ_DEFAULT_VHOST: 'tests' });
  // A throwaway password for a local test broker; set RABBITMQ_PASSWORD to use your own.
  const auth = AppSecret.fromLiterals(chart, 'rabbitmq-auth', { RABBITMQ_DEFAULT_PASS: process.env.RABBITMQ_PASSWORD ?? 'local-test-only' });
  const broker = new WebApp(chart, 'rabbitmq', {
    image: 'rabbitmq:3.8-management',
    workload: 'Deployment',
    replicas: 1,
    hostname: 'my-rabbit',
    port: 5672,
    additionalPorts: [{ containerPort: 15672, name: 'management' }],
    envFrom: [{ source: settings }],
    env: { RABBITMQ_DEFAULT_PASS: EnvValue.fromSecret(auth, 'RABBITMQ_DEFAULT_PASS') },
    resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
    readiness: Probe.tcp({ initialDelaySeconds: 10 }),
    liveness: Probe.tcp({ initialDelaySeconds: 30, periodSeconds: 30 }),
  });
  Policy.suppress(broker, 'run-as-non-root', 'the rabbitmq image entrypoint starts as root to fix data-folder ownership, then drops to the rabbitmq user');
  return chart;
}

/** Test models for the Docker integration tests, parameterised so a test can change one thing. */
export interface WebModel {
  /** ConfigMap value read as env and as the page. */
  greeting: string;
  /** Deployment replicas. */
  replicas: number;
  /** Published LoadBalancer port on 127.0.0.1. */
  port: number;
  /** Image. */
  image?: string;
  /** Extra objects appended as YAML. */
  extra?: string;
  /** terminationGracePeriodSeconds (busybox httpd as PID 1 ignores SIGTERM: every stop takes all of it). */
  grace?: number;
  /** Deployment spec.strategy, as YAML flow text. */
  strategy?: string;
}

/**
 * A ConfigMap (env + page), a Secret (file), a Deployment of busybox httpd whose replicas each write
 * their hostname to /www/host.txt at start (so tests can see the spreading), and a LoadBalancer Service.
 */
export function webModel(m: WebModel): string {
  return `apiVersion: v1
kind: ConfigMap
metadata: { name: web-config }
data:
  GREETING: ${JSON.stringify(m.greeting)}
  index.html: ${JSON.stringify(`<h1>${m.greeting}</h1>`)}
---
apiVersion: v1
kind: Secret
metadata: { name: web-secret }
stringData: { token: s3cret }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${m.replicas}${m.strategy ? `\n  strategy: ${m.strategy}` : ''}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: ${m.grace ?? 1}
      containers:
        - name: web
          image: ${m.image ?? 'dockyard-test/busybox:1'}
          command: [sh, -c, 'hostname > /www/host.txt && exec httpd -f -p $(PORT) -h /www']
          ports: [{ containerPort: 8080, name: http }]
          env:
            - { name: PORT, value: "8080" }
            - { name: GREETING, valueFrom: { configMapKeyRef: { name: web-config, key: GREETING } } }
            - { name: MESSAGE, value: "$(GREETING) world" }
          volumeMounts:
            - { name: page, mountPath: /www }
            - { name: secret, mountPath: /etc/secret, readOnly: true }
          resources: { limits: { memory: 32Mi, cpu: 250m } }
          readinessProbe: { httpGet: { path: /, port: http }, periodSeconds: 1 }
      volumes:
        - { name: page, configMap: { name: web-config, items: [{ key: index.html, path: index.html }] } }
        - { name: secret, secret: { secretName: web-secret } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: ${m.port}, targetPort: http }]
${m.extra ? `---\n${m.extra}` : ''}`;
}

import * as http from 'node:http';
import * as net from 'node:net';

/** One complete HTTP answer. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** Sends one request to 127.0.0.1:port (a new connection, no keep-alive) and reads the whole answer. */
export function request(port: number, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs a JSON value (or raw text) with Content-Type application/json. */
export function post(port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return request(port, 'POST', path, text, { 'content-type': 'application/json', ...headers });
}

/** Writes raw bytes on a TCP connection and resolves with everything the server sent back. */
export function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

/** A PodService parent as Metacontroller sends it. */
export function parent(spec: Record<string, unknown> = { image: 'nginx:1.27', port: 80, host: 'podservice.local' }, name = 'web', namespace = 'default'): any {
  return {
    apiVersion: 'dockyard.io/v1alpha1',
    kind: 'PodService',
    metadata: { name, namespace, uid: '0b6c1c4e-7d5f-4a55-9a43-3f6b6d2f0c11', generation: 3 },
    spec,
  };
}

/** A CompositeController as Metacontroller sends it, with a hook version. */
export function controller(version: 'v1' | 'v2'): any {
  const hook = (p: string) => ({ version, webhook: { url: `http://podservice-controller.metacontroller${p}` } });
  return { apiVersion: 'metacontroller.k8s.io/v1alpha1', kind: 'CompositeController', metadata: { name: 'podservice-controller' }, spec: { hooks: { sync: hook('/sync'), finalize: hook('/finalize') } } };
}

/** Observed children of `web` in `default`: a Ready Pod, a Service with a cluster IP, an Ingress with an address. */
export function observed(keyOf: (name: string) => string): any {
  const meta = { name: 'web', namespace: 'default', labels: { app: 'web' } };
  return {
    'Pod.v1': { [keyOf('web')]: { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: {}, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } },
    'Service.v1': { [keyOf('web')]: { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { clusterIP: '10.96.12.34' } } },
    'Ingress.networking.k8s.io/v1': { [keyOf('web')]: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta, status: { loadBalancer: { ingress: [{ hostname: 'localhost' }] } } } },
  };
}

/** Children as Metacontroller sends them when none exist yet. */
export const NO_CHILDREN = { 'Pod.v1': {}, 'Service.v1': {}, 'Ingress.networking.k8s.io/v1': {} };

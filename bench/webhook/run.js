#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:webhook`: requests/s and latency percentiles of POST /sync against one
 * `dockyard webhook podservice` process on loopback (logging on, as in a cluster).
 *
 * The load generator is a few lines over raw keep-alive TCP sockets instead of autocannon: it
 * keeps the lockfile free of a benchmark-only dependency tree, and a minimal client leaves more of
 * the 2 cores to the server. Each connection sends one request at a time (no pipelining), like
 * Metacontroller's HTTP client. Not part of `npm test`.
 *
 * Options: --connections N[,N...] (4,16), --seconds S (5), --warmup S (2), --json.
 */
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt; };
const connIndex = args.indexOf('--connections');
const CONNECTIONS = (connIndex >= 0 ? args[connIndex + 1] : '4,16').split(',').map(Number);
const SECONDS = opt('seconds', 5);
const WARMUP = opt('warmup', 2);
const JSON_OUT = args.includes('--json');

const parent = { apiVersion: 'dockyard.io/v1alpha1', kind: 'PodService', metadata: { name: 'web', namespace: 'default', uid: '0b6c1c4e-7d5f-4a55-9a43-3f6b6d2f0c11', generation: 1 }, spec: { image: 'nginx:1.27', port: 80, host: 'podservice.local' } };
const meta = { name: 'web', namespace: 'default', labels: { app: 'web', 'dockyard.io/podservice': 'web' } };
const observed = {
  'Pod.v1': { web: { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } },
  'Service.v1': { web: { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { clusterIP: '10.96.12.34', ports: [{ port: 80 }] } } },
  'Ingress.networking.k8s.io/v1': { web: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta, status: { loadBalancer: { ingress: [{ hostname: 'localhost' }] } } } },
};
const SCENARIOS = [
  { name: 'sync, 3 observed children (steady state)', body: { parent, children: observed, finalizing: false } },
  { name: 'sync, new parent (no children yet)', body: { parent, children: { 'Pod.v1': {}, 'Service.v1': {}, 'Ingress.networking.k8s.io/v1': {} }, finalizing: false } },
];

function startServer() {
  const bin = path.join(__dirname, '..', '..', 'bin', 'dockyard.js');
  const child = spawn(process.execPath, [bin, 'webhook', 'podservice', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const onData = (c) => {
      err += c;
      const m = /"msg":"listening".*?"port":(\d+)/.exec(err);
      if (m) { child.stderr.off('data', onData); child.stderr.resume(); resolve({ child, port: Number(m[1]) }); }
    };
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`webhook exited with ${code}: ${err}`)));
  });
}

/** One keep-alive connection sending `request` back to back; calls onDone(latencyNs, status). */
function connection(port, request, onDone, shouldStop) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let sent = 0n;
    const send = () => { if (shouldStop()) { socket.end(); return; } sent = process.hrtime.bigint(); socket.write(request); };
    socket.on('connect', send);
    socket.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        const headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buf.subarray(0, headEnd).toString('latin1');
        const m = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!m) { reject(new Error(`no content-length in ${head}`)); socket.destroy(); return; }
        const total = headEnd + 4 + Number(m[1]);
        if (buf.length < total) return;
        onDone(process.hrtime.bigint() - sent, Number(head.slice(9, 12)));
        buf = buf.subarray(total);
        send();
      }
    });
    socket.on('error', reject);
    socket.on('close', resolve);
  });
}

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid) {
  try {
    const fields = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function run(port, pid, scenario, connections) {
  const body = Buffer.from(JSON.stringify(scenario.body));
  const request = Buffer.concat([Buffer.from(`POST /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  const latencies = [];
  const statuses = {};
  let measuring = false;
  let stop = false;
  const onDone = (ns, status) => {
    if (!measuring) return;
    latencies.push(Number(ns) / 1e6);
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const conns = Array.from({ length: connections }, () => connection(port, request, onDone, () => stop));
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  measuring = true;
  const cpu0 = cpuMs(pid);
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const cpu1 = cpuMs(pid);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  stop = true;
  await Promise.all(conns);
  latencies.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    scenario: scenario.name,
    connections,
    seconds: round(elapsed),
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    latencyMs: { p50: round(percentile(latencies, 50)), p90: round(percentile(latencies, 90)), p99: round(percentile(latencies, 99)), max: round(latencies[latencies.length - 1]) },
    statuses,
    bodyBytes: body.length,
    // Server CPU per request: less sensitive than req/s to whatever else runs on the machine.
    serverCpuUsPerRequest: cpu0 === undefined || cpu1 === undefined ? undefined : Math.round(((cpu1 - cpu0) * 1000) / latencies.length),
  };
}

(async () => {
  const { child, port } = await startServer();
  const results = [];
  try {
    for (const c of CONNECTIONS) for (const s of SCENARIOS) results.push(await run(port, child.pid, s, c));
  } finally {
    child.kill('SIGTERM');
  }
  if (JSON_OUT) { console.log(JSON.stringify(results, null, 2)); return; }
  console.log(`webhook benchmark: one server process, ${CONNECTIONS.join(' then ')} keep-alive connections on loopback, ${SECONDS} s per run after ${WARMUP} s warm-up (node ${process.version}, ${require('node:os').cpus().length} cores shared by client and server)`);
  for (const r of results) {
    const bad = Object.entries(r.statuses).filter(([s]) => s !== '200');
    console.log(`  ${String(r.connections).padStart(3)} conn  ${r.scenario.padEnd(42)} ${String(r.requestsPerSecond).padStart(6)} req/s   p50 ${r.latencyMs.p50} ms   p90 ${r.latencyMs.p90} ms   p99 ${r.latencyMs.p99} ms   max ${r.latencyMs.max} ms   server CPU ${r.serverCpuUsPerRequest ?? '?'} µs/req   (${r.requests} requests${bad.length ? `, non-200: ${JSON.stringify(Object.fromEntries(bad))}` : ''})`);
  }
  const met = results.filter((r) => r.requestsPerSecond >= 5000 && r.latencyMs.p99 < 5).map((r) => `${r.connections} conn ${r.scenario.split(',')[1].trim()}`);
  console.log(`  aim (>= 5,000 req/s at p99 < 5 ms) met by: ${met.length ? met.join('; ') : 'none'}; load average now ${require('node:os').loadavg()[0].toFixed(1)} (figures are only comparable on an idle machine)`);
})().catch((e) => { console.error(e); process.exit(1); });

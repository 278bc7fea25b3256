#!/usr/bin/env node
/**
 * `npm run bench:docker`: the Docker target side by side with its peers on the same engine and local
 * images, fresh CLI processes each time, medians over BENCH_RUNS runs (default 3):
 *
 *  1. rolling change: one env var of a 3-replica Deployment whose process ignores SIGTERM (busybox
 *     httpd as PID 1, grace 10 s), published through the relay, vs docker-compose 1.29 recreating 3
 *     equal services (stop_grace_period 10s); a request loop on 127.0.0.1 counts failed requests
 *     during each (compose: the first service's port);
 *  2. first deploy of 12 one-replica services vs the floor: the same network and 12 containers
 *     created and started concurrently through the Engine API directly (from this process, warm),
 *     and vs docker-compose `up -d` of the same 12 services;
 *  3. no-op re-deploy: wall time (median of NOOP_RUNS fresh CLI processes), and containers touched (ids
 *     and start times compared), next to a bare `node -e ''` start, the floor of any CLI process here.
 *
 * Needs DOCKER_HOST (bash scripts/docker-engine.sh), the test image (bash scripts/test-images.sh),
 * docker-compose and build/. Publishes only on 127.0.0.1.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'bin/dockyard.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IMAGE = 'dockyard-test/busybox:1';
const GRACE = 10;
const ROLL_PORT = 18491;
const COMPOSE_ROLL_PORT = 18492;
const N = 12;
const NOOP_RUNS = 5;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dockyard-bench-'));
const socketPath = new URL(process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').pathname;

function run(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd: work });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${err}${out}`));
      else resolve({ ms, out });
    });
  });
}

function api(method, p, body) {
  return new Promise((resolve, reject) => {
    const payload = body ? Buffer.from(JSON.stringify(body)) : undefined;
    const req = http.request({ socketPath, path: p, method, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {} }, (res) => {
      let t = '';
      res.on('data', (c) => { t += c; });
      res.on('end', () => (res.statusCode >= 300 && res.statusCode !== 304 ? reject(new Error(`${method} ${p}: ${res.statusCode} ${t}`)) : resolve(t ? JSON.parse(t) : undefined)));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sequential GETs until stopped; returns [ok, failed]. */
function traffic(port) {
  let on = true;
  let ok = 0;
  let failed = 0;
  const loop = (async () => {
    while (on) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5000) });
        await res.text();
        if (res.ok) ok++; else failed++;
      } catch { failed++; await new Promise((r) => setTimeout(r, 20)); }
    }
  })();
  return async () => { on = false; await loop; return { ok, failed }; };
}

const flags = (project) => ['--docker', '--project', project, '--publish-address', '127.0.0.1', '--proxy-image', IMAGE, '--no-pull'];
const dockyard = async (args) => { const r = await run(process.execPath, [CLI, ...args]); return { ms: r.ms, doc: args.includes('--json') ? JSON.parse(r.out) : undefined }; };
const compose = (project, file, args, env) => run('docker-compose', ['-p', project, '-f', file, ...args], env);

function rollingManifest(version) {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: ${GRACE}
      containers:
        - { name: web, image: "${IMAGE}", command: [httpd, -f, -p, "80", -h, /www], env: [{ name: VERSION, value: "${version}" }], ports: [{ containerPort: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: ${ROLL_PORT}, targetPort: 80 }] }
`;
}

function rollingCompose() {
  const svc = (i) => `  web${i}:
    image: ${IMAGE}
    command: ["httpd", "-f", "-p", "80", "-h", "/www"]
    environment: { VERSION: "\${VERSION:-1}" }
    stop_grace_period: ${GRACE}s
${i === 1 ? `    ports: ["127.0.0.1:${COMPOSE_ROLL_PORT}:80"]\n` : ''}`;
  return `version: "3.7"\nservices:\n${[1, 2, 3].map(svc).join('')}`;
}

function manyManifest() {
  return Array.from({ length: N }, (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: s${i + 1} }
spec:
  selector: { matchLabels: { app: s${i + 1} } }
  template:
    metadata: { labels: { app: s${i + 1} } }
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{ name: s, image: "${IMAGE}", command: [httpd, -f, -p, "80", -h, /www], ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: s${i + 1} }
spec: { selector: { app: s${i + 1} }, ports: [{ port: 80 }] }
`).join('---\n');
}

function manyCompose() {
  return `version: "3.7"\nservices:\n${Array.from({ length: N }, (_, i) => `  s${i + 1}:\n    image: ${IMAGE}\n    command: ["httpd", "-f", "-p", "80", "-h", "/www"]\n    stop_grace_period: 1s\n`).join('')}`;
}

/** The floor: network + 12 containers created and started concurrently over the Engine API. */
async function floor() {
  const net = 'benchfloor';
  const t0 = process.hrtime.bigint();
  await api('POST', '/networks/create', { Name: net, Driver: 'bridge', CheckDuplicate: true, Labels: { bench: 'floor' } });
  await Promise.all(Array.from({ length: N }, async (_, i) => {
    const r = await api('POST', `/containers/create?name=benchfloor-s${i + 1}-1`, { Image: IMAGE, Entrypoint: ['httpd', '-f', '-p', '80', '-h', '/www'], Labels: { bench: 'floor' }, HostConfig: { NetworkMode: net, RestartPolicy: { Name: 'always' } }, NetworkingConfig: { EndpointsConfig: { [net]: { Aliases: [`s${i + 1}`] } } } });
    await api('POST', `/containers/${r.Id}/start`);
  }));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const list = await api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: ['bench=floor'] }))}`);
  await Promise.all(list.map((c) => api('DELETE', `/containers/${c.Id}?force=true`)));
  await api('DELETE', `/networks/${net}`).catch(() => undefined);
  return ms;
}

async function containersOf(project) {
  const list = await api('GET', `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [`dev.dockyard.project=${project}`] }))}`);
  const out = {};
  for (const c of list) out[c.Id] = (await api('GET', `/containers/${c.Id}/json`)).State.StartedAt;
  return out;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  for (const [cmd, args] of [['docker', ['info']], ['docker-compose', ['version']]]) {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) { console.error(`bench:docker needs ${cmd} and a running engine (eval "$(bash scripts/docker-engine.sh | tail -1)"): ${r.stderr || r.error}`); process.exit(1); }
  }
  if (!fs.existsSync(path.join(ROOT, 'build/lib/cli/main.js'))) { console.error('bench:docker needs build/: npm run build'); process.exit(1); }
  const rollDir = path.join(work, 'roll'); fs.mkdirSync(rollDir);
  const manyDir = path.join(work, 'many'); fs.mkdirSync(manyDir);
  fs.writeFileSync(path.join(work, 'roll.compose.yaml'), rollingCompose());
  fs.writeFileSync(path.join(work, 'many.compose.yaml'), manyCompose());
  fs.writeFileSync(path.join(manyDir, 'app.yaml'), manyManifest());
  const clean = async () => {
    for (const p of ['benchroll', 'benchmany']) await dockyard(['destroy', '--docker', '--project', p, '--volumes', '--quiet', '--stop-timeout', '0']).catch(() => undefined);
    for (const [p, f] of [['benchcroll', 'roll.compose.yaml'], ['benchcmany', 'many.compose.yaml']]) await compose(p, path.join(work, f), ['down', '-t', '0']).catch(() => undefined);
  };
  await clean();
  const r = { roll: [], rollFailed: [], rollOk: [], croll: [], crollFailed: [], first: [], firstEngine: [], floor: [], cfirst: [], noop: [], node: [], touched: [] };
  for (let i = 0; i < RUNS; i++) {
    // 1. rolling change
    fs.writeFileSync(path.join(rollDir, 'app.yaml'), rollingManifest(1));
    await dockyard(['deploy', ...flags('benchroll'), '--wait', rollDir]);
    fs.writeFileSync(path.join(rollDir, 'app.yaml'), rollingManifest(2));
    let stop = traffic(ROLL_PORT);
    const roll = await dockyard(['deploy', ...flags('benchroll'), '--json', rollDir]);
    let t = await stop();
    r.roll.push(roll.ms); r.rollFailed.push(t.failed); r.rollOk.push(t.ok);
    await compose('benchcroll', path.join(work, 'roll.compose.yaml'), ['up', '-d'], { VERSION: '1' });
    await new Promise((res) => setTimeout(res, 500));
    stop = traffic(COMPOSE_ROLL_PORT);
    r.croll.push((await compose('benchcroll', path.join(work, 'roll.compose.yaml'), ['up', '-d'], { VERSION: '2' })).ms);
    t = await stop();
    r.crollFailed.push(t.failed);
    // 2. first deploy of 12 services, the floor, and compose
    r.floor.push(await floor());
    const first = await dockyard(['deploy', ...flags('benchmany'), '--json', manyDir]);
    r.first.push(first.ms); r.firstEngine.push(first.doc.durationMs);
    r.cfirst.push((await compose('benchcmany', path.join(work, 'many.compose.yaml'), ['up', '-d'])).ms);
    // 3. no-op
    const before = await containersOf('benchmany');
    const noops = [];
    const starts = [];
    for (let j = 0; j < NOOP_RUNS; j++) {
      noops.push(await dockyard(['deploy', ...flags('benchmany'), '--json', manyDir]));
      starts.push((await run(process.execPath, ['-e', ''])).ms);
    }
    const after = await containersOf('benchmany');
    r.noop.push(median(noops.map((n) => n.ms)));
    r.node.push(median(starts));
    r.touched.push(noops.reduce((sum, n) => sum + n.doc.changes.length, 0) + Object.keys({ ...before, ...after }).filter((id) => before[id] !== after[id]).length);
    await clean();
    process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
  }
  const m = (k) => median(r[k]);
  console.log(`\nbench:docker — ${RUNS} runs, medians (engine: ${process.env.DOCKER_HOST ?? 'default'}, load ${os.loadavg()[0].toFixed(1)})\n`);
  console.log(`1. rolling env change, 3 replicas, SIGTERM ignored, grace ${GRACE}s`);
  console.log(`   dockyard deploy (surge)        ${sec(m('roll'))}   failed requests ${JSON.stringify(r.rollFailed)} of ${JSON.stringify(r.rollOk.map((x, j) => x + r.rollFailed[j]))}`);
  console.log(`   docker-compose up -d (recreate) ${sec(m('croll'))}   failed requests ${JSON.stringify(r.crollFailed)}   ratio ${(m('roll') / m('croll')).toFixed(2)}`);
  console.log(`2. first deploy, ${N} one-replica services`);
  console.log(`   floor (Engine API, concurrent) ${sec(m('floor'))}`);
  console.log(`   dockyard deploy, CLI wall      ${sec(m('first'))}   ratio to floor ${(m('first') / m('floor')).toFixed(2)}`);
  console.log(`   dockyard deploy, reconcile     ${sec(m('firstEngine'))}   ratio to floor ${(m('firstEngine') / m('floor')).toFixed(2)}`);
  console.log(`   docker-compose up -d           ${sec(m('cfirst'))}   dockyard/compose ${(m('first') / m('cfirst')).toFixed(2)}`);
  console.log(`3. no-op re-deploy                ${sec(m('noop'))}   containers touched ${JSON.stringify(r.touched)}   bare node start ${sec(m('node'))}`);
  console.log(JSON.stringify({ bench: 'docker', runs: RUNS, medians: Object.fromEntries(Object.keys(r).map((k) => [k, Math.round(m(k))])), raw: r }));
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });

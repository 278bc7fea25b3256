'use strict';
// Writes a compose project of N services for the convert benchmark: every service has an image, a
// published port, environment, a health check, a named volume and depends_on its predecessor, so
// every stage (loader, interpolation, model, mapping, render, policy) sees N of each.
const fs = require('node:fs');
const path = require('node:path');

/** Writes `<dir>/compose.yaml` (and `.env`) with `n` services; returns the compose file path. */
function writeProject(dir, n) {
  fs.mkdirSync(dir, { recursive: true });
  const lines = ['name: bench', 'services:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  svc${i}:`,
      '    image: "example/app:${TAG:-1.0}"',
      '    restart: unless-stopped',
      `    ports: ["${10000 + (i % 50000)}:8080"]`,
      '    environment:',
      `      INDEX: "${i}"`,
      '      LOG_LEVEL: "${LOG_LEVEL:-info}"',
      '    healthcheck: {test: ["CMD", "wget", "-q", "-O-", "http://localhost:8080/health"], interval: 10s, retries: 3}',
      `    volumes: ["data${i}:/data"]`,
      ...(i > 0 ? [`    depends_on: [svc${i - 1}]`] : []),
      '    deploy: {resources: {limits: {cpus: "0.5", memory: 256M}, reservations: {cpus: "0.1", memory: 64M}}}',
    );
  }
  lines.push('volumes:');
  for (let i = 0; i < n; i++) lines.push(`  data${i}: {}`);
  const file = path.join(dir, 'compose.yaml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, '.env'), 'TAG=1.2\n');
  return file;
}

module.exports = { writeProject };
if (require.main === module) console.log(writeProject(process.argv[2], Number(process.argv[3] ?? 1000)));

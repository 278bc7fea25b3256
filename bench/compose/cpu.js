'use strict';
// Preloaded into each measured `dockyard convert` process (node -r): at exit it writes the process's
// own CPU time (user + system, ms) to $DOCKYARD_BENCH_CPU_FILE. CPU time is what the conversion costs
// even when a shared machine hands it only part of a core.
const fs = require('node:fs');

process.on('exit', () => {
  const u = process.cpuUsage();
  if (process.env.DOCKYARD_BENCH_CPU_FILE) fs.writeFileSync(process.env.DOCKYARD_BENCH_CPU_FILE, String((u.user + u.system) / 1000));
});

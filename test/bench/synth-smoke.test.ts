import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// CI runs the synth benchmark only in smoke mode (N=10, one run) and checks that it reports; there
// are no timing assertions (timings depend on the machine). It runs from build/ like `npm run bench`.
const root = path.join(__dirname, '..', '..');
const built = fs.existsSync(path.join(root, 'build', 'lib', 'index.js'));

(built ? test : test.skip)('npm run bench -- --smoke prints the measurements and both ratio lines', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'bench', 'run.js'), '--smoke'], { cwd: root, encoding: 'utf8', timeout: 120000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/N = 10 web apps \(30 objects\)/);
  for (const v of ['Dockyard', 'cdk8s-plus-33', 'floor \\(js-yaml\\)']) expect(r.stdout).toMatch(new RegExp(`\\n  ${v} +\\d`));
  expect(r.stdout).toMatch(/ratio N=10 fresh process: Dockyard\/cdk8s-plus = \d+\.\d\dx wall, \d+\.\d\dx CPU \(aim <= 0\.8\)/);
  expect(r.stdout).toMatch(/ratio N=10: Dockyard\/floor = \d+\.\d\dx wall, \d+\.\d\dx CPU/);
});

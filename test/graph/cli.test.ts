import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';
import { CliIo } from '../../lib/cli/command';

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = ''; let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: () => stdin, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

const APP = [
  'apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec:', '  selector: {app: web}', '  ports: [{port: 80}]', '---',
  'apiVersion: v1', 'kind: Pod', 'metadata: {name: web, labels: {app: web}}', 'spec:', '  containers:', '  - name: web', '    image: nginx:1.27',
  '    envFrom: [{secretRef: {name: web-secrets}}]',
].join('\n');

describe('dockyard graph', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-'));
  const file = path.join(dir, 'app.yaml');
  fs.writeFileSync(file, APP);

  test('GIVEN a manifest THEN Mermaid on stdout, the missing Secret as a warning on stderr with file:line, exit 0', async () => {
    const r = await run(['graph', file]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('flowchart LR\n')).toBe(true);
    expect(r.out).toContain('  n_Service_default_web --> n_Pod_default_web\n');
    expect(r.out).toContain('  n_Pod_default_web -.->|"envFrom"| n_Secret_default_web_secrets\n');
    expect(r.err).toBe(`warning: [${file}:15] Pod/default/web reads Secret "web-secrets", which is not in the given manifests (drawn dashed). Fix: create Secret web-secrets in namespace default before deploying (e.g. with kubectl), or add it to the manifests\n`);
  });

  test('GIVEN stdin and --format dot -o FILE THEN DOT in the file and a summary on stderr', async () => {
    const out = path.join(dir, 'app.dot');
    const r = await run(['graph', '--format', 'dot', '-o', out, '-'], APP);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain('"Service/default/web" -> "Pod/default/web";');
    expect(r.err).toContain(`wrote ${out}: 3 node(s), 2 edge(s), 1 warning(s)\n`);
  });

  test('GIVEN --svg FILE THEN an SVG file naming the objects', async () => {
    const out = path.join(dir, 'app.svg');
    const r = await run(['graph', '--svg', out, file]);
    expect(r.code).toBe(0);
    const svg = fs.readFileSync(out, 'utf8').replace(/&#45;/g, '-'); // Graphviz writes - as &#45;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>web-secrets</text>');
  });

  test('GIVEN invalid input or flags THEN exit 1 with the fix', async () => {
    expect(await run(['graph', '--format', 'png', file])).toMatchObject({ code: 1, err: 'dockyard graph: [--format] unknown format "png". Fix: use --format mermaid or --format dot; for a picture use --svg FILE or --png FILE\n' });
    expect((await run(['graph', '--svg', 'a.svg', '--png', 'a.png', file])).code).toBe(1);
    const bad = await run(['graph', '-'], 'kind: Pod\n');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('[-:1] object has no apiVersion');
    expect((await run(['graph', path.join(dir, 'nope.yaml')])).err).toContain('no such file or folder');
  });
});

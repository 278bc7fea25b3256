import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { AppConfig, AppSecret, EnvValue, Namespace, PodService, Probe, WebApp } from '../../../lib/constructs';
import { isUserError } from '../../../lib/core/errors';
import { synthApp } from '../../../lib/pipeline/synth';
import { Policy, policySynthCheck } from '../../../lib/policy/policy';
import { CaseHeader, CaseOutcome, CorpusRunner } from './types';

/**
 * Construct-props cases, as data: `{ chart?, before?: [{type, id, props, args?}], construct, id?, props, args?,
 * suppress?: [{rule, reason}] }`.
 * Inside props, `{ ref: id }` is a construct made in `before`, and `{ fromConfig: [id, key] }` /
 * `{ fromSecret: [id, key] }` are env values, `{ probeHttp: [path, opts] }`, `{ probeTcp: opts }` and
 * `{ probeExec: [cmd, opts] }` are probes, and `{ fixture: name }` is a file of `props/fixtures/`. The app is synthesized with the policy check into a
 * folder that already holds a good output, which must be left byte-identical.
 */
interface PropsCase {
  readonly chart?: { namespace?: string };
  readonly before?: { type: string; id: string; props?: Record<string, unknown>; args?: unknown[] }[];
  readonly construct: string;
  readonly id?: string;
  readonly props: Record<string, unknown>;
  readonly args?: unknown[];
  /** `Policy.suppress(subject, rule, reason)` calls made after the subject is built. */
  readonly suppress?: { rule: string; reason: string }[];
}

type Factory = (scope: Construct, id: string, props: any, args: unknown[]) => Construct;
const FACTORIES: Record<string, Factory> = {
  WebApp: (s, id, p) => new WebApp(s, id, p),
  AppConfig: (s, id, p) => new AppConfig(s, id, p),
  AppSecret: (s, id, p) => new AppSecret(s, id, p),
  Namespace: (s, id, p) => new Namespace(s, id, p),
  PodService: (s, id, p) => new PodService(s, id, p),
  'AppConfig.fromFile': (s, id, p, a) => AppConfig.fromFile(s, id, String(a[0]), p),
  'AppConfig.fromEnvFile': (s, id, p, a) => AppConfig.fromEnvFile(s, id, String(a[0]), p),
  'AppConfig.fromDirectory': (s, id, p, a) => AppConfig.fromDirectory(s, id, String(a[0]), p),
  'AppSecret.fromExisting': (s, id, p, a) => AppSecret.fromExisting(s, id, String(a[0]), a[1] as string[], p),
};

function resolve(v: unknown, made: Map<string, Construct>, dir: string): unknown {
  if (Array.isArray(v)) return v.map((x) => resolve(x, made, dir));
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const get = (id: unknown) => { const c = made.get(String(id)); if (!c) throw new Error(`case refers to unknown construct "${String(id)}"`); return c as any; };
  if ('ref' in o) return get(o.ref);
  if ('fromConfig' in o) { const [id, key] = o.fromConfig as [string, string]; return EnvValue.fromConfig(get(id), key); }
  if ('fromSecret' in o) { const [id, key] = o.fromSecret as [string, string]; return EnvValue.fromSecret(get(id), key); }
  if ('probeHttp' in o) { const [p, opts] = o.probeHttp as [string, any]; return Probe.http(p, opts); }
  if ('probeTcp' in o) return Probe.tcp(o.probeTcp as any);
  if ('probeExec' in o) { const [cmd, opts] = o.probeExec as [string[], any]; return Probe.exec(cmd, opts); }
  // Fixture files are named relative to the current folder, as a user would write them.
  if ('fixture' in o) return path.relative(process.cwd(), path.join(dir, 'fixtures', String(o.fixture)));
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x, made, dir)]));
}

function snapshot(dir: string): string {
  if (!fs.existsSync(dir)) return '<none>';
  return fs.readdirSync(dir).sort().map((f) => `${f}\n${fs.readFileSync(path.join(dir, f), 'utf8')}`).join('\n---\n');
}

/** A folder holding the output of a known-good app, to prove a failed synth leaves it alone. */
function goodOutput(): string {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-')), 'dist');
  const app = new App();
  new WebApp(new Chart(app, 'test'), 'subject', { image: 'nginx:1.27', port: 80 });
  synthApp(app, { outdir, policy: false, checks: [policySynthCheck({ log: () => undefined })] });
  return outdir;
}

export const propsRunner: CorpusRunner = {
  extensions: ['.yaml'],
  async run(file: string, header: CaseHeader): Promise<CaseOutcome> {
    const spec = parse(fs.readFileSync(file, 'utf8')) as PropsCase;
    const outdir = goodOutput();
    const before = snapshot(outdir);
    const id = spec.id ?? 'subject';
    let refused = false; let text = '';
    try {
      const app = new App();
      const chart = new Chart(app, 'test', spec.chart ?? {});
      const made = new Map<string, Construct>();
      for (const b of spec.before ?? []) {
        const f = FACTORIES[b.type];
        if (!f) throw new Error(`unknown construct type ${b.type}`);
        made.set(b.id, f(chart, b.id, resolve(b.props ?? {}, made, path.dirname(file)), resolve(b.args ?? [], made, path.dirname(file)) as unknown[]));
      }
      const f = FACTORIES[spec.construct];
      if (!f) throw new Error(`unknown construct type ${spec.construct}`);
      const subject = f(chart, id, resolve(spec.props, made, path.dirname(file)), resolve(spec.args ?? [], made, path.dirname(file)) as unknown[]);
      for (const s of spec.suppress ?? []) Policy.suppress(subject, s.rule, s.reason);
      synthApp(app, { outdir, policy: false, checks: [policySynthCheck({ log: () => undefined })] });
      text = 'synth succeeded';
    } catch (e) {
      refused = isUserError(e);
      text = refused ? (e as Error).message : String((e as Error)?.stack ?? e);
    }
    const after = snapshot(outdir);
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
    const where = header.fields.where ?? `test/${id}`;
    return {
      refused,
      text,
      location: new RegExp(`\\[${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\]|/|:)`),
      partialOutput: after === before ? undefined : `the output folder changed:\n${after.slice(0, 300)}`,
    };
  },
};

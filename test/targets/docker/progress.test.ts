import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Change } from '../../../lib/targets/docker/changes';
import { jsonEvent, plainLine, ProgressInput, progressMode, ProgressRenderer, reduceProgress, renderFrame, redraw } from '../../../lib/targets/docker/progress';

const pod = (action: Change['action'], name: string): Change => ({ action, kind: 'pod', name, object: 'Deployment/default/web', ...(action === 'replace' ? { reason: 'spec changed' } : {}) });
const net: Change = { action: 'create', kind: 'network', name: 'shop', object: 'Namespace/default' };
const T0 = 1_000_000;

/** Events at fake times, shaped as the reconciler sends them: [ms after T0, event]. */
const script: Array<[number, ProgressInput]> = [
  [0, { type: 'change', change: net, message: '' }],
  [200, { type: 'done', change: net, message: '' }],
  [200, { type: 'change', change: pod('replace', 'shop-web-1'), message: '', action: 'replace', container: 'shop-web-1' }],
  [1200, { type: 'step', message: 'wait    container shop-web-1: health check', action: 'wait', reason: 'health', container: 'shop-web-1' }],
  [3700, { type: 'step', message: 'stop    container shop-web-1', action: 'stop', reason: 'grace', phase: 'begin', container: 'shop-web-1', graceSeconds: 10 }],
  [4000, { type: 'done', change: pod('replace', 'shop-web-1'), message: '', container: 'shop-web-1' }],
  [4100, { type: 'info', message: 'info    the engine changed during the deploy: x; reading the engine again' }],
  [5000, { type: 'step', message: 'stopped container shop-web-1', action: 'stop', reason: 'grace', phase: 'end', container: 'shop-web-1' }],
];
const END = 5200;

function feed(mode: 'plain' | 'json' | 'tty' | 'quiet', rows = 24): { out: string; renderer: ProgressRenderer; now: { t: number } } {
  const now = { t: T0 };
  let out = '';
  const renderer = new ProgressRenderer({ mode, sink: { write: (t) => { out += t; }, columns: 120, rows }, clock: () => now.t, refreshMs: 0 });
  for (const [at, e] of script) { now.t = T0 + at; renderer.callback?.(e); }
  now.t = T0 + END;
  renderer.finish();
  return { get out() { return out; }, renderer, now } as any;
}

describe('progressMode', () => {
  test('json > quiet > terminal (unless NO_COLOR or TERM=dumb) > plain', () => {
    expect(progressMode({ json: true, quiet: true, isTTY: true })).toBe('json');
    expect(progressMode({ quiet: true, isTTY: true })).toBe('quiet');
    expect(progressMode({ isTTY: true, env: {} })).toBe('tty');
    expect(progressMode({ isTTY: true, env: { NO_COLOR: '1' } })).toBe('plain');
    expect(progressMode({ isTTY: true, env: { NO_COLOR: '' } })).toBe('tty');
    expect(progressMode({ isTTY: true, env: { TERM: 'dumb' } })).toBe('plain');
    expect(progressMode({ isTTY: false, env: {} })).toBe('plain');
  });
});

describe('plain lines', () => {
  test('each event is one timestamped line; waits say why; done says how long', () => {
    expect(feed('plain').out.split('\n')).toEqual([
      '[+0.0s] create  network   shop  (Namespace/default)',
      '[+0.2s] done    network   shop (0.2s)',
      '[+0.2s] replace container shop-web-1  (Deployment/default/web): spec changed',
      '[+1.2s] replace shop-web-1: waiting for health',
      '[+3.7s] stop shop-web-1: waiting for the old container to stop (stop grace period, up to 10s)',
      '[+4.0s] done    container shop-web-1 (3.8s)',
      '[+4.1s] info    the engine changed during the deploy: x; reading the engine again',
      '[+5.0s] stopped container shop-web-1 (1.3s)',
      '',
    ]);
  });

  test('a timestamp carried by the event wins over the clock; unknown fields and kinds are tolerated', () => {
    expect(plainLine({ type: 'wait', reason: 'lock', time: new Date(T0 + 2500).toISOString() }, T0, T0 + 9000)).toBe('[+2.5s] wait: waiting for the project lock (another deploy holds it)');
    expect(plainLine({ type: 'rollout', message: '  step 2 of 3', timestamp: T0 + 100 }, T0, T0)).toBe('[+0.1s] step 2 of 3');
    expect(plainLine({ type: 'done' }, T0, T0)).toBeUndefined();
    expect(plainLine({ type: 'step', reason: 'ready', message: 'wait    container a-1: start', action: 'wait', container: 'a-1', at: T0 + 50 }, T0, T0 + 900)).toBe('[+0.1s] wait a-1: waiting until it runs');
    expect(plainLine({ type: 'step', action: 'pull', phase: 'end', container: 'busybox:1.36', message: 'pulled  image     busybox:1.36' }, T0, T0 + 300)).toBe('[+0.3s] pulled  image     busybox:1.36');
  });
});

describe('json events', () => {
  test('one JSON object per line with time, elapsed, action, what and why; no container plans', () => {
    const lines = feed('json').out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(script.length);
    expect(lines[2]).toEqual({
      time: new Date(T0 + 200).toISOString(), elapsedMs: 200, type: 'change', action: 'replace', kind: 'pod', name: 'shop-web-1',
      object: 'Deployment/default/web', why: 'spec changed', container: 'shop-web-1',
    });
    expect(lines[4]).toEqual({ time: new Date(T0 + 3700).toISOString(), elapsedMs: 3700, type: 'step', action: 'stop', container: 'shop-web-1', reason: 'grace', phase: 'begin', graceSeconds: 10, message: 'stop    container shop-web-1' });
    const withPlans = jsonEvent({ type: 'change', change: { ...pod('create', 'x'), containers: [{ env: ['PASSWORD=p'] } as any] } }, T0, T0);
    expect(JSON.stringify(withPlans)).not.toContain('PASSWORD');
  });
});

describe('live view (terminal)', () => {
  test('reduceProgress tracks rows: started, waiting (and since when), done; a wait about a pod\'s container lands on the pod row', () => {
    let s = reduceProgress(undefined, script[2][1], T0);
    s = reduceProgress(s, { type: 'wait', reason: 'health', container: 'shop-web-1' }, T0 + 1000);
    expect(s.tasks).toEqual([{ key: 'pod:shop-web-1', action: 'replace', what: 'container', name: 'shop-web-1', startedAt: T0, waiting: { why: 'waiting for health', since: T0 + 1000 } }]);
    s = reduceProgress(s, { type: 'wait', reason: 'health', container: 'shop-web-1' }, T0 + 2000);
    expect(s.tasks[0].waiting!.since).toBe(T0 + 1000);
    s = reduceProgress(s, { type: 'done', change: pod('replace', 'shop-web-1') }, T0 + 3000);
    expect([s.tasks[0].doneAt, s.tasks[0].waiting]).toEqual([T0 + 3000, undefined]);
  });

  test('a stop\'s grace row (begin) is closed by its end event even when that event is of type done, so the summary says N/N', () => {
    let s = reduceProgress(undefined, script[2][1], T0);
    s = reduceProgress(s, { type: 'step', action: 'stop', reason: 'grace', phase: 'begin', container: 'shop-web-1', graceSeconds: 10 }, T0 + 500);
    expect(s.tasks.map((t) => [t.action, t.doneAt])).toEqual([['replace', undefined], ['stop', undefined]]);
    s = reduceProgress(s, { type: 'done', action: 'stop', phase: 'end', container: 'shop-web-1' }, T0 + 900);
    expect(s.tasks.map((t) => [t.action, t.doneAt])).toEqual([['replace', undefined], ['stop', T0 + 900]]);
    s = reduceProgress(s, { type: 'done', change: pod('replace', 'shop-web-1') }, T0 + 1000);
    expect(renderFrame(s, T0 + 1000)[0]).toBe('done: 2/2 finished, 1.0s');
  });

  test('a frame shows each row with elapsed time and why it waits', () => {
    let s = reduceProgress(undefined, script[0][1], T0);
    s = reduceProgress(s, script[1][1], T0 + 200);
    s = reduceProgress(s, script[2][1], T0 + 200);
    s = reduceProgress(s, script[3][1], T0 + 1200);
    const frame = renderFrame(s, T0 + 3200, 120);
    expect(frame[0]).toBe('working: 1/2 finished, 3.2s');
    expect(frame[1]).toMatch(/^ done create  network   shop\s+0\.2s$/);
    expect(frame[2]).toMatch(/^ [-\\|/]\s+replace container shop-web-1\s+3\.0s  waiting for health \(2\.0s\)$/);
    expect(renderFrame(s, T0 + 3200, 40).every((l) => l.length <= 40)).toBe(true);
  });

  test('more rows than the terminal has: finished rows fold into a count, running ones stay', () => {
    let s = reduceProgress(undefined, { type: 'change', change: pod('create', 'p-0') }, T0);
    for (let i = 1; i < 30; i++) s = reduceProgress(s, { type: 'change', change: pod('create', `p-${i}`) }, T0);
    for (let i = 0; i < 28; i++) s = reduceProgress(s, { type: 'done', change: pod('create', `p-${i}`) }, T0 + 10);
    const frame = renderFrame(s, T0 + 20, 100, 10);
    expect(frame.length).toBeLessThanOrEqual(9);
    expect(frame.filter((l) => / p-2[89] /.test(l))).toHaveLength(2);
    expect(frame[1]).toMatch(/^ \.\.\. \d+ more$/);
  });

  test('the renderer redraws in place: cursor up over the last frame, erase, new frame; messages stay above', () => {
    const out = feed('tty').out;
    expect(redraw(3, ['a'], 'note\n')).toBe('\x1b[3F\x1b[Jnote\na\n');
    expect(out.startsWith('working: 0/1 finished, 0.0s\n')).toBe(true);
    expect(out).toContain('\x1b[2F\x1b[J');
    // The info note goes above the frame (header, network, pod, grace rows) and stays.
    expect(out).toContain('\x1b[4F\x1b[Jinfo    the engine changed during the deploy');
    // The stop grace has a row of its own, running on after its pod's replace is done.
    const afterDone = out.slice(out.indexOf('info    the engine'));
    expect(afterDone).toMatch(/ done replace container shop-web-1 +3\.8s\n/);
    expect(afterDone).toMatch(/ [-\\|/] +stop +container shop-web-1 +0\.4s  waiting for the old container to stop \(stop grace period, up to 10s\)\n/);
    // The last frame: everything done, with its time.
    const last = out.slice(out.lastIndexOf('\x1b[J') + 3);
    expect(last.split('\n')[0]).toBe('done: 3/3 finished, 5.2s');
    expect(last).toMatch(/ done stop +container shop-web-1 +1\.3s\n/);
  });

  test('quiet writes nothing and hands no callback to the reconciler', () => {
    const r = feed('quiet');
    expect(r.out).toBe('');
    expect(r.renderer.callback).toBeUndefined();
  });
});

// A real pseudo-terminal (util-linux `script`): the built renderer decides by itself that it is on a terminal.
const SCRIPT = spawnSync('script', ['--version']).status === 0;
const BUILT = path.join(__dirname, '../../../build/lib/targets/docker/progress.js');
(SCRIPT ? describe : describe.skip)('on a real pseudo-terminal', () => {
  const program = `
    const { ProgressRenderer, progressMode } = require(${JSON.stringify(BUILT)});
    const mode = progressMode({ isTTY: process.stdout.isTTY, env: process.env });
    const r = new ProgressRenderer({ mode, sink: { write: (t) => process.stdout.write(t), columns: process.stdout.columns, rows: process.stdout.rows }, refreshMs: 50 });
    const ch = { action: 'replace', kind: 'pod', name: 'tty-web-1', object: 'Deployment/default/web' };
    r.onEvent({ type: 'change', change: ch, message: '' });
    r.onEvent({ type: 'wait', change: ch, reason: 'health', message: '' });
    setTimeout(() => { r.onEvent({ type: 'done', change: ch, message: '' }); r.finish(); console.log('MODE=' + mode); }, 300);
  `;
  const run = (env: NodeJS.ProcessEnv) => {
    if (!fs.existsSync(BUILT)) throw new Error('build first: npx tsc -p tsconfig.build.json');
    const file = path.join(fs.mkdtempSync('/tmp/dockyard-pty-'), 'p.js');
    fs.writeFileSync(file, program);
    return execFileSync('script', ['-qec', `${process.execPath} ${file}`, '/dev/null'], { env: { ...process.env, TERM: 'xterm', ...env }, encoding: 'utf8' });
  };

  test('a terminal gets the live view, redrawn in place while it waits', () => {
    const out = run({ NO_COLOR: '' });
    expect(out).toContain('MODE=tty');
    expect(out).toMatch(/\x1b\[\d+F\x1b\[J/);
    expect(out).toContain('waiting for health');
    expect(out).toMatch(/done: 1\/1 finished/);
  });

  test('NO_COLOR on a terminal gives plain lines without escape codes', () => {
    const out = run({ NO_COLOR: '1' });
    expect(out).toContain('MODE=plain');
    expect(out).not.toContain('\x1b[');
    expect(out).toMatch(/\[\+0\.\ds\] replace tty-web-1: waiting for health/);
  });
});

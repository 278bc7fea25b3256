/**
 * Progress output for `deploy` and `destroy`: the reconciler's progress events in, text out, in one
 * of three modes. On a terminal a live view of what is being created, replaced, removed or waited for
 * (with elapsed time and why it waits), redrawn in place; otherwise plain timestamped lines
 * (`[+1.2s] replace web-1: waiting for health`); with `--json` one JSON event per line.
 *
 * Pure parts (`reduceProgress`, `plainLine`, `jsonEvent`, `renderFrame`, `redraw`) take the time as an
 * argument, so tests drive them with a fake clock; `ProgressRenderer` wires them to a stream.
 * Events are read tolerantly: only `type` is required, fields the reconciler may add later
 * (`action`, `reason`, `container`, a timestamp) are used when present.
 */
import { Change, formatChange } from './changes';

/** A progress event as the reconciler sends it (today's fields and optional later ones). */
export interface ProgressInput {
  /** `change` (a change starts), `done` (it finished), `pull`, `info`, `wait`, or another kind. */
  readonly type: string;
  /** The change it is about. @default none */
  readonly change?: Change;
  /** Human text. @default '' */
  readonly message?: string;
  /** What is being done (create, replace, remove, start, stop, wait, ...). @default the change's action */
  readonly action?: string;
  /** Why it waits: `health`, `grace`, `ready`, `lock`, or free text. @default none */
  readonly reason?: string;
  /** The container it is about. @default none */
  readonly container?: string;
  /** `begin`/`end` of an action that takes a while (a stop grace, a pull, the lock). @default a one-shot event */
  readonly phase?: string;
  /** Seconds of a stop grace period. @default none */
  readonly graceSeconds?: number;
  /** When it happened: epoch milliseconds or an ISO string (`at`, `time` or `timestamp`). @default when received */
  readonly at?: number | string;
  /** Same as `at`. @default none */
  readonly time?: number | string;
  /** Same as `at`. @default none */
  readonly timestamp?: number | string;
}

/** How progress is shown. */
export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

/** Picks the mode: --json, then --quiet, then a terminal without NO_COLOR/TERM=dumb, else plain lines. Pure. */
export function progressMode(o: { json?: boolean; quiet?: boolean; isTTY?: boolean; env?: Readonly<Record<string, string | undefined>> }): ProgressMode {
  if (o.json) return 'json';
  if (o.quiet) return 'quiet';
  const env = o.env ?? {};
  // NO_COLOR (no-color.org) asks for no escape codes: a live view is nothing but escape codes.
  if (!o.isTTY || (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb') return 'plain';
  return 'tty';
}

/** One row of the live view: a change or a container being worked on. */
export interface ProgressTask {
  /** Stable key (`pod:web-1`, `container:web-1`). */
  readonly key: string;
  /** What is done: create, replace, remove, start, wait, ... */
  readonly action: string;
  /** `container`, `proxy`, `network`, `volume`, `image`. */
  readonly what: string;
  /** Name of the pod, network, volume or image. */
  readonly name: string;
  /** When it started (ms). */
  readonly startedAt: number;
  /** When it finished (ms), undefined while running. */
  readonly doneAt?: number;
  /** Why it waits now, in words, and since when. */
  readonly waiting?: { readonly why: string; readonly since: number };
}

/** Everything the live view shows. */
export interface ProgressState {
  /** When the first event came (ms). */
  readonly startedAt: number;
  /** Rows, in the order they started. */
  readonly tasks: readonly ProgressTask[];
}

/** The time an event carries, else `now`. Pure. */
export function eventTime(e: ProgressInput, now: number): number {
  const t = e.at ?? e.time ?? e.timestamp;
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : now;
}

const REASONS: Record<string, string> = {
  health: 'waiting for health',
  grace: 'waiting for the old container to stop (stop grace period)',
  ready: 'waiting until it runs',
  lock: 'waiting for the project lock (another deploy holds it)',
  pull: 'pulling the image',
};

/** The words for a wait reason (`health` -> `waiting for health`); free text is kept. Pure. */
export function reasonText(reason: string, graceSeconds?: number): string {
  if (reason === 'grace' && graceSeconds !== undefined) return `waiting for the old container to stop (stop grace period, up to ${graceSeconds}s)`;
  return REASONS[reason] ?? (/^waiting\b/.test(reason) ? reason : `waiting: ${reason}`);
}

/** Key of a row for an action with a begin and an end (a grace, a pull, the lock): what it is about, and which. */
function phaseKey(e: ProgressInput): string {
  return `${e.reason ?? e.action ?? e.type}:${e.container ?? ''}`;
}

/** True for events that open a row of their own until their `end` (graces run on after their pod's change). */
function opensRow(e: ProgressInput): boolean {
  return e.phase === 'begin' || (e.phase === undefined && e.reason === 'grace');
}

function whatOf(c: Change | undefined, container?: string): string {
  if (!c) return container ? 'container' : 'project';
  if (c.kind !== 'pod') return c.kind;
  const role = c.containers?.[0]?.role ?? c.existing?.[0]?.labels['dev.dockyard.role'];
  return role === 'proxy' ? 'proxy' : 'container';
}

function keyOf(e: ProgressInput): string | undefined {
  if (e.change) return `${e.change.kind}:${e.change.name}`;
  if (e.container) return `container:${e.container}`;
  return undefined;
}

/** A task that an event about `container` belongs to: its own row, or the pod change that holds it. */
function findTask(tasks: readonly ProgressTask[], e: ProgressInput): number {
  const key = keyOf(e);
  let i = key ? tasks.findIndex((t) => t.key === key) : -1;
  if (i < 0 && e.container) {
    const c = e.container;
    // Latest first: a pod may be worked on twice (a retry reads the engine again).
    for (let j = tasks.length - 1; j >= 0 && i < 0; j--) {
      const n = tasks[j].name;
      if (tasks[j].key.startsWith('pod:') && (n === c || c.startsWith(`${n}-`) || c.startsWith(`${n}.`))) i = j;
    }
  }
  return i;
}

/** The state after one event. Pure. */
export function reduceProgress(state: ProgressState | undefined, e: ProgressInput, now: number): ProgressState {
  const t = eventTime(e, now);
  const s: ProgressState = state ?? { startedAt: t, tasks: [] };
  const tasks = [...s.tasks];
  const put = (row: ProgressTask) => { const j = tasks.findIndex((x) => x.key === row.key); if (j >= 0) tasks[j] = row; else tasks.push(row); };
  // An end event closes the open row its begin opened (a stop's grace row: the begin names the
  // reason, the end only the action), whatever the end event's type.
  if (e.phase === 'end') {
    const j = tasks.findIndex((x) => x.doneAt === undefined && (x.key === phaseKey(e) || (e.action !== undefined && x.action === e.action && x.name === (e.container ?? ''))));
    if (j >= 0) {
      tasks[j] = { ...tasks[j], doneAt: t, waiting: undefined };
      return { ...s, tasks };
    }
  }
  if (e.type === 'done') {
    const i = findTask(tasks, e);
    if (i >= 0) tasks[i] = { ...tasks[i], doneAt: t, waiting: undefined };
    return { ...s, tasks };
  }
  if (opensRow(e)) {
    const key = phaseKey(e);
    const what = e.action === 'pull' || e.type === 'pull' ? 'image' : e.reason === 'lock' ? 'project' : 'container';
    const why = e.reason ? reasonText(e.reason, e.graceSeconds) : e.action === 'pull' || e.type === 'pull' ? 'pulling' : e.action ?? e.type;
    put({ key, action: e.reason === 'grace' ? 'stop' : e.action ?? e.type, what, name: e.container ?? '', startedAt: t, waiting: { why, since: t } });
    return { ...s, tasks };
  }
  if (e.phase === 'end') {
    const j = tasks.findIndex((x) => x.key === phaseKey(e));
    if (j >= 0) tasks[j] = { ...tasks[j], doneAt: t, waiting: undefined };
    return { ...s, tasks };
  }
  const i = findTask(tasks, e);
  if (e.reason !== undefined || e.type === 'wait') {
    const why = reasonText(e.reason ?? 'ready');
    if (i >= 0) tasks[i] = { ...tasks[i], waiting: { why, since: tasks[i].waiting?.why === why ? tasks[i].waiting!.since : t } };
    else put({ key: phaseKey(e), action: e.action ?? 'wait', what: whatOf(e.change, e.container), name: e.change?.name ?? e.container ?? '', startedAt: t, waiting: { why, since: t } });
    return { ...s, tasks };
  }
  if (e.type === 'change' && e.change) {
    const task: ProgressTask = { key: keyOf(e)!, action: e.change.action, what: whatOf(e.change), name: e.change.name, startedAt: t };
    if (i >= 0) tasks[i] = task; else tasks.push(task);
    return { ...s, tasks };
  }
  if (e.type === 'pull') {
    // Without phases (older reconcilers): `pull    image     busybox:1.36` starts a row, `busybox:1.36: Pull complete` is its detail.
    const m = /^pull\s+image\s+(\S+)/.exec(e.message ?? '');
    const image = e.container ?? m?.[1] ?? /^\s*([^\s:]+(?::[^\s:]+)?):/.exec(e.message ?? '')?.[1];
    if (!image) return s;
    const key = `pull:${image}`;
    const j = tasks.findIndex((x) => x.key === key);
    const detail = m ? 'pulling' : (e.message ?? '').trim().slice(image.length + 1).trim();
    const since = j >= 0 ? tasks[j].startedAt : t;
    put({ key, action: 'pull', what: 'image', name: image, startedAt: since, waiting: { why: detail || 'pulling', since } });
    return { ...s, tasks };
  }
  return s;
}

/** Seconds with one decimal, `+` prefixed: `+1.2s`. Pure. */
export function elapsed(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/**
 * One plain line for an event (`[+1.2s] replace web-1: waiting for health`), or undefined for events
 * that add nothing. `t0` is when the command started; `state` (before this event) gives durations. Pure.
 */
export function plainLine(e: ProgressInput, t0: number, now: number, state?: ProgressState): string | undefined {
  const t = eventTime(e, now);
  const stamp = `[+${elapsed(t - t0)}]`;
  const c = e.change;
  const text = (e.message ?? '').trim();
  if (e.type === 'done') {
    if (!c) return text ? `${stamp} ${text}` : undefined;
    const started = state?.tasks.find((x) => x.key === `${c.kind}:${c.name}`)?.startedAt;
    return `${stamp} done    ${whatOf(c).padEnd(9)} ${c.name}${started !== undefined ? ` (${elapsed(t - started)})` : ''}`;
  }
  // Notes meant to be printed as they are (a retry, the lock's holder, a kept volume).
  if (e.type === 'info') return text ? `${stamp} ${text}` : undefined;
  if (e.phase === 'end') {
    const began = state?.tasks.find((x) => x.key === phaseKey(e))?.startedAt;
    const took = began !== undefined ? ` (${elapsed(t - began)})` : '';
    return `${stamp} ${text || `${e.action ?? e.type} ${e.container ?? ''}: done`}${took}`;
  }
  if (e.reason !== undefined || e.type === 'wait') {
    const who = e.container ?? c?.name ?? '';
    // Say it in terms of the change it belongs to: `replace web-1: waiting for health`.
    const owner = state && !opensRow(e) ? state.tasks[findTask(state.tasks, e)] : undefined;
    const action = c?.action ?? owner?.action ?? (e.reason === 'grace' ? 'stop' : e.action ?? 'wait');
    return `${stamp} ${action}${who ? ` ${who}` : ''}: ${reasonText(e.reason ?? 'ready', e.graceSeconds)}`;
  }
  if (e.type === 'change' && c) return `${stamp} ${formatChange(c)}`;
  return text ? `${stamp} ${text}` : undefined;
}

/** One event as a JSON object (no container plans, no file contents, no env). Pure. */
export function jsonEvent(e: ProgressInput, t0: number, now: number): Record<string, unknown> {
  const t = eventTime(e, now);
  const c = e.change;
  const out: Record<string, unknown> = { time: new Date(t).toISOString(), elapsedMs: t - t0, type: e.type };
  const action = e.action ?? c?.action;
  if (action) out.action = action;
  if (c) Object.assign(out, { kind: c.kind, name: c.name, object: c.object }, c.reason ? { why: c.reason } : {});
  if (e.container) out.container = e.container;
  if (e.reason !== undefined) out.reason = e.reason;
  if (e.phase !== undefined) out.phase = e.phase;
  if (e.graceSeconds !== undefined) out.graceSeconds = e.graceSeconds;
  if (e.message) out.message = e.message.trim();
  return out;
}

const SPIN = ['-', '\\', '|', '/'];

/**
 * The live view's lines at `now`: one row per task (running rows show elapsed time and why they
 * wait), at most `height` lines (older finished rows fold into a count). Pure.
 */
export function renderFrame(state: ProgressState | undefined, now: number, width = 100, height = 24): string[] {
  if (!state || state.tasks.length === 0) return [];
  const nameW = Math.min(40, Math.max(...state.tasks.map((t) => t.name.length)));
  const row = (t: ProgressTask) => {
    const done = t.doneAt !== undefined;
    const mark = done ? 'done' : SPIN[Math.floor(now / 250) % SPIN.length];
    const time = elapsed((t.doneAt ?? now) - t.startedAt);
    const why = !done && t.waiting ? `  ${t.waiting.why}${now - t.waiting.since >= 1000 ? ` (${elapsed(now - t.waiting.since)})` : ''}` : '';
    const line = ` ${mark.padEnd(4)} ${t.action.padEnd(7)} ${t.what.padEnd(9)} ${t.name.padEnd(nameW)}  ${time.padStart(6)}${why}`;
    return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
  };
  const running = state.tasks.filter((t) => t.doneAt === undefined);
  const finished = state.tasks.filter((t) => t.doneAt !== undefined);
  const header = `${running.length ? 'working' : 'done'}: ${finished.length}/${state.tasks.length} finished, ${elapsed(now - state.startedAt)}`;
  const room = Math.max(1, height - 2);
  if (state.tasks.length <= room) return [header, ...state.tasks.map(row)];
  // Too many rows for the terminal: keep every running row that fits and fold finished ones into a count.
  const shownRunning = running.slice(0, room - 1);
  const shownDone = finished.slice(Math.max(0, finished.length - (room - 1 - shownRunning.length)));
  const hidden = state.tasks.length - shownRunning.length - shownDone.length;
  return [header, ` ... ${hidden} more`, ...shownDone.map(row), ...shownRunning.map(row)];
}

/**
 * Text that replaces a frame of `previousLines` lines (cursor up that many lines, erase to the end)
 * with `above` (lines that stay, like info messages) and then the `next` frame. Pure.
 */
export function redraw(previousLines: number, next: readonly string[], above = ''): string {
  const up = previousLines > 0 ? `\x1b[${previousLines}F\x1b[J` : '';
  return `${up}${above}${next.map((l) => `${l}\n`).join('')}`;
}

/** What `ProgressRenderer` writes to and reads the time from. */
export interface ProgressSink {
  /** Writes text. */
  write(text: string): void;
  /** Terminal columns. @default 100 */
  readonly columns?: number;
  /** Terminal rows. @default 24 */
  readonly rows?: number;
}

/** Options of `ProgressRenderer`. */
export interface ProgressRendererOptions {
  /** Output mode. */
  readonly mode: ProgressMode;
  /** Where text goes. */
  readonly sink: ProgressSink;
  /** The clock (tests pass a fake one). @default Date.now */
  readonly clock?: () => number;
  /** Redraw interval of the live view in ms (0: only on events). @default 100 */
  readonly refreshMs?: number;
}

/** Feeds events to the chosen mode's output; `finish()` stops the live view and draws its last frame. */
export class ProgressRenderer {
  private state?: ProgressState;
  private readonly t0: number;
  private shown = 0;
  private timer?: ReturnType<typeof setInterval>;
  private readonly clock: () => number;

  constructor(private readonly opts: ProgressRendererOptions) {
    this.clock = opts.clock ?? Date.now;
    this.t0 = this.clock();
  }

  /** The callback to hand to deploy/destroy as `onProgress`, or undefined in quiet mode. */
  get callback(): ((e: ProgressInput) => void) | undefined {
    return this.opts.mode === 'quiet' ? undefined : (e) => this.onEvent(e);
  }

  /** Handles one event. */
  onEvent(e: ProgressInput): void {
    const now = this.clock();
    const { mode, sink } = this.opts;
    if (mode === 'quiet') return;
    if (mode === 'json') { sink.write(`${JSON.stringify(jsonEvent(e, this.t0, now))}\n`); return; }
    // The line reads the state before the event (a `done` measures from its `change`).
    const line = mode === 'plain' ? plainLine(e, this.t0, now, this.state) : undefined;
    this.state = reduceProgress(this.state ?? { startedAt: this.t0, tasks: [] }, e, now);
    if (mode === 'plain') { if (line) sink.write(`${line}\n`); return; }
    // Live view: messages that are not rows (info, warnings) print above the frame and stay.
    // Notes (type info, or anything that is no row) print above the frame and stay.
    const isRow = e.type !== 'info' && (e.change || e.container || e.reason !== undefined || e.type === 'wait' || e.type === 'pull');
    const above = !isRow && e.message?.trim() ? `${e.message.trim()}\n` : '';
    this.draw(above);
    if (!this.timer && (this.opts.refreshMs ?? 100) > 0) {
      this.timer = setInterval(() => this.draw(''), this.opts.refreshMs ?? 100);
      this.timer.unref?.();
    }
  }

  /** Stops the live view (its last frame stays on screen). Safe to call in every mode, and twice. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.opts.mode === 'tty' && this.state) this.draw('');
  }

  private draw(above: string): void {
    // A terminal that reports no size (0 columns under some pseudo-terminals) gets the defaults.
    const frame = renderFrame(this.state, this.clock(), this.opts.sink.columns || 100, this.opts.sink.rows || 24);
    this.opts.sink.write(redraw(this.shown, frame, above));
    this.shown = frame.length;
  }
}

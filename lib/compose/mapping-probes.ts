/** `healthcheck` and `user` of a service: probes and the numeric IDs Kubernetes needs. */
import type { ComposeHealthcheck } from './model';
import { dropUndefined, Mapped, Note, parseDuration } from './mapping-units';


/** Probe timing in whole seconds, as `Probe.exec` takes it. */
export interface ProbeTiming { initialDelaySeconds?: number; periodSeconds?: number; timeoutSeconds?: number; failureThreshold?: number }

/** An exec probe: the command, its readiness timing and, for `start_period`, a startup probe's. */
export interface ProbeChoice {
  readonly command: string[];
  /** Readiness timing (compose's defaults filled in). */
  readonly options: ProbeTiming;
  /** Startup probe timing, when `start_period` is set. @default - no startup probe */
  readonly startup?: ProbeTiming;
}

/** Docker's healthcheck defaults, used when a key is unset (Kubernetes' own are 10s/1s/3). */
export const COMPOSE_HEALTHCHECK_DEFAULTS = { interval: 30, timeout: 30, retries: 3, startInterval: 5 } as const;

/**
 * `healthcheck` -> an exec readiness probe with Docker's timing (interval 30s, timeout 30s, retries 3
 * when unset), and `start_period` -> a startup probe that allows that long before readiness counts.
 * No liveness probe: plain Compose never restarts an unhealthy container (only Swarm does), so a
 * converted app keeps running and is only taken out of its Service, as in compose.
 * `CMD-SHELL`/string tests run under `/bin/sh -c`.
 */
export function mapHealthcheck(hc: (ComposeHealthcheck & { readonly start_interval?: string }) | undefined): Mapped<ProbeChoice | undefined> {
  const notes: Note[] = [];
  const errors: Note[] = [];
  if (!hc || hc.disable) return { value: undefined, notes };
  const t = hc.test;
  if (t === undefined) { notes.push({ key: ['healthcheck'], message: 'a healthcheck without "test" keeps the image\'s check, which Kubernetes does not run; no probe is made' }); return { value: undefined, notes }; }
  let command: string[];
  if (typeof t === 'string') command = ['/bin/sh', '-c', t];
  else if (t[0] === 'NONE') return { value: undefined, notes };
  else if (t[0] === 'CMD') command = t.slice(1);
  else if (t[0] === 'CMD-SHELL') command = ['/bin/sh', '-c', t.slice(1).join(' ')];
  else { errors.push({ key: ['healthcheck', 'test'], message: 'a test list starts with "CMD", "CMD-SHELL" or "NONE"', fix: 'start the list with "CMD" (like ["CMD", "curl", "-f", "http://localhost"]) or "CMD-SHELL", or write the test as one string' }); return { value: undefined, notes, errors }; }
  const secs = (v: string | undefined, key: string, min: number, dflt: number): number => {
    if (v === undefined) return dflt;
    const d = parseDuration(v);
    if (d === undefined) { errors.push({ key: ['healthcheck', key], message: `"${v}" is not a duration like 30s`, fix: 'write a duration with units, like 30s, 1m30s or 500ms' }); return dflt; }
    // Docker reads 0 as "use the default".
    if (d === 0) return dflt;
    const whole = Math.max(min, Math.ceil(d));
    if (whole !== d) notes.push({ key: ['healthcheck', key], message: `probes count whole seconds (at least ${min}); ${v} becomes ${whole}s` });
    return whole;
  };
  const D = COMPOSE_HEALTHCHECK_DEFAULTS;
  const options: ProbeTiming = {
    periodSeconds: secs(hc.interval, 'interval', 1, D.interval),
    timeoutSeconds: secs(hc.timeout, 'timeout', 1, D.timeout),
    failureThreshold: hc.retries !== undefined && hc.retries > 0 ? hc.retries : D.retries,
  };
  notes.push({ key: ['healthcheck'], message: 'the healthcheck becomes a readiness probe only: plain Compose never restarts an unhealthy container, so no liveness probe is made (add one in --format ts code if the pod should be restarted)' });
  const startPeriod = hc.start_period !== undefined ? secs(hc.start_period, 'start_period', 0, 0) : 0;
  if (!startPeriod) return { value: { command, options }, notes, errors };
  // During start_period failures do not count; the first success ends it. A startup probe checks
  // every start_interval for that long, then readiness takes over with the normal retries.
  const every = secs(hc.start_interval, 'start_interval', 1, D.startInterval);
  const startup: ProbeTiming = { periodSeconds: every, timeoutSeconds: options.timeoutSeconds, failureThreshold: Math.ceil(startPeriod / every) + options.failureThreshold! };
  notes.push({ key: ['healthcheck', 'start_period'], message: `start_period becomes a startup probe (every ${every}s, ${startup.failureThreshold} tries); unlike compose, the kubelet restarts a container that never passes it` });
  return { value: { command, options, startup }, notes, errors };
}

/** `user: "1000"` or `"1000:1000"` -> runAsUser/runAsGroup; names cannot be resolved without the image. */
export function mapUser(user: string | undefined): Mapped<{ user?: number; group?: number } | undefined> {
  if (user === undefined) return { value: undefined, notes: [] };
  const [u, g] = String(user).split(':');
  const num = (x: string | undefined) => (x !== undefined && /^\d+$/.test(x) ? Number(x) : undefined);
  const notes: Note[] = [];
  if (num(u) === undefined || (g !== undefined && num(g) === undefined)) notes.push({ key: ['user'], message: `Kubernetes needs numeric IDs; user "${user}" is a name that only the image knows, so ${num(u) === undefined ? 'it is dropped' : 'the group is dropped'} (write "1000:1000")` });
  const value = dropUndefined({ user: num(u), group: num(g) });
  return { value: Object.keys(value).length ? value : undefined, notes };
}

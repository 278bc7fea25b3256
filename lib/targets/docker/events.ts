/**
 * What the reconciler tells its caller while it works (the CLI renders it: a live view on a TTY,
 * timestamped lines, or --json events), and the options and result of a deploy or destroy.
 */
import type { Change } from './changes';

/** Something worth telling the user while deploying. */
export interface ProgressEvent {
  /**
   * `change` when a change starts, `done` when it finished, `pull` for image pulls, `info` for notes
   * meant to be printed as they are, `step` for each engine action inside a change (fine-grained).
   */
  readonly type: 'change' | 'done' | 'pull' | 'info' | 'step';
  /** The change, for change/done (and the step events of a change). */
  readonly change?: Change;
  /** Human text (one line). */
  readonly message: string;
  /** The engine action: pull, create, start, replace (a surge swap), stop, remove, wait, lock. */
  readonly action?: 'pull' | 'create' | 'start' | 'replace' | 'stop' | 'remove' | 'wait' | 'lock';
  /** For `wait` (and `stop`): what is waited for. health = a healthcheck; ready = running; grace = a stop grace period; lock = another deploy of the project. */
  readonly reason?: 'health' | 'ready' | 'grace' | 'lock';
  /** `begin` when an action (a wait, a stop) starts and `end` when it is over; absent for one-shot steps. */
  readonly phase?: 'begin' | 'end';
  /** The Kubernetes object, `Kind/namespace/name`. */
  readonly object?: string;
  /** The container (planned name), network or volume. */
  readonly container?: string;
  /** Seconds of the stop grace period, for `stop`. */
  readonly graceSeconds?: number;
  /** When it happened (ms since the epoch). */
  readonly at?: number;
}

/** Options of `deployPlan`, `destroyProject`. */
export interface ApplyOptions {
  /** Progress callback. @default none */
  readonly onProgress?: (e: ProgressEvent) => void;
  /** Pull missing images (tests never need to). @default true */
  readonly pull?: boolean;
  /** Wait until every container runs (and is healthy when it has a healthcheck). @default false */
  readonly wait?: boolean;
  /** How long `wait` (and each rollout step) waits for readiness. @default 60000 */
  readonly waitTimeoutMs?: number;
  /** Seconds to wait after SIGTERM when removing, overriding each container's own. @default the container's stopTimeoutSeconds */
  readonly stopTimeoutSeconds?: number;
  /** Engine operations in flight at once. @default 12 */
  readonly concurrency?: number;
  /** destroy: remove the project's named volumes too (plain destroy keeps them, as `docker compose down`). @default false */
  readonly volumes?: boolean;
  /** How long to wait for another deploy/destroy of the project holding its lock; 0 refuses at once. @default 120000 */
  readonly lockTimeoutMs?: number;
}

/** What `deployPlan` / `destroyProject` did. */
export interface DeployResult {
  /** Changes made (empty on a no-op). */
  readonly changes: Change[];
  /** Wall time. */
  readonly durationMs: number;
  /** destroy: named volumes kept (no --volumes). */
  readonly keptVolumes?: string[];
}

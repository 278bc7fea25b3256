import type { Problem } from '../core/errors';

/**
 * The neutral compose model: what the loader hands to the mapping after parsing, merging,
 * interpolating and validating. Plain data in compose terms (no Kubernetes types), with list-or-dict
 * keys normalized to dicts and every key's source position kept for warnings.
 */

/** A port in the long syntax, or as written in the short one (parsed by the mapping). */
export interface ComposePortLong {
  readonly target: number;
  readonly published?: number | string;
  readonly protocol?: string;
  readonly host_ip?: string;
  readonly mode?: string;
}

/** A volume mount in the long syntax. */
export interface ComposeVolumeLong {
  readonly type: string;
  readonly source?: string;
  readonly target: string;
  readonly read_only?: boolean;
  readonly tmpfs?: { readonly size?: number | string };
  readonly bind?: Record<string, unknown>;
  readonly volume?: Record<string, unknown>;
}

/** A config or secret reference of a service in the long syntax. */
export interface ComposeFileRefLong {
  readonly source: string;
  readonly target?: string;
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
}

/** `healthcheck` of a service. */
export interface ComposeHealthcheck {
  readonly test?: string | string[];
  readonly interval?: string;
  readonly timeout?: string;
  readonly retries?: number;
  readonly start_period?: string;
  readonly disable?: boolean;
}

/** `deploy` of a service (the Swarm keys). */
export interface ComposeDeploy {
  readonly mode?: string;
  readonly replicas?: number;
  readonly endpoint_mode?: string;
  readonly labels?: Record<string, string>;
  readonly resources?: {
    readonly limits?: { readonly cpus?: number | string; readonly memory?: string; readonly pids?: number };
    readonly reservations?: { readonly cpus?: number | string; readonly memory?: string; readonly devices?: unknown[]; readonly generic_resources?: unknown[] };
  };
  readonly restart_policy?: { readonly condition?: string; readonly delay?: string; readonly max_attempts?: number; readonly window?: string };
  readonly update_config?: ComposeUpdateConfig;
  readonly rollback_config?: ComposeUpdateConfig;
  readonly placement?: { readonly constraints?: string[]; readonly preferences?: Array<{ readonly spread?: string }>; readonly max_replicas_per_node?: number };
}

/** `deploy.update_config` / `rollback_config`. */
export interface ComposeUpdateConfig {
  readonly parallelism?: number;
  readonly delay?: string;
  readonly failure_action?: string;
  readonly monitor?: string;
  readonly max_failure_ratio?: number;
  readonly order?: string;
}

/** One service after merge and interpolation. Only the keys the mapping reads are typed. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: string | string[];
  readonly entrypoint?: string | string[];
  readonly working_dir?: string;
  readonly user?: string;
  readonly hostname?: string;
  /** Normalized from list or dict; `null` means "take it from the shell", as in compose. */
  readonly environment?: Record<string, string | null>;
  /** Normalized to a list of absolute paths of the files that exist (`required: false` ones that do not are left out). */
  readonly env_file?: string[];
  readonly ports?: Array<number | string | ComposePortLong>;
  readonly expose?: Array<number | string>;
  /** Normalized from list or dict. */
  readonly labels?: Record<string, string>;
  readonly deploy?: ComposeDeploy;
  readonly healthcheck?: ComposeHealthcheck;
  readonly restart?: string;
  readonly scale?: number;
  readonly volumes?: Array<string | ComposeVolumeLong>;
  readonly tmpfs?: string | string[];
  readonly configs?: Array<string | ComposeFileRefLong>;
  readonly secrets?: Array<string | ComposeFileRefLong>;
  readonly privileged?: boolean;
  readonly read_only?: boolean;
  readonly cap_add?: string[];
  readonly cap_drop?: string[];
  readonly [key: string]: unknown;
}

/** A top-level `configs` or `secrets` entry. */
export interface ComposeFileObject {
  /** Absolute path of the file, when it is one (checked by the loader: a regular file of at most 1 MiB). */
  readonly file?: string;
  /** Inline content (`content:`, or the value of the variable `environment:` names). */
  readonly content?: string;
  /** The variable the content came from, as written. */
  readonly environment?: string;
  readonly external?: boolean | { readonly name?: string };
  readonly name?: string;
  readonly [key: string]: unknown;
}

/** A top-level `volumes` entry. */
export interface ComposeVolumeObject {
  readonly driver?: string;
  readonly driver_opts?: Record<string, unknown>;
  readonly external?: boolean | { readonly name?: string };
  readonly labels?: Record<string, string>;
  readonly name?: string;
  readonly [key: string]: unknown;
}

/** The whole project: what `docker compose config` would print, plus where each key came from. */
export interface ComposeProject {
  /** Project name (the `name:` key, else the first file's folder), a DNS-1123 label. */
  readonly name: string;
  /** Folder of the first file; relative paths start here. */
  readonly dir: string;
  /** The files, in merge order. */
  readonly files: readonly string[];
  /** Services by name. */
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes: Readonly<Record<string, ComposeVolumeObject>>;
  readonly configs: Readonly<Record<string, ComposeFileObject>>;
  readonly secrets: Readonly<Record<string, ComposeFileObject>>;
  readonly networks: Readonly<Record<string, unknown>>;
  /** `file:line:col` of each key path (`services/web/ports/0`), from the file that set it last. */
  readonly locations: Readonly<Record<string, string>>;
  /** What loading changed in meaning (an unset variable became ""), each with file:line:col. @default - none */
  readonly warnings?: readonly Problem[];
  /**
   * The values of each env file (absolute path), as Compose v2 reads them (quotes, escapes and `${VAR}`
   * resolved): what the mapping uses instead of parsing the files again. @default - none
   */
  readonly envFileValues?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** `file:line:col` of a key path, or of its nearest located parent. */
export function locate(project: Pick<ComposeProject, 'locations' | 'files'>, path: readonly (string | number)[]): string {
  for (let n = path.length; n > 0; n--) {
    const hit = project.locations[path.slice(0, n).join('/')];
    if (hit) return hit;
  }
  return `${project.files[0] ?? '<compose>'}:1:1`;
}

/** Problems in file, line, column order. */
export function sortProblems<T extends Problem>(list: readonly T[]): T[] {
  const pos = (w: string) => { const m = /^(.*):(\d+):(\d+)$/.exec(w); return m ? [m[1], Number(m[2]), Number(m[3])] as const : [w, 0, 0] as const; };
  return [...list].sort((a, b) => {
    const [fa, la, ca] = pos(a.where); const [fb, lb, cb] = pos(b.where);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
  });
}

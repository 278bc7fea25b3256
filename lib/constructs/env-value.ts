import type * as k8s from '../ir/k8s-types';
import { IConfigSource } from './config-source';

/** Options for reading one key of a ConfigMap or Secret. */
export interface EnvKeyOptions {
  /** Start the container even when the key or object is missing. @default false */
  readonly optional?: boolean;
}

/**
 * The value of one environment variable: a literal, one key of an `AppConfig`/`AppSecret`, or a field
 * of the pod. Keys are checked at synth time against what the source holds.
 */
export class EnvValue {
  /** A literal value. Do not put passwords here: use `fromSecret`. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue(value, undefined, undefined, false, undefined);
  }

  /** One key of an `AppConfig`. */
  public static fromConfig(source: IConfigSource, key: string, options: EnvKeyOptions = {}): EnvValue {
    return new EnvValue(undefined, source, key, options.optional ?? false, undefined);
  }

  /** One key of an `AppSecret` (same as `fromConfig`; reads better at the call site). */
  public static fromSecret(source: IConfigSource, key: string, options: EnvKeyOptions = {}): EnvValue {
    return new EnvValue(undefined, source, key, options.optional ?? false, undefined);
  }

  /** A field of the pod, like `metadata.name` or `status.podIP`. */
  public static fromFieldPath(fieldPath: string): EnvValue {
    return new EnvValue(undefined, undefined, undefined, false, fieldPath);
  }

  private constructor(
    /** The literal value, when it is one. */
    public readonly value: string | undefined,
    /** The config or secret read, when it is one. */
    public readonly source: IConfigSource | undefined,
    /** The key read from `source`. */
    public readonly key: string | undefined,
    /** Whether a missing key is tolerated. */
    public readonly optional: boolean,
    /** The pod field read, when it is one. */
    public readonly fieldPath: string | undefined,
  ) {}

  /** The Kubernetes `EnvVar` for this value under `name`. */
  public toEnvVar(name: string): k8s.EnvVar {
    if (this.source && this.key !== undefined) {
      const ref = { key: this.key, name: this.source.name, ...(this.optional ? { optional: true } : {}) };
      return { name, valueFrom: this.source.sourceKind === 'Secret' ? { secretKeyRef: ref } : { configMapKeyRef: ref } };
    }
    if (this.fieldPath) return { name, valueFrom: { fieldRef: { fieldPath: this.fieldPath } } };
    return { name, value: this.value ?? '' };
  }
}

/** Every key of a config or secret as env vars, optionally prefixed. */
export interface EnvFrom {
  /** The config or secret. */
  readonly source: IConfigSource;
  /** Prefix put before each key. @default - no prefix */
  readonly prefix?: string;
  /** Start even when the object is missing. @default false */
  readonly optional?: boolean;
}

/** Files from a config or secret mounted into the container. */
export interface ConfigMount {
  /** Folder in the container where the keys appear as files. */
  readonly path: string;
  /** The config or secret. */
  readonly source: IConfigSource;
  /** Only these keys (each becomes a file of the same name). @default - all keys */
  readonly keys?: string[];
  /** Start even when the object or a key is missing. @default false */
  readonly optional?: boolean;
  /** File mode (octal number like 0o400). @default - 0o644 for configs, 0o400 for secrets */
  readonly mode?: number;
  /**
   * Mount only this key, as the single file `path` (a volumeMount `subPath`), so the image's other
   * files in that folder stay visible (`/etc/nginx/conf.d/site.conf` next to the image's default.conf).
   * Kubernetes does not update a subPath file when the object changes; with the default `hashSuffix`
   * a change gives the object a new name, which rolls the pods, so the file never goes stale.
   * @default - every key (or `keys`) as files in the folder `path`
   */
  readonly subPath?: string;
}

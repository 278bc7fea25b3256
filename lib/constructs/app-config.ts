import { ApiObject, Lazy } from 'cdk8s';
import { put } from '../core/json';
import { KubeResource } from '../core/resource';
import { Construct } from 'constructs';
import { ConfigSourceBase, ConfigSourceProps } from './config-source';

/** Props for `AppConfig`. */
export interface AppConfigProps extends ConfigSourceProps {}

/**
 * Configuration as a ConfigMap. Built from literals, files, folders or env files
 * (`AppConfig.fromLiterals/fromFile/fromDirectory/fromEnvFile`); read by workloads as env vars (one
 * key or all), as `$(VAR)` command arguments, or as files under a mount path.
 */
export class AppConfig extends ConfigSourceBase {
  public readonly sourceKind = 'ConfigMap' as const;
  /** The ConfigMap object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: AppConfigProps = {}) {
    super(scope, id, props);
    this.resource = new KubeResource(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: Lazy.any({ produce: () => this.name }), namespace: props.namespace },
      body: () => {
        const data = this.sortedData();
        // A ConfigMap of binary files only has no `data` at all (not an empty one).
        // Keys in order, no undefined field (see `put`).
        const body = put({} as Record<string, unknown>, 'binaryData', this.sortedBinary());
        put(body, 'data', Object.keys(data).length || !this.binaryKeys.length ? data : undefined);
        return put(body, 'immutable', props.immutable);
      },
    });
  }

  /** The text value of a key (undefined when absent or binary). */
  public valueOf(key: string): string | undefined {
    return this.data[key];
  }

  /** The bytes of a binary key (undefined when absent or text). */
  public bytesOf(key: string): Buffer | undefined {
    return key in this.binary ? Buffer.from(this.binary[key], 'base64') : undefined;
  }
}

import { ApiObject, Lazy } from 'cdk8s';
import { put } from '../core/json';
import { KubeResource } from '../core/resource';
import { Construct } from 'constructs';
import { ConfigSourceBase, ConfigSourceProps } from './config-source';

/** Props for `AppSecret`. */
export interface AppSecretProps extends ConfigSourceProps {
  /** The Secret type. @default "Opaque" */
  readonly type?: string;
}

/**
 * Confidential configuration as a Secret: the same loaders and consumers as `AppConfig`, mounted with
 * mode 0400. `AppSecret.fromExisting` references a Secret created outside the manifests (by
 * `kubectl create secret`, or a Pulumi secret), so that no value is ever written to `dist/`.
 */
export class AppSecret extends ConfigSourceBase {
  /**
   * References a Secret that exists outside the synthesized manifests. Only the key names are known;
   * nothing is emitted, so no value lands in `dist/`.
   */
  public static fromExisting(scope: Construct, id: string, name: string, keys: readonly string[], props: { readonly namespace?: string } = {}): AppSecret {
    const data: Record<string, string> = {};
    for (const k of keys) data[k] = '';
    return new AppSecret(scope, id, { name, namespace: props.namespace, data, hashSuffix: false }, true);
  }

  public readonly sourceKind = 'Secret' as const;
  /** The Secret object, or undefined for `fromExisting`. */
  public readonly resource?: ApiObject;
  /** True when the Secret is created outside the manifests (`fromExisting`). */
  public readonly external: boolean;

  constructor(scope: Construct, id: string, props: AppSecretProps = {}, external = false) {
    super(scope, id, props);
    this.external = external;
    if (external) return;
    this.resource = new KubeResource(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: Lazy.any({ produce: () => this.name }), namespace: props.namespace },
      body: () => {
        // Secret data is bytes (base64) already: text and binary keys go in together, sorted.
        const text = this.sortedData();
        const binary = this.sortedBinary() ?? {};
        const data: Record<string, string> = {};
        for (const k of this.keys) data[k] = k in binary ? binary[k] : Buffer.from(text[k], 'utf8').toString('base64');
        // Keys in order, no undefined field (see `put`).
        const body = put({ data } as Record<string, unknown>, 'immutable', props.immutable);
        body.type = props.type ?? 'Opaque';
        return body;
      },
    });
  }
}

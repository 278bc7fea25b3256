import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
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
  /** The L1 ConfigMap. */
  public readonly resource: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: AppConfigProps = {}) {
    super(scope, id, props);
    this.resource = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: Lazy.any({ produce: () => this.name }), namespace: props.namespace },
      data: Lazy.any({ produce: () => this.sortedData() }),
      immutable: props.immutable,
    });
  }

  /** The value of a key (undefined when absent). */
  public valueOf(key: string): string | undefined {
    return this.data[key];
  }
}

import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkPodService, podServicePropsProblem, PodServiceSpec } from '../constructs/pod-service';
import { addProblems } from '../core/construct-problems';
import { KubeObject } from '../core/manifests';
import { toDnsLabel } from '../core/naming';
import { declareSchemas } from '../core/known-schemas';
import { DEFAULT_PODSERVICE_GROUP, DEFAULT_PODSERVICE_VERSION, PODSERVICE_NAMES, podServiceSchema } from './crd';
import { PodServiceController } from './pod-service-controller';

/** Props for `PodServiceResource`. */
export interface PodServiceResourceProps extends PodServiceSpec {
  /** Name of the PodService (and of its Pod, Service and Ingress). @default - the construct id as a DNS-1123 label */
  readonly name?: string;
  /** Namespace of the PodService. @default - the chart's namespace */
  readonly namespace?: string;
  /** The controller whose group and version to use. @default - group and version props, else dockyard.io/v1alpha1 */
  readonly controller?: PodServiceController;
  /** API group, when no controller is given. @default "dockyard.io" */
  readonly group?: string;
  /** API version, when no controller is given. @default "v1alpha1" */
  readonly version?: string;
}

/** The PodService custom object, as `kubectl apply` takes it. */
export function podServiceObject(apiVersion: string, name: string, namespace: string | undefined, spec: PodServiceSpec): KubeObject {
  return {
    apiVersion,
    kind: PODSERVICE_NAMES.kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { image: spec.image, port: spec.port, ...(spec.host !== undefined ? { host: spec.host } : {}) },
  };
}

/**
 * A PodService custom object: what a user `kubectl apply`s for the controller to render into a Pod,
 * a Service and an Ingress in the cluster (compare `PodService`, which renders them at synth).
 * Child id: Resource.
 */
export class PodServiceResource extends Construct {
  /** Name of the PodService. */
  public readonly name: string;
  /** `group/version` it is written with. */
  public readonly apiVersion: string;
  /** The custom object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PodServiceResourceProps) {
    super(scope, id);
    const s = props.controller?.settings;
    this.apiVersion = `${s?.group ?? props.group ?? DEFAULT_PODSERVICE_GROUP}/${s?.version ?? props.version ?? DEFAULT_PODSERVICE_VERSION}`;
    declareSchemas(this, podServiceSchema(this.apiVersion));
    this.name = props.name ?? toDnsLabel(id);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    const obj = podServiceObject(this.apiVersion, this.name, namespace, props);
    const problems = checkPodService(obj, 'props');
    if (problems.length) {
      addProblems(this, () => problems.map(podServicePropsProblem));
    }
    const { apiVersion, kind, metadata, ...rest } = obj;
    this.resource = new ApiObject(this, 'Resource', { apiVersion, kind, metadata, ...rest });
  }
}

import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { addProblems } from '../core/construct-problems';
import { checkDnsLabel, toDnsLabel } from '../core/naming';

/** Props for `Namespace`. */
export interface NamespaceProps {
  /** Namespace name (DNS-1123 label). @default - the construct id as a DNS-1123 label */
  readonly name?: string;
  /** Labels on the namespace. @default - none */
  readonly labels?: Record<string, string>;
}

/** A Namespace: one environment's objects live together; ConfigMaps are only visible inside it. */
export class Namespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Namespace object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: NamespaceProps = {}) {
    super(scope, id);
    this.name = props.name ?? toDnsLabel(id);
    this.resource = new ApiObject(this, 'Resource', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.name, labels: props.labels } });
    // A Namespace is cluster-scoped: drop the namespace a namespaced chart stamps on every object.
    if (Chart.of(this).namespace) this.resource.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    addProblems(this, () => {
      const bad = checkDnsLabel(this.name);
      return bad ? [{ message: `namespace name "${this.name}" ${bad}`, fix: 'pass a name like "staging"', fieldPath: ['name'] }] : [];
    });
  }
}

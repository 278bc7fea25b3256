import { ApiObject, ApiObjectMetadata, ApiObjectMetadataDefinition, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeMetadata } from './metadata';

/** Props for `KubeResource`. */
export interface KubeResourceProps {
  /** API version (`apps/v1`). */
  readonly apiVersion: string;
  /** Kind (`Deployment`). */
  readonly kind: string;
  /** Metadata, handled by cdk8s as for any ApiObject (chart namespace and labels, Lazy values). @default - none */
  readonly metadata?: ApiObjectMetadata;
  /**
   * The fields after metadata (`spec`, `data`, ...) as plain Kubernetes JSON, built when the object is
   * rendered, so that calls made after construction still reach the output. @default - no fields
   */
  readonly body?: () => Record<string, unknown>;
}

/**
 * An ApiObject whose fields beyond metadata are plain data built by Dockyard's constructs. cdk8s'
 * public `metadata.toJson()` renders the metadata; the body is written here with the same rules as
 * cdk8s' own serialization (mapping keys sorted unless `CDK8S_DISABLE_SORT` is set, null and undefined
 * fields dropped, `Lazy` values produced), without running its generic resolver chain over every value
 * (custom App resolvers therefore see the metadata only). JSON patches apply to the whole object, as
 * on any ApiObject.
 */
export class KubeResource extends ApiObject {
  private readonly body?: () => Record<string, unknown>;
  private readonly bodyPatches: JsonPatch[] = [];

  constructor(scope: Construct, id: string, props: KubeResourceProps) {
    super(scope, id, { apiVersion: props.apiVersion, kind: props.kind, metadata: props.metadata });
    this.body = props.body;
    // The same metadata ApiObject made (name, chart namespace and labels, then the props'), as a
    // KubeMetadata, whose toJson() writes it in one pass (`metadata` is a public, writable field;
    // assigning it keeps the object's shape, which redefining the property would not).
    (this as { metadata: ApiObjectMetadataDefinition }).metadata = new KubeMetadata({
      name: this.name,
      ...props.metadata,
      namespace: props.metadata?.namespace ?? this.chart.namespace,
      labels: { ...this.chart.labels, ...props.metadata?.labels },
      apiObject: this,
    });
  }

  /** Applies JSON patches to the rendered object (body included). */
  public addJsonPatch(...ops: JsonPatch[]): void {
    this.bodyPatches.push(...ops);
  }

  /** The object as Kubernetes JSON: apiVersion, kind, metadata, then the body's fields. */
  public toJson(): any {
    // The head as ApiObject.toJson() writes it: apiVersion, kind, then the metadata cdk8s resolves
    // (chart namespace and labels, Lazy names, keys sorted, empty fields dropped).
    let json: Record<string, unknown>;
    try {
      json = { apiVersion: this.apiVersion, kind: this.kind, metadata: this.metadata.toJson() };
      const body = this.body ? plainJson(this.body(), !process.env.CDK8S_DISABLE_SORT) as Record<string, unknown> | undefined : undefined;
      for (const k of Object.keys(body ?? {})) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') json[k] = body![k];
    } catch (e) {
      throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
    }
    if (this.bodyPatches.length === 0) return json;
    // Patched fields take their sorted place, as the typed (L1) classes these objects replace wrote them.
    const patched = plainJson(JsonPatch.apply(json, ...this.bodyPatches), !process.env.CDK8S_DISABLE_SORT) as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched) result[k] = patched[k];
    return result;
  }
}

/**
 * Plain data as Kubernetes JSON: mapping keys sorted (when `sortKeys`), null and undefined mapping
 * values dropped, list items kept in place, `Lazy` values produced. Anything else that is not plain
 * data is refused, as cdk8s refuses it.
 */
export function plainJson(value: unknown, sortKeys: boolean): unknown {
  if (value == null) return undefined;
  if (typeof value !== 'object') return value;
  if (value instanceof Lazy) return plainJson(value.produce(), sortKeys);
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      out[i] = v !== null && typeof v === 'object' ? plainJson(v, sortKeys) : v ?? undefined;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new Error(`can't render non-simple object of type '${(value as object).constructor?.name}'`);
  const keys = Object.keys(value);
  if (sortKeys && !isSorted(keys)) keys.sort();
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = (value as Record<string, unknown>)[k];
    // Scalars are copied here rather than by a call per value: most values of an object are scalars.
    if (v == null) continue;
    if (typeof v !== 'object') { out[k] = v; continue; }
    const rendered = plainJson(v, sortKeys);
    if (rendered != null) out[k] = rendered;
  }
  return out;
}

/** True when the keys are already in `sort()` order (the usual case for small maps built in order). */
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

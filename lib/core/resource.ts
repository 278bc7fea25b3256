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
    // ApiObject's own metadata is replaced just below, so it is given the name only (which sets `name`).
    super(scope, id, { apiVersion: props.apiVersion, kind: props.kind, metadata: props.metadata?.name === undefined ? undefined : { name: props.metadata.name } });
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
    const patched = plainJson(JsonPatch.apply(plainJson(json, false, true), ...this.bodyPatches), !process.env.CDK8S_DISABLE_SORT) as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) if (k in patched) result[k] = patched[k];
    return result;
  }
}

/**
 * Plain data as Kubernetes JSON: mapping keys sorted (when `sortKeys`), null and undefined mapping
 * values dropped, list items kept in place (null becomes undefined), `Lazy` values produced. Anything
 * else that is not plain data is refused, as cdk8s refuses it.
 *
 * Copy on write: a list or mapping that is already in that form is returned itself, not copied (most
 * of a Dockyard body is, and a copy of every object was a large share of render). An object met a
 * second time in the same value is copied, so the result never holds one object twice (YAML would
 * write an anchor and alias for it). `copyAll` copies every list and mapping (for a JSON patch, which
 * edits in place).
 */
export function plainJson(value: unknown, sortKeys: boolean, copyAll = false): unknown {
  return new PlainJson(sortKeys, copyAll).value(value);
}

class PlainJson {
  private readonly seen = new Set<object>();

  constructor(private readonly sortKeys: boolean, private readonly copyAll: boolean) {}

  value(value: unknown): unknown {
    if (value == null) return undefined;
    if (typeof value !== 'object') return value;
    if (value instanceof Lazy) return this.value(value.produce());
    const copy = this.copyAll || this.seen.has(value);
    this.seen.add(value);
    return Array.isArray(value) ? this.list(value, copy) : this.map(value as Record<string, unknown>, copy);
  }

  private list(value: unknown[], copy: boolean): unknown[] {
    let out: unknown[] | undefined = copy ? value.slice() : undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const r = v !== null && typeof v === 'object' ? this.value(v) : v ?? undefined;
      if (r === v) continue;
      if (out === undefined) out = value.slice();
      out[i] = r;
    }
    return out ?? value;
  }

  private map(value: Record<string, unknown>, copy: boolean): Record<string, unknown> {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Error(`can't render non-simple object of type '${value.constructor?.name}'`);
    // Nothing is allocated until a key needs a change: a dropped or changed value, or keys out of order.
    let out: Record<string, unknown> | undefined = copy ? {} : undefined;
    let prev: string | undefined;
    let unsorted = false;
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      if (this.sortKeys && prev !== undefined && prev > k) unsorted = true;
      prev = k;
      const v = value[k];
      const r = v !== null && typeof v === 'object' ? this.value(v) : v ?? undefined;
      if (out === undefined && (r !== v || r === undefined || unsorted)) out = keptBefore(value, k);
      if (out !== undefined && r !== undefined) out[k] = r;
    }
    if (out === undefined) return value;
    if (!unsorted) return out;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(out).sort()) sorted[k] = out[k];
    return sorted;
  }
}

/** A new mapping with the own keys of `value` that come before `key` (each kept as it is). */
function keptBefore(value: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const j in value) {
    if (j === key) break;
    if (Object.prototype.hasOwnProperty.call(value, j)) out[j] = value[j];
  }
  return out;
}

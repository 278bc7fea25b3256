import {
  ApiObject, ApiObjectMetadataDefinition, ApiObjectMetadataDefinitionOptions, App, ImplicitTokenResolver, Lazy, LazyResolver,
  NumberStringUnionResolver, OwnerReference,
} from 'cdk8s';
import { put } from './json';

/**
 * The metadata of a `KubeResource`: cdk8s' `ApiObjectMetadataDefinition` (same public methods, same
 * JSON), which keeps what it is given itself, so `toJson()` can write it directly. cdk8s' own
 * `toJson()` runs its generic resolver over every metadata value, looking up the app from the object
 * for each one; with only cdk8s' built-in resolvers that gives exactly the result computed here in one
 * pass. An app with resolvers of its own, or a value that is not plain data, takes cdk8s' path.
 */
export class KubeMetadata extends ApiObjectMetadataDefinition {
  private readonly owner: ApiObject;
  private readonly extra: Record<string, unknown>;
  private readonly labelMap: Record<string, string>;
  private readonly annotationMap: Record<string, string>;
  private readonly finalizerList: string[];
  private readonly ownerReferenceList: OwnerReference[];
  /** True when the options held fields besides name, namespace, labels, annotations, finalizers and owner references. */
  private otherFields: boolean;

  constructor(options: ApiObjectMetadataDefinitionOptions) {
    // The base keeps only name and namespace (its public fields); everything else is kept here, and
    // cdk8s' own toJson() gets all of it when it runs (see `cdk8sJson`).
    super({ name: options.name, namespace: options.namespace, apiObject: options.apiObject });
    const extra: Record<string, unknown> = {};
    let otherFields = false;
    for (const k in options) {
      if (k === 'apiObject') continue;
      extra[k] = (options as unknown as Record<string, unknown>)[k];
      if (!COMMON_FIELDS.has(k)) otherFields = true;
    }
    this.otherFields = otherFields;
    this.owner = options.apiObject;
    this.extra = extra;
    this.labelMap = { ...(options.labels ?? {}) };
    this.annotationMap = { ...(options.annotations ?? {}) };
    this.finalizerList = options.finalizers ? [...options.finalizers] : [];
    this.ownerReferenceList = options.ownerReferences ? [...options.ownerReferences] : [];
  }

  public addLabel(key: string, value: string): void {
    this.labelMap[key] = value;
  }

  public getLabel(key: string): string | undefined {
    return this.labelMap[key];
  }

  public addAnnotation(key: string, value: string): void {
    this.annotationMap[key] = value;
  }

  public addFinalizers(...finalizers: string[]): void {
    this.finalizerList.push(...finalizers);
  }

  public addOwnerReference(owner: OwnerReference): void {
    this.ownerReferenceList.push(owner);
  }

  public add(key: string, value: any): void {
    this.extra[key] = value;
    if (!COMMON_FIELDS.has(key)) this.otherFields = true;
  }

  /** The ObjectMeta JSON, equal to `ApiObjectMetadataDefinition.toJson()`. */
  public toJson(): any {
    if (!builtInResolversOnly(App.of(this.owner))) return this.cdk8sJson();
    try {
      if (!this.otherFields) return this.commonJson();
    } catch (e) {
      if (e !== NOT_PLAIN) throw e;
      return this.cdk8sJson();
    }
    const data = {
      ...this.extra,
      name: this.name,
      namespace: this.namespace,
      annotations: this.annotationMap,
      finalizers: this.finalizerList,
      ownerReferences: this.ownerReferenceList,
      labels: this.labelMap,
    };
    try {
      return clean(data);
    } catch (e) {
      if (e !== NOT_PLAIN) throw e;
      return this.cdk8sJson();
    }
  }

  /**
   * `clean` of the usual metadata (no fields but the six common ones) without building the merged
   * mapping first: the keys are written in sorted order directly, and a label or annotation mapping of
   * strings is copied without going through `clean` value by value.
   */
  private commonJson(): Record<string, unknown> | undefined {
    const out: Record<string, unknown> = {};
    put(out, 'annotations', stringsOrClean(this.annotationMap));
    put(out, 'finalizers', clean(this.finalizerList));
    put(out, 'labels', stringsOrClean(this.labelMap));
    put(out, 'name', clean(this.name));
    put(out, 'namespace', clean(this.namespace));
    put(out, 'ownerReferences', clean(this.ownerReferenceList));
    for (const _ in out) return out;
    return undefined;
  }

  /** cdk8s' own rendering of this metadata (its resolvers, its errors). */
  private cdk8sJson(): any {
    return new ApiObjectMetadataDefinition({
      ...this.extra,
      labels: this.labelMap,
      annotations: this.annotationMap,
      finalizers: this.finalizerList,
      ownerReferences: this.ownerReferenceList,
      apiObject: this.owner,
    }).toJson();
  }
}

const NOT_PLAIN = new Error('not plain data');
const COMMON_FIELDS = new Set(['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences']);

/** `clean` of a label or annotation mapping: a sorted copy when every value is a string, else `clean`. */
function stringsOrClean(map: Record<string, unknown>): unknown {
  const keys = Object.keys(map);
  if (keys.length === 0) return undefined;
  keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = map[k];
    if (typeof v !== 'string') return clean(map);
    out[k] = v;
  }
  return out;
}
const appsChecked = new WeakMap<App, boolean>();

/** True when the app's resolvers are cdk8s' three built-in ones, in their order, and no others. */
function builtInResolversOnly(app: App): boolean {
  let only = appsChecked.get(app);
  if (only === undefined) {
    const r = app.resolvers;
    only = r.length === 3 && r[0] instanceof LazyResolver && r[1] instanceof ImplicitTokenResolver && r[2] instanceof NumberStringUnionResolver;
    appsChecked.set(app, only);
  }
  return only;
}

/** A value after cdk8s' built-in resolvers (Lazy, implicit token, number-or-string union), applied until none replaces it. */
function resolved(value: unknown): unknown {
  let v: any = value;
  for (;;) {
    if (v == null) return v;
    if (v instanceof Lazy) { v = v.produce(); continue; }
    if (typeof v.resolve === 'function') { v = v.resolve(); continue; }
    if (v.constructor !== Object && (typeof v.value === 'number' || typeof v.value === 'string')) { v = { value: v.value }; continue; }
    return v;
  }
}

/**
 * resolve, then sanitize as metadata does: keys sorted, null and undefined dropped, empty lists and
 * mappings dropped. Anything but plain data is left to cdk8s (NOT_PLAIN).
 */
function clean(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value ?? undefined;
  const v = resolved(value);
  if (v == null) return undefined;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(clean);
  if (Object.getPrototypeOf(v) !== Object.prototype || (v as { constructor?: unknown }).constructor !== Object) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const k of Object.keys(v).sort()) {
    const c = clean((v as Record<string, unknown>)[k]);
    if (c != null) { out[k] = c; any = true; }
  }
  return any ? out : undefined;
}

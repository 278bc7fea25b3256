import { IConstruct } from 'constructs';
import type { KnownSchema } from './schema';

/**
 * Schemas a construct tree carries as values: a construct that makes a custom kind whose CRD may live
 * elsewhere (a PodService, a CompositeController) declares the schema on its app, and rendering that
 * app checks the objects against it. Nothing is registered globally, so importing a module never
 * changes what another app or call validates.
 */
const METADATA_TYPE = 'dockyard:schema';

/** Declares `schemas` on the app (construct tree root) of `scope`; the first one for a kind wins. */
export function declareSchemas(scope: IConstruct, ...schemas: KnownSchema[]): void {
  const root = scope.node.root;
  const have = declaredSchemas(root);
  for (const s of schemas) {
    if (have.some((h) => h.apiVersion === s.apiVersion && h.kind === s.kind)) continue;
    root.node.addMetadata(METADATA_TYPE, s);
    have.push(s);
  }
}

/** The schemas declared on the app of `scope` (see `declareSchemas`). */
export function declaredSchemas(scope: IConstruct): KnownSchema[] {
  return scope.node.root.node.metadata.filter((m) => m.type === METADATA_TYPE).map((m) => m.data as KnownSchema);
}

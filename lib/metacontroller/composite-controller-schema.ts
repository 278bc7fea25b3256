import { compileOpenApi, KnownSchema } from '../core/schema';
import { podServiceSchema } from './crd';

/**
 * The schema of Metacontroller's CompositeController (metacontroller.k8s.io/v1alpha1), written from
 * its documented fields (API reference "CompositeController" and "Hook") and the openAPIV3Schema of
 * the CRD Metacontroller installs (manifests/production/metacontroller-crds-v1.yaml). Kubernetes'
 * own schema does not know this kind, so without it our strict check would reject every controller.
 * `metadata` is left out of `required`: the generic check already requires metadata.name.
 */

// int32 as bounds, not `format: int32`: ajv knows no such format and would warn on every compile.
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };

/** A hook target: `version` (v1|v2) and a `webhook` (url, or service + path). */
function hookSchema(): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      version: { type: 'string', enum: ['v1', 'v2'] },
      webhook: {
        type: 'object',
        properties: {
          url: { type: 'string' },
          timeout: { type: 'string' },
          path: { type: 'string' },
          responseUnMarshallMode: { type: 'string', enum: ['loose', 'strict'] },
          etag: {
            type: 'object',
            properties: { enabled: { type: 'boolean' }, cacheTimeoutSeconds: int32, cacheCleanupSeconds: int32 },
          },
          service: {
            type: 'object',
            required: ['name', 'namespace'],
            properties: { name: { type: 'string' }, namespace: { type: 'string' }, port: int32, protocol: { type: 'string' } },
          },
        },
      },
    },
  };
}

/** openAPIV3Schema of CompositeController v1alpha1. */
export const COMPOSITE_CONTROLLER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['parentResource'],
      properties: {
        parentResource: {
          type: 'object',
          required: ['apiVersion', 'resource'],
          properties: {
            apiVersion: { type: 'string' },
            resource: { type: 'string' },
            revisionHistory: { type: 'object', properties: { fieldPaths: { type: 'array', items: { type: 'string' } } } },
          },
        },
        childResources: {
          type: 'array',
          items: {
            type: 'object',
            required: ['apiVersion', 'resource'],
            properties: {
              apiVersion: { type: 'string' },
              resource: { type: 'string' },
              updateStrategy: {
                type: 'object',
                properties: {
                  method: { type: 'string', enum: ['OnDelete', 'Recreate', 'InPlace', 'RollingRecreate', 'RollingInPlace'] },
                  statusChecks: {
                    type: 'object',
                    properties: {
                      conditions: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['type'],
                          properties: { type: { type: 'string' }, status: { type: 'string' }, reason: { type: 'string' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        resyncPeriodSeconds: int32,
        generateSelector: { type: 'boolean' },
        hooks: {
          type: 'object',
          properties: {
            sync: hookSchema(),
            finalize: hookSchema(),
            customize: hookSchema(),
            preUpdateChild: hookSchema(),
            postUpdateChild: hookSchema(),
          },
        },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

/** apiVersion of Metacontroller's controllers. */
export const METACONTROLLER_API_VERSION = 'metacontroller.k8s.io/v1alpha1';

/** The schema of CompositeController (compiled on first use), as a value for the strict check. */
export const COMPOSITE_CONTROLLER: KnownSchema = { apiVersion: METACONTROLLER_API_VERSION, kind: 'CompositeController', validate: compileOpenApi(COMPOSITE_CONTROLLER_SCHEMA) };

/**
 * The kinds Metacontroller and Dockyard's controller add, known without their CRDs in the set:
 * CompositeController, and PodService at its default group and version. `dockyard validate` passes
 * them to `validateObjects`; a `PodServiceController` or `PodServiceResource` declares them on its app.
 */
export const METACONTROLLER_SCHEMAS: readonly KnownSchema[] = [COMPOSITE_CONTROLLER, podServiceSchema()];

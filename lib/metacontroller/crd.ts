import { DNS_1035_LABEL_PATTERN, PodServiceSpec } from '../constructs/pod-service';
import { KubeObject } from '../core/manifests';
import { DNS_SUBDOMAIN } from '../core/naming';
import { compileOpenApi, KnownSchema } from '../core/schema';

/** Where a PodService custom resource is served: API group and version. */
export interface PodServiceApi {
  /** API group of the PodService kind. @default "dockyard.io" */
  readonly group?: string;
  /** Version of the PodService kind. @default "v1alpha1" */
  readonly version?: string;
}

/** Default API group of PodService. */
export const DEFAULT_PODSERVICE_GROUP = 'dockyard.io';
/** Default API version of PodService. */
export const DEFAULT_PODSERVICE_VERSION = 'v1alpha1';
/** Kind, plural and singular of the custom resource. */
export const PODSERVICE_NAMES = { kind: 'PodService', listKind: 'PodServiceList', plural: 'podservices', singular: 'podservice' } as const;

/** The `group/version` a PodService is written with. */
export function podServiceApiVersion(api: PodServiceApi = {}): string {
  return `${api.group ?? DEFAULT_PODSERVICE_GROUP}/${api.version ?? DEFAULT_PODSERVICE_VERSION}`;
}

type OpenApi = Record<string, unknown>;

// The same rules `checkPodService` applies (lib/constructs/pod-service.ts), written as OpenAPI so the
// API server rejects a bad PodService at `kubectl apply` instead of the webhook failing later. The
// mapped type makes the compiler insist on one schema per PodServiceSpec field: adding a field to the
// spec without describing it here does not compile.
const SPEC_FIELDS: { readonly [K in keyof Required<PodServiceSpec>]: OpenApi } = {
  image: { type: 'string', minLength: 1, pattern: '^\\S+$', description: 'Container image, with a tag (e.g. nginx:1.27).' },
  port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Port the container listens on; the Service exposes the same port.' },
  host: {
    type: 'string',
    maxLength: 253,
    pattern: DNS_SUBDOMAIN.source,
    description: 'Host name routed to the Service by an Ingress (e.g. podservice.local); no Ingress when unset.',
  },
};
const REQUIRED_FIELDS: readonly (keyof PodServiceSpec)[] = ['image', 'port'];

/** The status the webhook writes (see `computePodServiceStatus` in hook.ts). */
const STATUS_FIELDS: Record<string, OpenApi> = {
  observedGeneration: { type: 'integer', minimum: 0, description: 'metadata.generation of the PodService the status was computed for.' },
  ready: { type: 'boolean', description: 'True when the Pod is Ready and the Service has a cluster IP.' },
  podPhase: { type: 'string', description: 'Phase of the observed Pod, or Missing.' },
  podReady: { type: 'boolean', description: 'The Ready condition of the observed Pod.' },
  clusterIP: { type: 'string', description: 'Cluster IP of the observed Service.' },
  ingressAddress: { type: 'string', description: 'IP or host name of the observed Ingress load balancer.' },
  message: { type: 'string', description: 'What the PodService is waiting for, in one sentence.' },
};

/** The openAPIV3Schema of the PodService kind: spec fields with their types and required fields. */
export function podServiceOpenApiSchema(): OpenApi {
  return {
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      // Structural schemas may restrict metadata.name (and generateName) and nothing else of metadata.
      // The name becomes the Service's name, so it must be a DNS-1035 label; without this the API
      // server would accept `1web` and the webhook would refuse it (422) on every sync. Our own
      // schema check (compileOpenApi) skips metadata; checkPodService enforces the name at synth.
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 63, pattern: DNS_1035_LABEL_PATTERN } } },
      spec: {
        type: 'object',
        description: 'Run this image on this port, reachable at this host.',
        required: [...REQUIRED_FIELDS],
        properties: structuredClone(SPEC_FIELDS),
      },
      status: { type: 'object', properties: structuredClone(STATUS_FIELDS) },
    },
  };
}

/**
 * The CustomResourceDefinition of PodService: namespaced, one served and stored version with a
 * `status` subresource (so the webhook's status never races the user's spec) and printer columns.
 */
export function podServiceCrd(api: PodServiceApi = {}): KubeObject {
  const group = api.group ?? DEFAULT_PODSERVICE_GROUP;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PODSERVICE_NAMES.plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { ...PODSERVICE_NAMES },
      versions: [{
        name: api.version ?? DEFAULT_PODSERVICE_VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: podServiceOpenApiSchema() },
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Image', type: 'string', jsonPath: '.spec.image' },
          { name: 'Port', type: 'integer', jsonPath: '.spec.port' },
          { name: 'Host', type: 'string', jsonPath: '.spec.host' },
          { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }],
    },
  };
}

// Compiled on first use, from the very schema the CRD carries.
const validatePodService = compileOpenApi(podServiceOpenApiSchema());

/**
 * The schema of PodService at `apiVersion`, for the strict check of a chart without the CRD (it
 * usually lives in the controller's chart, applied once per cluster). A value: pass it to
 * `validateObjects`, or declare it on an app (`PodServiceResource` does).
 */
export function podServiceSchema(apiVersion: string = podServiceApiVersion()): KnownSchema {
  return { apiVersion, kind: PODSERVICE_NAMES.kind, validate: validatePodService };
}

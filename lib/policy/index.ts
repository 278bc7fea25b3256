// The public surface of the policy module (pod-spec helpers stay internal: their names are generic).
export * from './types';
export { hasCredentialUrl, isSecretName, secretLiteralReason } from './secrets';
export { imageTag, isSensitiveHostPath } from './workload-rules';
export { configRefsOf, selectorMatches } from './object-rules';
export { RULES, SUPPRESS_ANNOTATION_PREFIX, findRule, checkObjects, annotationSuppression } from './check';
export type { CheckOptions } from './check';
export { Policy, checkApp, checkChart, enforcePolicy, policySynthCheck, formatFinding } from './policy';
export type { EnforceOptions } from './policy';
export { checkHostAccess, isDockerSocketPath } from './host-access';
export type { HostAccessFinding, HostAccessOptions, HostAccessRule } from './host-access';

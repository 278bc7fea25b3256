// The public surface of the policy module (pod-spec helpers stay internal: their names are generic).
export * from './types';
export { hasCredentialUrl, isSecretName, secretLiteralReason } from '../ir/secrets';
export { imageTag } from './workload-rules';
export { GUARD_RULES, DOCKER_GUARDS } from './guard-rules';
export { isSensitiveHostPath } from '../ir/host-paths';
export { configRefsOf } from './object-rules';
export { selectorMatches } from '../ir/objects';
export { RULES, SUPPRESS_ANNOTATION_PREFIX, findRule, checkObjects, annotationSuppression } from './check';
export type { CheckOptions } from './check';
export { Policy, checkApp, checkChart, enforcePolicy, policySynthCheck, formatFinding } from './policy';
export type { EnforceOptions } from './policy';
export { isDockerSocketPath, LINT_UNRESOLVED } from '../ir/host-paths';
export type { HostFacts, ResolvedHostPath } from '../ir/host-paths';
export { CAPABILITIES, canonicalCapability, capabilityInfo } from './capabilities';
export type { CapabilityInfo, CapabilityVerdict } from './capabilities';
export { POD_SECURITY_CONTROLS, POD_SECURITY_LEVELS, podSecurityRule } from './pod-security';
export type { PodSecurityLevel } from './pod-security';

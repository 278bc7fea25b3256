export * from './types';
export * from './secrets';
export * from './pod-spec';
export * from './workload-rules';
export * from './object-rules';
export * from './check';
export * from './policy';
export { checkHostAccess, isDockerSocketPath, HostAccessFinding, HostAccessOptions, HostAccessRule } from './host-access';

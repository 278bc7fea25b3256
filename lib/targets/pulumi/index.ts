// The Pulumi targets. Importing this loads @pulumi/pulumi (~1.3-1.8 s measured), so the package root
// should expose it as a subpath or lazily rather than from lib/index.ts directly.
export * from './kube-objects';
export * from './kube-classes';
export * from './gke-cluster';
export * from './kubernetes-app';
export * from './docker-args';
export * from './docker-app';
export * from './external-secrets';
export * from './chart-objects';
export * from './settings';
export { deploy, loadCharts, isModulePath } from './program';
export type { ProgramOutputs, BuildFn } from './program';
export * from './run';

// The compose source. Curated names (not `export *`) so that `export * from './compose'` in
// lib/index.ts cannot clash with core (`locate`) or the Docker target (`PlanOptions`, `mapResources`).
export { ComposeApp, instantiatePlan } from './compose-app';
export type { ComposeAppProps } from './compose-app';
export { loadCompose } from './loader';
export type { LoadComposeOptions } from './loader';
export { planCompose } from './plan';
export type { PlanOptions as ComposePlanOptions, ComposePlan, BindMountMode, SourceSpec, ClaimSpec, MountSpec, AppSpec, AppPropsSpec, ServiceSpec, SidecarSpec, PodExtrasSpec } from './plan';
export { applyPodExtras } from './pod-extras';
export type { PodExtras, SidecarProps } from './pod-extras';
export { planToTypeScript } from './codegen';
export type { CodegenOptions } from './codegen';
export { interpolate } from './interpolate';
export type { InterpolationResult, InterpolationFailure } from './interpolate';
export { locate as locateComposeKey } from './model';
export type {
  ComposeProject, ComposeService, ComposeDeploy, ComposeHealthcheck, ComposeUpdateConfig, ComposePortLong, ComposeVolumeLong,
  ComposeFileRefLong, ComposeFileObject, ComposeVolumeObject,
} from './model';
/** The per-key mapping functions (pure; what the table tests call). */
export * as composeMapping from './mapping';

export * from './model';
export * from './interpolate';
export * from './loader';
export * from './mapping';
export * from './plan';
export * from './codegen';
export * from './compose-app';

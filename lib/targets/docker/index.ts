// The Docker host target: plan types, the pure planner, reconciliation and the executor. engine.ts
// loads dockerode only on first use, so importing this module stays cheap.
export * from './plan';
export * from './mapping';
export * from './planner';
export * from './changes';
export * from './engine';
export * from './status';
export * from './status-view';

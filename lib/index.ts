// Public API of the package root: the constructs, synth, Testing, errors, policy, the PodService
// webhook and the Pulumi components (loaded on first use). The Docker target, compose import and the
// graph are subpaths (dockyard/docker, dockyard/compose, dockyard/graph), so the root never loads them.
import { reportPeerProblems } from './core/peers';

// A cdk8s or constructs version outside the peer range is named once, at load.
reportPeerProblems();

export * from './core';
export * from './constructs';
export * from './policy';
export * from './metacontroller';
export * from './pulumi-exports';
// Object types by kind (type-only: Testing.find(objects, 'Service') is an IService).
export type * from './core/kinds';

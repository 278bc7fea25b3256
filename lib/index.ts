// Public API: one `export *` per concern; compose, the Docker target, the graph and Pulumi load on first use.
import { reportPeerProblems } from './core/peers';

// A cdk8s or constructs version outside the peer range is named once, at load.
reportPeerProblems();

export * from './core';
export * from './constructs';
export * from './policy';
export * from './metacontroller';
export * from './lazy-exports';
export * from './pulumi-exports';
// Object types by kind (type-only: Testing.find(objects, 'Service') is an IService).
export type * from './core/kinds';

// Public API: one `export *` per concern.
import { reportPeerProblems } from './core/peers';

// A cdk8s or constructs version outside the peer range is named once, at load.
reportPeerProblems();

export * from './core';
export * from './constructs';
export * from './policy';
export * from './metacontroller';
export * from './compose';
export * from './targets/docker';
// The graph module has its own selectorMatches (policy's is the public one).
export { buildGraph, graphOfApp, toMermaid, toDot, graphToSvg, graphToPng } from './graph';
export type { Graph, GraphNode, GraphEdge, GraphOptions, PngOptions } from './graph';
export * from './pulumi-exports';
// Object types by kind (type-only: Testing.find(objects, 'Service') is an IService).
export type * from './core/kinds';

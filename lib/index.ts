// Public API: one `export *` per concern.
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

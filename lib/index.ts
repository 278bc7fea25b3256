// Public API: one `export *` per concern; compose, the Docker target, the graph and Pulumi load on first use.
export * from './core';
export * from './constructs';
export * from './policy';
export * from './metacontroller';
export * from './lazy-exports';
export * from './pulumi-exports';

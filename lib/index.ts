// Public API: one `export *` per concern.
export * from './core';
export * from './constructs';
export * from './policy';
export * from './metacontroller';
export * from './pulumi-exports';

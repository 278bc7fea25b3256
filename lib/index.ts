// Public API: one `export *` per concern.
export * from './core';

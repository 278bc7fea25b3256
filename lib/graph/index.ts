export * from './refs';
export * from './model';
export { toMermaid, mermaidShape } from './mermaid';
export { toDot, dotString } from './dot';
export type { DotOptions } from './dot';
export * from './image';
export * from './from-app';

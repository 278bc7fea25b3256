export * from './errors';
export { addProblems } from './construct-problems';
export * from './naming';
export * from './manifests';
export * from './schema';
export * from './synth';

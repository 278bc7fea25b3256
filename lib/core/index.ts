export * from './errors';
export * from './naming';
export * from './manifests';
export * from './schema';
export * from './synth';

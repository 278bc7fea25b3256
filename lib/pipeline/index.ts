// The gate (render -> schema -> policy) and the synth that writes its output.
export * from './gate';
export * from './synth';
export * from './testing';

export * from './config-source';
export * from './app-config';
export * from './app-secret';
export * from './env-value';
export * from './probe';
export * from './web-app';
export * from './namespace';
export * from './pod-service';

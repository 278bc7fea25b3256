// PodService under Metacontroller: CRD, CompositeController, webhook objects and the hook server.
export * from './crd';
export * from './composite-controller-schema';
export * from './pod-service-controller';
export * from './pod-service-resource';
export * from './hook';
export * from './server';

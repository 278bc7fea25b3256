// The Docker host target: the pure planner and the plan types (the dockerode executor is imported
// from './engine' explicitly, so users of the planner alone never load dockerode).
export * from './plan';
export * from './mapping';
export * from './planner';

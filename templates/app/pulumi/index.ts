// The Pulumi program (Pulumi.yaml `main`): Dockyard's shipped program reads the stack config
// (dockyard:target, dockyard:apps) and deploys the charts that ./main.ts builds.
export * from 'dockyard/pulumi/program';

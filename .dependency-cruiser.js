/**
 * The layering of lib/ (docs/architecture.md), checked by `npm test`. Layers, top to bottom:
 *   cli > targets (docker, pulumi), graph > metacontroller > pipeline (the one gate) > policy > compose > constructs > ir > core
 * A module imports only its own layer or layers below it; type-only imports are allowed upward only
 * where a rule says so. No cycles.
 */
const LAYERS = ['cli', 'targets', 'graph', 'metacontroller', 'pipeline', 'policy', 'compose', 'constructs', 'ir', 'core'];
const rank = { cli: 0, targets: 1, graph: 1, metacontroller: 2, pipeline: 3, policy: 4, compose: 5, constructs: 6, ir: 7, core: 8 };

/** One rule per layer: it may not import a layer above it (type-only imports included). */
const upward = LAYERS.filter((l) => rank[l] > 0).map((layer) => ({
  name: `no-upward-from-${layer}`,
  comment: `lib/${layer} may import only layers at or below it (${LAYERS.filter((l) => rank[l] >= rank[layer]).join(', ')})`,
  severity: 'error',
  from: { path: `^lib/${layer}/` },
  to: { path: `^lib/(${LAYERS.filter((l) => rank[l] < rank[layer]).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycles inside lib/ (a cycle of type-only imports is allowed: it vanishes at run time)',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-docker-pulumi-cross',
      comment: 'the Pulumi target may use the Docker planner (one planner for both), never the other way round',
      severity: 'error',
      from: { path: '^lib/targets/docker/' },
      to: { path: '^lib/targets/pulumi/' },
    },
    {
      name: 'no-deep-dependency-imports',
      comment: 'depend on public APIs of dependencies only: no deep imports into cdk8s or constructs internals',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: 'node_modules/(cdk8s|constructs)/lib/(?!index[.]js$)' },
    },
    {
      name: 'no-test-code-in-lib',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(test|bench)/' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(build|dist)/' },
  },
};

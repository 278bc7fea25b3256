import * as compose from '../../lib/compose';

test('dockyard/compose exports the compose API (the package root does not: test/core/root-exports.test.ts)', () => {
  expect(Object.keys(compose).sort()).toEqual(['ComposeApp', 'applyPodExtras', 'composeMapping', 'instantiatePlan', 'interpolate', 'loadCompose', 'locateComposeKey', 'planCompose', 'planToTypeScript']);
});

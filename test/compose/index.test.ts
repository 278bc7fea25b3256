import * as lib from '../../lib';
import * as compose from '../../lib/compose';

test('the compose exports join lib/index.ts without clashing with any other concern', () => {
  // lib/index.ts re-exports the compose API: each shared name must be the compose object itself.
  const clashes = Object.keys(compose).filter((k) => k in lib && (lib as Record<string, unknown>)[k] !== (compose as Record<string, unknown>)[k]);
  expect(clashes).toEqual([]);
  expect(Object.keys(compose).sort()).toEqual(['ComposeApp', 'applyPodExtras', 'composeMapping', 'instantiatePlan', 'interpolate', 'loadCompose', 'locateComposeKey', 'planCompose', 'planToTypeScript']);
});

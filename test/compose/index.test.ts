import * as lib from '../../lib';
import * as compose from '../../lib/compose';

test('the compose exports can join lib/index.ts without clashing with any other concern', () => {
  expect(Object.keys(compose).filter((k) => k in lib)).toEqual([]);
  expect(Object.keys(compose).sort()).toEqual(['ComposeApp', 'composeMapping', 'instantiatePlan', 'interpolate', 'loadCompose', 'locateComposeKey', 'planCompose', 'planToTypeScript']);
});

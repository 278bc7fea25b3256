import { interpolate } from '../../lib/compose/interpolate';

const vars = { SET: 'v', EMPTY: '', TAG: '1.27', NESTED: 'n' };

describe('interpolate', () => {
  test.each([
    ['no variables', 'plain text', 'plain text'],
    ['$VAR', 'a-$SET-b', 'a-v-b'],
    ['${VAR}', 'nginx:${TAG}', 'nginx:1.27'],
    ['${VAR:-default} when set', '${SET:-d}', 'v'],
    ['${VAR:-default} when empty', '${EMPTY:-d}', 'd'],
    ['${VAR:-default} when unset', '${NOPE:-d}', 'd'],
    ['${VAR-default} when empty keeps empty', '${EMPTY-d}', ''],
    ['${VAR-default} when unset', '${NOPE-d}', 'd'],
    ['${VAR:+alt} when set', '${SET:+alt}', 'alt'],
    ['${VAR:+alt} when unset', '${NOPE:+alt}', ''],
    ['nested default', '${NOPE:-${NESTED}}', 'n'],
    ['$$ escape', 'cost $$5 and $${SET}', 'cost $5 and ${SET}'],
    ['lone $ stays', 'price 5$', 'price 5$'],
    ['unset ${VAR} is empty', 'x${NOPE}y', 'xy'],
  ])('%s', (_name, input, expected) => {
    const r = interpolate(input, vars);
    expect(r.failure).toBeUndefined();
    expect(r.value).toBe(expected);
  });

  test('unset variables without a default are listed', () => {
    expect(interpolate('$A ${B} ${C:-x}', {}).unset).toEqual(['A', 'B']);
  });

  test.each([
    ['${VAR:?err} when unset', '${NOPE:?tell me}', 'required variable NOPE is not set: tell me'],
    ['${VAR:?err} when empty', '${EMPTY:?}', 'required variable EMPTY is empty'],
    ['${VAR?err} when unset', '${NOPE?gone}', 'required variable NOPE is not set: gone'],
    ['unclosed brace', 'a ${SET', 'has a "${" without its closing "}"'],
    ['bad name', '${1X}', 'is not a valid variable reference'],
    ['bad modifier', '${SET%x}', 'has an unknown modifier "%x"'],
  ])('%s fails with a message and a fix', (_name, input, message) => {
    const r = interpolate(input, vars);
    expect(r.value).toBeUndefined();
    expect(r.failure?.message).toContain(message);
    expect(r.failure?.fix).toMatch(/\S/);
  });

  test('${VAR?err} accepts an empty value', () => {
    expect(interpolate('${EMPTY?x}', vars).value).toBe('');
  });
});

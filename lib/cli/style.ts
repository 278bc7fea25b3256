/**
 * Terminal colours, only where they help: on a TTY, unless NO_COLOR is set (https://no-color.org);
 * FORCE_COLOR (other than "0") turns them on anywhere, as chalk and Node do.
 */
export function colorWanted(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY === true && env.TERM !== 'dumb';
}

const CODES = { red: 31, yellow: 33, green: 32, bold: 1, dim: 2 } as const;

/** Paints text when `on`, else returns it unchanged. */
export function paint(on: boolean | undefined, style: keyof typeof CODES, text: string): string {
  return on ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
}

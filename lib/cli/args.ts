import { parseArgs, ParseArgsConfig } from 'node:util';
import { DockyardError } from '../core/errors';

/** Parses flags with node:util, turning its errors into a `DockyardError` that shows the usage. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[], options: T, usage: string,
): { values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K] extends { multiple: true } ? string[] : string }; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return parsed as any;
  } catch (e) {
    throw new DockyardError({ where: 'arguments', message: (e as Error).message.replace(/\. To specify.*$/s, ''), fix: `usage: ${usage}` });
  }
}

/** The shipped stack-config reader, with the example app `nginx-webapp` as the default `dockyard:apps`. */
import { ConfigLookup, ProgramSettings, readSettings as readAny } from '../../lib/targets/pulumi/settings';

export type { ConfigLookup, ProgramSettings, ProgramTarget } from '../../lib/targets/pulumi/settings';

/** Reads and checks the program's config (see lib/targets/pulumi/settings.ts). */
export function readSettings(lookup: ConfigLookup, stack: string): ProgramSettings {
  return readAny(lookup, stack, ['nginx-webapp']);
}

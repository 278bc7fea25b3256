import * as fs from 'node:fs';
import * as path from 'node:path';

/** Name of the field table `npm run build` writes (scripts/build-schema.js) next to the built schema module. */
export const SCHEMA_FILE = 'k8s-schema.json';

/**
 * The built field table: next to this module in build/lib/core, or, when running from the sources
 * (tests), in the build/ of the checkout. The schema check reads it; the manifest cache hashes it.
 */
export function schemaFile(): string {
  const beside = path.join(__dirname, SCHEMA_FILE);
  if (fs.existsSync(beside)) return beside;
  return path.join(__dirname, '..', '..', 'build', 'lib', 'core', SCHEMA_FILE);
}

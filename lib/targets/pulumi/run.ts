import * as pulumi from '@pulumi/pulumi';
import { isUserError } from '../../core/errors';
import { BuildFn, deploy, loadCharts, ProgramOutputs } from './program';
import { readSettings } from './settings';

/** Options for `runProgram`. */
export interface RunProgramOptions {
  /** Apps the stack config may name in `dockyard:apps` (besides module paths). @default {} */
  readonly apps?: Readonly<Record<string, BuildFn>>;
  /** `dockyard:apps` when the stack does not set it. @default ['./main.ts'] */
  readonly defaultApps?: readonly string[];
  /** Folder that module paths in `dockyard:apps` are relative to. @default - the current folder (the Pulumi project) */
  readonly cwd?: string;
}

function lookup(fullKey: string): string | undefined {
  const i = fullKey.indexOf(':');
  return new pulumi.Config(fullKey.slice(0, i)).get(fullKey.slice(i + 1));
}

/**
 * The Pulumi program: reads the stack config (`dockyard:target`, `dockyard:apps`, ...), builds the
 * charts and deploys them; returns what the stack exports. A user mistake becomes a `RunError`, so
 * `pulumi up` shows Dockyard's message without a stack trace.
 */
export function runProgram(options: RunProgramOptions = {}): ProgramOutputs {
  try {
    const settings = readSettings(lookup, pulumi.getStack(), options.defaultApps);
    return deploy(settings, loadCharts(settings.apps, options.cwd, options.apps));
  } catch (e) {
    if (isUserError(e)) throw new pulumi.RunError(e.message);
    throw e;
  }
}

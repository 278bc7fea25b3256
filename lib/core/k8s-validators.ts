import * as fs from 'node:fs';
import * as path from 'node:path';
import { formats } from './k8s-formats';

/**
 * The Kubernetes validators of built-in kinds, bundled at build time by scripts/build-validators.js
 * into build/lib/core/k8s-validators/ (chunks of module factories and an index). A kind's validator
 * is set up on first use from the chunks it needs; nothing else of kubernetes-models is loaded.
 */

/** An ajv-compiled validator: true when valid, else false with `errors` set (ajv's error objects). */
export interface CompiledValidator {
  (data: unknown): boolean;
  /** ajv's errors of the last failed call. */
  errors?: any[] | null;
}

interface BundleIndex {
  /** `apiVersion/kind` -> root module id. */
  readonly kinds: Record<string, string>;
  /** Module id -> chunk file name (without .js). */
  readonly chunks: Record<string, string>;
}

type Factory = (module: { exports: any }, exports: any, require: (id: string) => any) => void;

const DIR = 'k8s-validators';
let index: BundleIndex | undefined;
let dir: string | undefined;
const exportsById = new Map<string, any>();
const chunkById = new Map<string, Record<string, Factory>>();
const RUNTIME = { formats };

/** The bundle: next to this module in build/lib/core, or, running from the sources (tests), in the checkout's build/. */
function bundleDir(): string {
  const beside = path.join(__dirname, DIR);
  if (fs.existsSync(beside)) return beside;
  return path.join(__dirname, '..', '..', 'build', 'lib', 'core', DIR);
}

function loadIndex(): BundleIndex {
  if (index) return index;
  dir = bundleDir();
  try {
    index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as BundleIndex;
  } catch (e) {
    throw new Error(`Dockyard's Kubernetes validators are missing (${(e as Error).message}); run \`npm run build\` (it writes build/lib/core/${DIR}/)`);
  }
  return index;
}

/** Runs a module's factory once (CommonJS semantics: a module required again gets the same exports). */
function requireModule(id: string): any {
  if (id === '@kubernetes-models/validate') return RUNTIME;
  const done = exportsById.get(id);
  if (done) return done;
  const chunkName = loadIndex().chunks[id];
  if (!chunkName) throw new Error(`k8s validators: module ${id} is not in the bundle; run \`npm run build\``);
  let chunk = chunkById.get(chunkName);
  if (!chunk) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    chunk = require(path.join(dir!, `${chunkName}.js`)) as Record<string, Factory>;
    chunkById.set(chunkName, chunk);
  }
  const module = { exports: {} as any };
  exportsById.set(id, module.exports);
  chunk[id](module, module.exports, requireModule);
  exportsById.set(id, module.exports);
  return module.exports;
}

/** The validator of a built-in kind (`apps/v1/Deployment`), or undefined when the bundle has none. */
export function kindValidator(gvk: string): CompiledValidator | undefined {
  const root = loadIndex().kinds[gvk];
  return root ? (requireModule(root).validate as CompiledValidator) : undefined;
}

/**
 * Test harness for Pulumi programs without the CLI: `pulumi.runtime.setMocks` plus a recorder on the
 * mock monitor, so tests see what the engine would be told for each resource (type, name, parent,
 * provider, dependsOn URNs, inputs and which inputs are secret). No plugin is loaded or downloaded.
 */
import * as pulumi from '@pulumi/pulumi';

/** One resource registration as the engine would receive it. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** Parent URN ('' for none). */
  readonly parent: string;
  /** Provider reference `urn::id` ('' for the default provider). */
  readonly provider: string;
  /** URNs listed in dependsOn (explicit dependencies plus those of the parent's children). */
  readonly dependencies: string[];
  /** Inputs with secrets unwrapped. */
  readonly inputs: any;
  /** Dotted paths of inputs that were sent as secrets. */
  readonly secretPaths: string[];
  /** Registration order (0-based). */
  readonly seq: number;
}

const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const SIG_KEY = '4dabf18193072939515e22adb298388d';

/** Extra state a test wants the "cluster" to report for a resource (e.g. a Service's status). */
export type StateFor = (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown> | undefined;

/** The recorded registrations of the current test file, in order. */
export const registered: Registered[] = [];
/** Function calls the program made (token and inputs). */
export const calls: pulumi.runtime.MockCallArgs[] = [];
let stateFor: StateFor | undefined;

/** Sets the mocks (once per test file) and wraps the monitor's registerResource to record requests. */
export function installMocks(): void {
  void pulumi.runtime.setMocks({
    newResource: (a) => ({ id: `${a.name}-id`, state: { ...a.inputs, ...(stateFor?.(a) ?? {}) } }),
    call: (a) => { calls.push(a); return a.inputs; },
  }, 'dockyard', 'test', false);
  const monitor = (pulumi.runtime as any).getMonitor();
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, cb: any) => {
    const raw = req.getObject()?.toJavaScript() ?? {};
    const secretPaths: string[] = [];
    const inputs = unwrap(raw, '', secretPaths);
    const urnPromise = new Promise<string>((resolve) => {
      original(req, (err: any, resp: any) => {
        resolve(resp ? resp.getUrn() : '');
        cb(err, resp);
      });
    });
    const entry: any = {
      type: req.getType(), name: req.getName(), parent: req.getParent(), provider: req.getProvider(),
      dependencies: req.getDependenciesList(), inputs, secretPaths, seq: registered.length, urn: '',
    };
    registered.push(entry);
    void urnPromise.then((u) => { entry.urn = u; });
  };
}

/** Chooses extra state the mock returns for resources created from now on. */
export function setStateFor(fn: StateFor | undefined): void {
  stateFor = fn;
}

/** Forgets what was recorded (between tests). */
export function resetRecords(): void {
  registered.length = 0;
  calls.length = 0;
}

function unwrap(v: any, path: string, secrets: string[]): any {
  if (Array.isArray(v)) return v.map((x, i) => unwrap(x, `${path}[${i}]`, secrets));
  if (v && typeof v === 'object') {
    if (v[SIG_KEY] === SECRET_SIG) {
      secrets.push(path);
      return unwrap(v.value, path, []);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x, path ? `${path}.${k}` : k, secrets)]));
  }
  return v;
}

/** Waits until every pending registration and output has been handled by the mocks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await (pulumi.runtime as any).waitForRPCs();
    await new Promise((r) => setImmediate(r));
  }
}

/** The value of an Output (tests only). */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

/** Whether an Output is marked secret. */
export function isSecret(o: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(o);
}

/** Registrations of one type token. */
export function ofType(type: string): Registered[] {
  return registered.filter((r) => r.type === type);
}

/** The one registration with this name (and type, if given); throws with the known names otherwise. */
export function byName(name: string, type?: string): Registered {
  const found = registered.filter((r) => r.name === name && (!type || r.type === type));
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}; names: ${registered.map((r) => r.name).join(', ')}`);
  return found[0];
}

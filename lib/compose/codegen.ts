import * as path from 'node:path';
import { ComposePlan } from './plan';

/** Options for `planToTypeScript`. */
export interface CodegenOptions {
  /** Module the constructs are imported from. @default "dockyard" */
  readonly importFrom?: string;
  /** Compose files named in the header comment. @default - none */
  readonly files?: readonly string[];
  /**
   * Where the generated file will be written: secret files are then read relative to it
   * (`path.join(__dirname, ...)`), so the code works from any folder. @default - absolute paths
   */
  readonly outFile?: string;
}

/** Source text printed as is (a variable or a call), not as a literal. */
class Code {
  constructor(public readonly text: string) {}
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await', 'chart', 'app', 'scope', 'id']);

/** A string as a TypeScript literal (single quotes when nothing needs escaping). */
export function stringLiteral(s: string): string {
  return /^[^'\\\n\r\t\u0000-\u001f\u2028\u2029]*$/.test(s) ? `'${s}'` : JSON.stringify(s);
}

/** A plain value (with `Code` inside) as TypeScript source, short parts on one line. */
export function literal(v: unknown, indent = ''): string {
  if (v instanceof Code) return v.text;
  if (typeof v === 'string') return stringLiteral(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    const items = v.map((x) => literal(x, inner));
    const flat = `[${items.join(', ')}]`;
    return flat.length + indent.length <= 100 && !flat.includes('\n') ? flat : `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (!entries.length) return '{}';
    const items = entries.map(([k, x]) => `${IDENT.test(k) ? k : stringLiteral(k)}: ${literal(x, inner)}`);
    const flat = `{ ${items.join(', ')} }`;
    return flat.length + indent.length <= 100 && !flat.includes('\n') ? flat : `{\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}}`;
  }
  throw new Error(`cannot print ${typeof v}`);
}

function camel(id: string): string {
  const s = id.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^[^A-Za-z_]+/, '');
  return s ? s[0].toLowerCase() + s.slice(1) : 'x';
}

/**
 * The plan as an editable TypeScript file using our constructs. It creates the same constructs, with
 * the same ids, in the same order as `ComposeApp`, so `cdk8s synth` of it writes the same YAML as
 * `dockyard convert`.
 */
export function planToTypeScript(plan: ComposePlan, options: CodegenOptions = {}): string {
  const from = options.importFrom ?? 'dockyard';
  const cls = `${plan.project.replace(/(^|[^A-Za-z0-9])([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '').replace(/^(\d)/, 'Compose$1')}Stack`;
  const used = new Set<string>();
  const varName = (id: string): string => {
    let n = camel(id);
    if (RESERVED.has(n)) n = `${n}Source`;
    let k = n;
    for (let i = 2; used.has(k); i++) k = `${n}${i}`;
    used.add(k);
    return k;
  };
  const body: string[] = [];
  let usesK8s = plan.claims.length > 0;
  const imports = new Set<string>(['WebApp']);
  if (plan.namespace) {
    imports.add('Namespace');
    body.push(`new Namespace(this, 'namespace', { name: ${stringLiteral(plan.namespace)} });`);
  }
  for (const c of plan.claims) {
    const meta = { name: c.name, namespace: plan.namespace, labels: c.labels };
    const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: new Code(`k8s.Quantity.fromString(${stringLiteral(c.storage)})`) } } };
    body.push(`new k8s.KubePersistentVolumeClaim(this, ${stringLiteral(c.id)}, ${literal({ metadata: meta, spec }, '    ')});`);
  }
  // Secret values are never printed: the code reads the files they came from, as the conversion did.
  let usesPath = false;
  const fileRef = (file: string): Code | string => {
    if (!options.outFile) return path.resolve(file);
    usesPath = true;
    return new Code(`path.join(__dirname, ${stringLiteral(path.relative(path.dirname(path.resolve(options.outFile)), path.resolve(file)).split(path.sep).join('/'))})`);
  };
  const vars: Record<string, string> = {};
  // Values that were literals under secret-like names in the compose file: the code reads them from
  // the environment when set there, so they can leave the source; the literal stays as the fallback.
  const literalData = (v: string, s: ComposePlan['sources'][number]) => {
    if (!s.literalKeys?.length) return;
    body.push(`// Literal secret values of the compose file: set them in the environment and delete the fallbacks.`);
    for (const k of s.literalKeys) body.push(`${v}.addData(${stringLiteral(k)}, process.env[${stringLiteral(k)}] ?? ${stringLiteral(s.data[k])});`);
  };
  for (const s of plan.sources) {
    const v = varName(s.id);
    vars[s.id] = v;
    imports.add(s.kind);
    if (s.external) {
      body.push(`// Created outside the manifests (kubectl create secret ...): only its keys are known here.`);
      body.push(`const ${v} = AppSecret.fromExisting(this, ${stringLiteral(s.id)}, ${stringLiteral(s.name)}, ${literal(Object.keys(s.data), '    ')}${plan.namespace ? `, { namespace: ${stringLiteral(plan.namespace)} }` : ''});`);
    } else if (s.envFiles?.length || s.files?.length) {
      // Env files first, then files: the same order the conversion read them in.
      const reads: Array<{ file: string; key?: string }> = [...(s.envFiles ?? []).map((file) => ({ file })), ...(s.files ?? [])];
      const method = (r: { key?: string }) => (r.key === undefined ? 'EnvFile' : 'File');
      const [first, ...more] = reads;
      body.push(`const ${v} = ${s.kind}.from${method(first)}(this, ${stringLiteral(s.id)}, ${literal(fileRef(first.file))}, ${literal({ name: s.name, namespace: plan.namespace, key: first.key }, '    ')});`);
      for (const r of more) body.push(`${v}.add${method(r)}(${literal(fileRef(r.file))}${r.key !== undefined ? `, ${stringLiteral(r.key)}` : ''});`);
      literalData(v, s);
    } else if (s.literalKeys?.length) {
      body.push(`const ${v} = new ${s.kind}(this, ${stringLiteral(s.id)}, ${literal({ name: s.name, namespace: plan.namespace }, '    ')});`);
      literalData(v, s);
    } else {
      body.push(`const ${v} = new ${s.kind}(this, ${stringLiteral(s.id)}, ${literal({ name: s.name, data: s.data, namespace: plan.namespace }, '    ')});`);
      for (const [k, b64] of Object.entries(s.binaryData ?? {})) body.push(`${v}.addBinaryData(${stringLiteral(k)}, Buffer.from(${stringLiteral(b64)}, 'base64'));`);
    }
  }
  for (const a of plan.apps) {
    const { envFrom, mounts, probe, extras, ...rest } = a.props;
    if (probe) imports.add('Probe');
    const probeCode = (options: object) => new Code(`Probe.exec(${literal(probe!.command, '      ')}${Object.keys(options).length ? `, ${literal(options, '      ')}` : ''})`);
    const sourceRefs = <T extends { envFrom?: Array<{ source: string }>; mounts?: ComposePlan['apps'][number]['props']['mounts'] }>(x: T) => ({
      envFrom: x.envFrom?.map((e) => ({ source: new Code(vars[e.source]) })),
      mounts: x.mounts?.map((m) => ({ ...m, source: new Code(vars[m.source]), mode: m.mode !== undefined ? new Code(`0o${m.mode.toString(8)}`) : undefined })),
    });
    const props = {
      ...rest,
      ...sourceRefs({ envFrom, mounts }),
      readiness: probe ? probeCode(probe.options) : undefined,
      startup: probe?.startup ? probeCode(probe.startup) : undefined,
    };
    body.push(`// compose service "${a.service}"`);
    if (!extras) { body.push(`new WebApp(this, ${stringLiteral(a.id)}, ${literal(props, '    ')});`); continue; }
    imports.add('applyPodExtras');
    const v = varName(a.id);
    body.push(`const ${v} = new WebApp(this, ${stringLiteral(a.id)}, ${literal(props, '    ')});`);
    const ex = { ...extras, sidecars: extras.sidecars?.map((sc) => ({ ...sc, ...sourceRefs(sc) })) };
    body.push(`// Pod fields WebApp has no prop for (and containers sharing the pod), written as JSON patches.`);
    body.push(`applyPodExtras(${v}, ${literal(ex, '    ')});`);
  }
  for (const sv of plan.services) {
    usesK8s = true;
    const ports = sv.ports.map((p) => ({ ...p, targetPort: new Code(`k8s.IntOrString.fromNumber(${p.targetPort})`) }));
    body.push(`// Service: ${sv.reason}`);
    body.push(`new k8s.KubeService(this, ${stringLiteral(sv.id)}, ${literal({ metadata: { name: sv.name, namespace: plan.namespace, labels: { app: sv.app } }, spec: { type: sv.type, clusterIp: sv.headless ? 'None' : undefined, selector: { app: sv.app }, ports: ports.length ? ports : undefined } }, '    ')});`);
  }
  const header = options.files?.length ? `Converted from ${options.files.join(', ')} by \`dockyard convert\`` : 'Converted by `dockyard convert`';
  const names = [...imports].sort();
  return [
    `// ${header}. This file is yours: edit it, the compose file is no longer read.`,
    ...(usesPath ? [`import * as path from 'node:path';`] : []),
    `import { App, Chart } from 'cdk8s';`,
    ...(usesK8s ? [`import { k8s } from 'cdk8s-plus-33';`] : []),
    `import { Construct } from 'constructs';`,
    `import { ${[...names, 'synthApp'].join(', ')} } from ${stringLiteral(from)};`,
    '',
    `/** The compose project "${plan.project}" as Dockyard constructs. */`,
    `export class ${cls} extends Construct {`,
    `  constructor(scope: Construct, id: string) {`,
    `    super(scope, id);`,
    ...body.map((l) => `    ${l}`),
    `  }`,
    `}`,
    '',
    `/** Adds the chart "${plan.project}" (written to ${plan.project}.k8s.yaml) to an app. */`,
    `export function build(app: App): Chart {`,
    `  const chart = new Chart(app, ${stringLiteral(plan.project)});`,
    `  new ${cls}(chart, 'stack');`,
    `  return chart;`,
    `}`,
    '',
    `// \`npx ts-node this-file.ts\` (or cdk8s synth with this file as the app) writes dist/${plan.project}.k8s.yaml.`,
    `if (require.main === module) {`,
    `  const app = new App();`,
    `  build(app);`,
    `  synthApp(app);`,
    `}`,
    '',
  ].join('\n');
}

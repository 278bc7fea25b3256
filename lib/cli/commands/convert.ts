import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { CliCommand } from '../command';
import { parseFlags } from '../args';
import { DockyardError, formatProblem, Problem } from '../../core/errors';
import { toYaml } from '../../core/synth';
import { holdsSecretData, writeFileAtomic } from '../../core/write-file';
import { planToTypeScript } from '../../compose/codegen';
import { ComposeApp } from '../../compose/compose-app';
import { composePolicyProblems } from '../convert-policy';
import { summarizeByRule } from '../../policy/summary';
import { gateAppReport } from '../../pipeline/gate';
import { loadCompose } from '../../compose/loader';
import type { BindMountMode } from '../../compose/plan';
import type { ServiceType, WorkloadKind } from '../../constructs/web-app';

const usage = 'dockyard convert <compose.yaml...> [-o dir] [--format yaml|ts] [--controller deployment|replicationcontroller|daemonset|pod] [--namespace NS] [--strict] [--service-type loadbalancer|nodeport|clusterip] [--bind-mounts auto|hostpath|configmap] [--project NAME] [--profile NAME]... [--verbose]';

const CONTROLLERS: Record<string, WorkloadKind> = { deployment: 'Deployment', replicationcontroller: 'ReplicationController', daemonset: 'DaemonSet', pod: 'Pod' };
const BIND: Record<string, BindMountMode> = { auto: 'auto', hostpath: 'hostPath', configmap: 'configMap' };
const SERVICE_TYPES: Record<string, ServiceType> = { loadbalancer: 'LoadBalancer', nodeport: 'NodePort', clusterip: 'ClusterIP' };

function choice<T>(value: string | undefined, table: Record<string, T>, flag: string): T | undefined {
  if (value === undefined) return undefined;
  const hit = table[value.toLowerCase()];
  if (hit === undefined) throw new DockyardError({ where: 'arguments', message: `${flag} "${value}" is not one of ${Object.keys(table).join(', ')}`, fix: `usage: ${usage}` });
  return hit;
}

/** Writes a file atomically: a temporary sibling renamed over the target, so no partial output is left. */
function writeAtomic(file: string, text: string, secret: boolean): void {
  try {
    writeFileAtomic(file, text, { secret }); // 0600 when it holds Secret data
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new DockyardError({ where: path.dirname(file), message: `cannot write ${file} (${code})`, fix: 'pass -o a folder you can write to (it is created when missing)' });
  }
}

/** `-o` names a folder; a file there (or on its way) would only fail later with EEXIST or ENOTDIR. */
function checkOutdir(outdir: string): void {
  for (let dir = path.resolve(outdir); ; dir = path.dirname(dir)) {
    let st: fs.Stats | undefined;
    try { st = fs.statSync(dir); } catch { /* missing: created later */ }
    if (st && !st.isDirectory()) {
      throw new DockyardError({ where: '-o', message: `-o must be a folder, but ${dir === path.resolve(outdir) ? outdir : dir} is a file`, fix: `pass a folder, like -o dist (the output is written to <folder>/<project>.k8s.yaml or .ts)` });
    }
    if (st || dir === path.dirname(dir)) return;
  }
}

/**
 * `dockyard convert`: compose files to Kubernetes YAML (`<dir>/<project>.k8s.yaml`) or to an editable
 * TypeScript file of our constructs (`<dir>/<project>.ts`). Warnings go to stderr; nothing is written
 * unless the whole conversion validated.
 */
export const command: CliCommand = {
  summary: 'convert docker-compose files to Kubernetes YAML or TypeScript constructs',
  usage,
  description: 'Every conversion warning is printed; policy warnings repeated across services are shown three per rule with a count of the rest (--verbose shows all).',
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      controller: { type: 'string' },
      namespace: { type: 'string' },
      strict: { type: 'boolean' },
      'bind-mounts': { type: 'string' },
      'service-type': { type: 'string' },
      project: { type: 'string' },
      profile: { type: 'string', multiple: true },
      verbose: { type: 'boolean' },
    }, usage);
    if (positionals.length === 0) throw new DockyardError({ where: 'arguments', message: 'no compose file given', fix: `usage: ${usage}` });
    const format = choice(values.format ?? 'yaml', { yaml: 'yaml', ts: 'ts' } as const, '--format')!;
    const controller = choice(values.controller, CONTROLLERS, '--controller');
    const bindMounts = choice(values['bind-mounts'], BIND, '--bind-mounts');
    const serviceType = choice(values['service-type'], SERVICE_TYPES, '--service-type');
    const outdir = values.output ?? 'dist';
    checkOutdir(outdir);

    const profiles = values.profile as string[] | undefined;
    const project = loadCompose(positionals, { env: io.env, projectName: values.project, profiles });
    const app = new App({ outdir });
    const chart = new Chart(app, project.name);
    const stack = new ComposeApp(chart, 'stack', {
      files: positionals, env: io.env, projectName: values.project, controller, namespace: values.namespace, bindMounts, serviceType, strict: values.strict,
      // Loaded once above, with the active profiles (the chart is named after the project).
      profiles, project,
    });
    // Validate even for --format ts: the generated code must synthesize to valid objects too.
    const { outputs, policy: report } = gateAppReport(app, { warn: (l) => io.err(`${l}\n`) });
    // The policy, as synth runs it: literal secrets fail the conversion before anything is written.
    // --strict is about the conversion (keys dropped or changed in meaning); policy warnings (no
    // probe, may run as root) are advice about the app itself and stay warnings.
    const policy = composePolicyProblems(stack.project, stack.plan, report, false);
    if (policy.errors.length) throw new DockyardError(policy.errors, `${policy.errors.length} policy problem(s) converting ${positionals.join(', ')}; nothing was written:`);
    // Policy warnings repeat per service (no probe, may run as root): three per rule and a count, as lint.
    const line = (w: Problem) => `warning: ${formatProblem(w)}`;
    const lines = [...stack.warnings.map(line), ...summarizeByRule(policy.warnings, (w) => w.rule, line, { verbose: values.verbose })];
    if (lines.length) io.err(`${lines.join('\n')}\n`);
    const objects = outputs.find((o) => o.chart === chart)?.objects.map((o) => o.object) ?? [];
    const file = path.join(outdir, format === 'ts' ? `${project.name}.ts` : `${project.name}.k8s.yaml`);
    writeAtomic(file, format === 'ts' ? planToTypeScript(stack.plan, { files: positionals.map((f) => path.basename(f)), outFile: file }) : toYaml(objects), holdsSecretData(objects));
    io.out(`${file}: ${Object.keys(stack.apps).length} service(s), ${objects.length} object(s), ${stack.warnings.length} conversion warning(s), ${policy.warnings.length} policy warning(s)\n`);
    return 0;
  },
};

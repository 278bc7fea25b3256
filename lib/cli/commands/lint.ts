import { CliCommand } from '../command';
import { parseFlags } from '../args';
import { loadManifests } from '../../core/manifests';
import { DockyardError } from '../../core/errors';
import { checkObjects } from '../../policy/check';
import { PodSecurityLevel, POD_SECURITY_LEVELS } from '../../policy/pod-security';

const usage = 'dockyard lint [--json] [--pod-security baseline|restricted] <files|folders|->';

/** `dockyard lint`: policy checks over manifests; exit 1 when any finding is an error. */
export const command: CliCommand = {
  summary: 'check manifests against the policy rules (latest tags, Docker socket, secrets in literals, ...)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { json: { type: 'boolean' }, 'pod-security': { type: 'string' } }, usage);
    const level = values['pod-security'];
    if (level !== undefined && !POD_SECURITY_LEVELS.includes(level as PodSecurityLevel)) throw new DockyardError({ where: '--pod-security', message: `"${level}" is not a Pod Security Standards level`, fix: 'use --pod-security baseline or --pod-security restricted' });
    const loaded = loadManifests(positionals, io.stdin);
    const report = checkObjects(loaded.map((l) => l.object), level ? { podSecurity: level as PodSecurityLevel } : {});
    const at = (index: number, fieldPath: readonly (string | number)[]) => ({ file: loaded[index].file, line: loaded[index].lineOf(fieldPath) });
    if (values.json) {
      const findings = report.findings.map(({ index, fieldPath, ...f }) => ({ ...at(index, fieldPath), ...f }));
      const suppressed = report.suppressed.map(({ index, fieldPath, ...f }) => ({ ...at(index, fieldPath), ...f }));
      io.out(JSON.stringify({ objects: report.objects, errors: report.errors, warnings: report.warnings, findings, suppressed }, null, 2) + '\n');
    } else {
      for (const f of report.findings) {
        const { file, line } = at(f.index, f.fieldPath);
        io.out(`${file}:${line}: ${f.object}: ${f.severity} ${f.rule}: ${f.message}\n    fix: ${f.fix}\n`);
      }
      for (const s of report.suppressed) {
        const { file, line } = at(s.index, s.fieldPath);
        io.out(`${file}:${line}: ${s.object}: suppressed ${s.rule}: ${s.reason}\n`);
      }
      io.out(`${report.objects} object(s): ${report.errors} error(s), ${report.warnings} warning(s), ${report.suppressed.length} suppressed\n`);
    }
    return report.errors > 0 ? 1 : 0;
  },
};

import { CliCommand } from '../command';
import { parseFlags } from '../args';
import { loadCrdFiles, projectCrds } from '../../core/crd-schema';
import { DockyardError } from '../../core/errors';
import { formatFieldPath } from '../../core/field-path';
import { loadManifests } from '../../core/manifests';
import { isBuiltinKind, ObjectIssue } from '../../core/schema';
import { gateObjects } from '../../pipeline/gate';
import { PodSecurityLevel, POD_SECURITY_LEVELS } from '../../policy/pod-security';
import { summarizeByRule } from '../../policy/summary';
import { paint } from '../style';

const usage = 'dockyard lint [--json] [--verbose] [--pod-security baseline|restricted] [--crd FILE]... <files|folders|->';

const FLAGS = {
  json: { type: 'boolean', help: 'print the report as JSON (every finding, never summarized)' },
  verbose: { type: 'boolean' },
  'pod-security': { type: 'string', help: 'also check the Pod Security Standards level: baseline or restricted' },
  crd: { type: 'string', multiple: true },
} as const;

/** `dockyard lint`: policy checks over manifests; exit 1 when any finding is an error. */
export const command: CliCommand = {
  summary: 'check manifests against the policy rules (latest tags, Docker socket, secrets in literals, ...)',
  usage,
  description: 'Warnings repeated across objects are shown three per rule with a count of the rest (--verbose shows all). --crd files are checked (file:line on a bad one) and their custom resources validated against them.',
  async run(args, io) {
    const { values, positionals } = parseFlags(args, FLAGS, usage);
    const level = values['pod-security'];
    if (level !== undefined && !POD_SECURITY_LEVELS.includes(level as PodSecurityLevel)) throw new DockyardError({ where: '--pod-security', message: `"${level}" is not a Pod Security Standards level`, fix: 'use --pod-security baseline or --pod-security restricted' });
    const crds = values.crd?.length ? loadCrdFiles(values.crd) : [];
    const loaded = loadManifests(positionals, io.stdin);
    // The schema step runs only for custom resources of known CRDs (`validate` checks the rest).
    const policy = level ? { podSecurity: level as PodSecurityLevel } : {};
    const gate = gateObjects(loaded.map((l) => l.object), { schema: crds.length > 0 || projectCrds().length > 0, crds, policy });
    const report = gate.policy!;
    const at = (index: number, fieldPath: readonly (string | number)[]) => ({ file: loaded[index].file, line: loaded[index].lineOf(fieldPath) });
    const crdErrors = customResourceErrors(gate.schema, loaded.map((l) => l.object));
    if (values.json) {
      // `where` is the object here, which `object` already names.
      const findings = report.findings.map(({ index, fieldPath, where: _where, ...f }) => ({ ...at(index, fieldPath), ...f }));
      const suppressed = report.suppressed.map(({ index, fieldPath, where: _where, ...f }) => ({ ...at(index, fieldPath), ...f }));
      io.out(JSON.stringify({ objects: report.objects, errors: report.errors + crdErrors.length, warnings: report.warnings, findings, suppressed, customResourceErrors: crdErrors.map((e) => ({ ...at(e.index, []), ...e })) }, null, 2) + '\n');
    } else {
      const line = (f: (typeof report.findings)[number]) => {
        const { file, line: l } = at(f.index, f.fieldPath);
        return `${file}:${l}: ${f.object}: ${paint(io.color, f.severity === 'error' ? 'red' : 'yellow', f.severity)} ${f.rule}: ${f.message}\n    fix: ${f.fix}`;
      };
      // Errors all; warnings summarized per rule (in report order, errors first so none scrolls away).
      for (const f of report.findings.filter((x) => x.severity === 'error')) io.out(`${line(f)}\n`);
      for (const l of summarizeByRule(report.findings.filter((x) => x.severity !== 'error'), (f) => f.rule, line, { verbose: values.verbose })) io.out(`${l}\n`);
      for (const e of crdErrors) io.out(`${at(e.index, []).file}:${at(e.index, []).line}: ${e.object}: ${paint(io.color, 'red', 'error')} crd-schema: ${e.path}: ${e.message}\n    fix: make the field match the CustomResourceDefinition's schema\n`);
      for (const s of report.suppressed) {
        const { file, line: l } = at(s.index, s.fieldPath);
        io.out(`${file}:${l}: ${s.object}: suppressed ${s.rule}: ${s.reason}\n`);
      }
      io.out(`${report.objects} object(s): ${report.errors + crdErrors.length} error(s), ${report.warnings} warning(s), ${report.suppressed.length} suppressed\n`);
    }
    return report.errors + crdErrors.length > 0 ? 1 : 0;
  },
};

type CustomResourceError = { index: number; object: string; path: string; message: string };

/** Schema errors of custom resources (lint reports only these: `validate` checks the built-in kinds). */
function customResourceErrors(issues: readonly ObjectIssue[], objects: readonly { apiVersion: string; kind: string }[]): CustomResourceError[] {
  return issues
    .filter((i) => i.severity !== 'warning' && !isBuiltinKind(objects[i.index].apiVersion, objects[i.index].kind))
    .map((i) => ({ index: i.index, object: i.object, path: formatFieldPath(i.fieldPath), message: i.message }));
}

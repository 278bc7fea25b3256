import { CliCommand } from '../command';
import { DockyardError } from '../../core/errors';
import { formatFieldPath } from '../../core/field-path';
import { parseFlags } from '../args';
import { loadCrdFiles, projectCrds } from '../../core/crd-schema';
import { loadManifests } from '../../core/manifests';
import { gateObjects } from '../../pipeline/gate';
import { METACONTROLLER_SCHEMAS } from '../../metacontroller/composite-controller-schema';
import { paint } from '../style';

const usage = 'dockyard validate [--json] [--crd FILE]... <files|folders|->';

const FLAGS = {
  json: { type: 'boolean', help: 'print {objects, issues, warnings} as JSON instead of text' },
  crd: { type: 'string', multiple: true },
} as const;

/** `dockyard validate`: strict schema check of manifests; exit 1 naming file:line, object and field. */
export const command: CliCommand = {
  summary: 'check manifests against the Kubernetes schema (unknown fields fail)',
  usage,
  description: 'Custom resources are checked against the CustomResourceDefinitions in the input, --crd files and cdk8s.yaml `crds:`; one of no known CRD is a warning (exit 0).',
  async run(args, io) {
    const { values, positionals } = parseFlags(args, FLAGS, usage);
    const crds = [...loadCrdFiles(values.crd ?? []), ...projectCrds()];
    const loaded = loadManifests(positionals, io.stdin);
    // An empty input is refused: a failed step piped into `dockyard validate -` must not pass CI.
    if (loaded.length === 0) throw new DockyardError({ where: positionals.join(' '), message: 'holds no Kubernetes object', fix: 'pass the manifests to check (e.g. dist/); empty files and comment-only files hold none' });
    // Metacontroller's CompositeController (and PodService) are known without their CRDs in the set.
    const all = gateObjects(loaded.map((l) => l.object), { policy: false, crds, schemas: METACONTROLLER_SCHEMAS }).schema.map((i) => {
      const l = loaded[i.index];
      return { file: l.file, line: l.lineOf(i.fieldPath), object: i.object, field: formatFieldPath(i.fieldPath), message: i.message, warning: i.severity === 'warning', kind: `${l.object.apiVersion}/${l.object.kind}` };
    });
    const issues = all.filter((i) => !i.warning).map(({ warning: _w, kind: _k, ...i }) => i);
    // One warning per custom kind with no CRD (the first object), with the count of the others.
    const byKind = new Map<string, { first: (typeof all)[number]; count: number }>();
    for (const w of all.filter((i) => i.warning)) {
      const e = byKind.get(w.kind);
      if (e) e.count++; else byKind.set(w.kind, { first: w, count: 1 });
    }
    const warnings = [...byKind.values()].map(({ first, count }) => (
      { file: first.file, line: first.line, object: first.object, objects: count, message: first.message }));
    if (values.json) { io.out(JSON.stringify({ objects: loaded.length, issues, warnings }, null, 2) + '\n'); return issues.length ? 1 : 0; }
    for (const w of warnings) {
      const more = w.objects > 1 ? ` (${w.objects} objects of this kind)` : '';
      io.err(`${w.file}:${w.line}: ${w.object}: ${paint(io.color, 'yellow', 'warning')}: ${w.message}${more}\n`);
    }
    if (issues.length === 0) io.out(`${loaded.length} object(s) valid${warnings.length ? `, ${warnings.length} warning(s)` : ''}\n`);
    else {
      for (const i of issues) io.err(`${i.file}:${i.line}: ${i.object}: ${i.field}: ${paint(io.color, 'red', i.message)}\n`);
      io.err(`${issues.length} problem(s) in ${new Set(issues.map((i) => i.object)).size} object(s); fix the fields named above.\n`);
    }
    return issues.length ? 1 : 0;
  },
};

import { CliCommand } from '../command';
import { DockyardError } from '../../core/errors';
import { parseFlags } from '../args';
import { loadManifests } from '../../core/manifests';
import { validateObjects } from '../../core/schema';
import { registerMetacontrollerSchemas } from '../../metacontroller/composite-controller-schema';

const usage = 'dockyard validate [--json] <files|folders|->';

/** `dockyard validate`: strict schema check of manifests; exit 1 naming file:line, object and field. */
export const command: CliCommand = {
  summary: 'check manifests against the Kubernetes schema (unknown fields fail)',
  usage,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } }, usage);
    // Metacontroller's CompositeController (and PodService) are known without their CRDs in the set.
    registerMetacontrollerSchemas();
    const loaded = loadManifests(positionals, io.stdin);
    // An empty input is refused: a failed step piped into `dockyard validate -` must not pass CI.
    if (loaded.length === 0) throw new DockyardError({ where: positionals.join(' '), message: 'holds no Kubernetes object', fix: 'pass the manifests to check (e.g. dist/); empty files and comment-only files hold none' });
    const issues = validateObjects(loaded.map((l) => l.object)).map((i) => {
      const l = loaded[i.index];
      const fieldPath = i.path === '(root)' ? [] : i.path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      return { file: l.file, line: l.lineOf(fieldPath), object: i.object, field: i.path, message: i.message };
    });
    if (values.json) io.out(JSON.stringify({ objects: loaded.length, issues }, null, 2) + '\n');
    else if (issues.length === 0) io.out(`${loaded.length} object(s) valid\n`);
    else {
      for (const i of issues) io.err(`${i.file}:${i.line}: ${i.object}: ${i.field}: ${i.message}\n`);
      io.err(`${issues.length} problem(s) in ${new Set(issues.map((i) => i.object)).size} object(s); fix the fields named above.\n`);
    }
    return issues.length ? 1 : 0;
  },
};

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliCommand } from '../command';
import { parseFlags } from '../args';
import { DockyardError } from '../../core/errors';
import { toDnsLabel } from '../../core/naming';
import { dockyardManifest, dockyardRoot } from '../../core/peers';

const usage = 'dockyard init [dir] [--name NAME] [--force] [--no-install] [--dockyard SPEC]';

/** Files of templates/app with a name other than their place in the project (npm drops `.gitignore` from packages). */
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

const FLAGS = {
  name: { type: 'string', help: 'project and chart name (a DNS label)', defaultText: 'the folder name', valueName: 'NAME' },
  force: { type: 'boolean', help: 'write into a folder that already has files (overwrites the files listed above)' },
  'no-install': { type: 'boolean', help: 'write the files only; run `npm install` yourself' },
  dockyard: { type: 'string', help: 'the dockyard dependency in package.json: a version range, a tarball or a path', defaultText: '$DOCKYARD_INIT_DEPENDENCY, else ^<this version>', valueName: 'SPEC' },
} as const;

/** The template files, relative to templates/app, sorted. */
export function templateFiles(dir = path.join(dockyardRoot(), 'templates', 'app')): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r); else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Where a template file lands in the project. */
export function targetName(rel: string): string {
  return RENAMED[rel] ?? rel;
}

/**
 * The values put into the templates: the project name, and dependency ranges taken from Dockyard's own
 * package.json (its peer ranges for cdk8s/constructs, its tested tool versions), so a new project
 * gets the versions Dockyard is tested with.
 */
export function templateValues(name: string, dockyardSpec: string): Record<string, string> {
  const pkg = dockyardManifest();
  const values: Record<string, string> = { name, dockyard: dockyardSpec };
  for (const [k, v] of Object.entries({ ...pkg.devDependencies, ...pkg.peerDependencies })) values[k] = v;
  return values;
}

/** Fills `{{key}}` placeholders; an unknown key is a bug in the template, so it throws. */
export function fillTemplate(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{([^}]+)\}\}/g, (_, key: string) => {
    if (values[key] === undefined) throw new Error(`template ${file}: no value for {{${key}}}`);
    return values[key];
  });
}

/** A `file:` spec for a tarball or folder path given relative to the current folder. */
function dependencySpec(spec: string): string {
  if (/^(file:|[~^<>=]|\d|npm:|https?:|git)/.test(spec) || spec === 'latest') return spec;
  return `file:${path.resolve(spec)}`;
}

/**
 * `dockyard init`: a new project, as `cdk8s init typescript-app` makes one, with Dockyard in it.
 * Refuses a folder with files in it (other than .git) unless --force.
 */
export const command: CliCommand = {
  summary: 'create a new project: a cdk8s app with a WebApp, a snapshot test and a Pulumi program',
  usage,
  description: [
    'Writes into [dir] (default: the current folder):',
    '  package.json    dockyard, cdk8s and constructs; cdk8s-cli, jest, ts-jest, ts-node and typescript to develop',
    '  cdk8s.yaml      `npx cdk8s synth` runs main.ts; `crds:` lists CustomResourceDefinition files',
    '  main.ts         one chart: a WebApp reading an AppConfig; `build(app)` for Pulumi',
    '  main.test.ts    a snapshot test with Testing (`npm test`)',
    '  Pulumi.yaml     `pulumi up` through pulumi/index.ts, Dockyard\'s shipped program',
    '  tsconfig.json, jest.config.js, .gitignore',
    'then runs `npm install` (unless --no-install). Next: `npx cdk8s synth` writes dist/, `npm test` runs the test.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseFlags(args, FLAGS, usage);
    if (positionals.length > 1) throw new DockyardError({ where: 'arguments', message: `one folder expected, got ${positionals.length}`, fix: `usage: ${usage}` });
    const dir = path.resolve(positionals[0] ?? '.');
    const name = toDnsLabel(values.name ?? path.basename(dir));
    if (!name) throw new DockyardError({ where: '--name', message: `"${values.name ?? path.basename(dir)}" has no letter or digit to make a project name from`, fix: 'pass --name my-app' });
    if (fs.existsSync(dir)) {
      if (!fs.statSync(dir).isDirectory()) throw new DockyardError({ where: dir, message: 'is a file, not a folder', fix: 'pass a new or empty folder: dockyard init my-app' });
      const present = fs.readdirSync(dir).filter((f) => f !== '.git');
      if (present.length && !values.force) {
        throw new DockyardError({ where: dir, message: `is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', ...' : ''})`, fix: 'run it in a new or empty folder (dockyard init my-app), or add --force to write the project files over what is there' });
      }
    }
    const spec = dependencySpec(values.dockyard ?? io.env.DOCKYARD_INIT_DEPENDENCY ?? `^${dockyardManifest().version}`);
    const templates = path.join(dockyardRoot(), 'templates', 'app');
    const fill = templateValues(name, spec);
    const written: string[] = [];
    for (const rel of templateFiles(templates)) {
      const target = path.join(dir, targetName(rel));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, fillTemplate(fs.readFileSync(path.join(templates, rel), 'utf8'), fill, rel));
      written.push(targetName(rel));
    }
    io.out(`created ${name} in ${dir}: ${written.join(', ')}\n`);
    if (!values['no-install']) {
      io.out('running npm install...\n');
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const r = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: io.env, encoding: 'utf8' });
      if (r.status !== 0) {
        io.err(r.stderr || String(r.error ?? ''));
        throw new DockyardError({ where: dir, message: `npm install failed (exit ${r.status ?? r.error})`, fix: 'fix what npm reported above, then run npm install in the project' });
      }
    }
    io.out(`next: cd ${path.relative(process.cwd(), dir) || '.'} && npx cdk8s synth && npm test\n`);
    return 0;
  },
};

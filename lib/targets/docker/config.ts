/**
 * The project config file, `dockyard.yaml`: the Docker target settings a project sets once instead of
 * repeating them on every `deploy|diff|destroy|status --docker`. Found by walking up from the current
 * folder (as git, eslint and prettier find theirs), or given with `--config FILE`.
 *
 * ```yaml
 * docker:
 *   project: shop
 *   publishAddress: 127.0.0.1
 *   proxyImage: haproxy:2.9
 *   manifests: [dist/]
 * ```
 *
 * Precedence, per setting: flag > environment variable > this file > default (`resolveSettings`).
 * Reading is split from checking so both stay pure and testable; `yaml` loads only when a file exists.
 */
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';
import { DockyardError, Problem } from '../../core/errors';
import { checkDnsLabel, closestMatch } from '../../core/naming';

/** File names looked for in each folder, first match wins. */
export const CONFIG_FILE_NAMES = ['dockyard.yaml', 'dockyard.yml'] as const;

/** Top-level sections of dockyard.yaml (one per target; others join here). */
export const CONFIG_SECTIONS = ['docker'] as const;

type Kind = 'string' | 'boolean' | 'seconds' | 'count' | 'paths';

/** One Docker target setting: its key in the file, its flag, its environment variable. */
export interface SettingSpec {
  /** Key under `docker:`. */
  readonly key: string;
  /** The flag, without `--`. */
  readonly flag: string;
  /** Value type in the file. */
  readonly kind: Kind;
  /** Environment variable that overrides the file (not the flag). @default none */
  readonly env?: string;
  /** An example value for error messages. */
  readonly example: string;
}

/** Every setting the file can hold (flags that only make sense per run, like --json, are not here). */
export const DOCKER_SETTINGS: readonly SettingSpec[] = [
  { key: 'project', flag: 'project', kind: 'string', env: 'DOCKYARD_PROJECT', example: 'shop' },
  { key: 'host', flag: 'host', kind: 'string', env: 'DOCKER_HOST', example: 'unix:///var/run/docker.sock' },
  { key: 'publishAddress', flag: 'publish-address', kind: 'string', example: '127.0.0.1' },
  { key: 'proxyImage', flag: 'proxy-image', kind: 'string', env: 'DOCKYARD_PROXY_IMAGE', example: 'haproxy:2.9' },
  { key: 'pull', flag: 'no-pull', kind: 'boolean', example: 'false' },
  { key: 'wait', flag: 'wait', kind: 'boolean', example: 'true' },
  { key: 'waitTimeout', flag: 'wait-timeout', kind: 'seconds', example: '60' },
  { key: 'stopTimeout', flag: 'stop-timeout', kind: 'seconds', example: '10' },
  { key: 'skipUnsupported', flag: 'skip-unsupported', kind: 'boolean', example: 'true' },
  { key: 'allowDockerSocket', flag: 'allow-docker-socket', kind: 'boolean', example: 'true' },
  { key: 'allowPrivileged', flag: 'allow-privileged', kind: 'boolean', example: 'true' },
  { key: 'allowHostPaths', flag: 'allow-host-paths', kind: 'boolean', example: 'true' },
  { key: 'maxReplicas', flag: 'max-replicas', kind: 'count', example: '200' },
  { key: 'manifests', flag: '', kind: 'paths', example: '[dist/]' },
];

/** Values of the `docker:` section, checked. Undefined = not set in the file. */
export interface DockerFileSettings {
  readonly [key: string]: string | boolean | number | readonly string[] | undefined;
}

/** A loaded, checked config file. */
export interface ProjectConfig {
  /** The file, as the user would type it (relative to the current folder when inside it). */
  readonly file: string;
  /** Its folder, absolute (relative paths in it are relative to this). */
  readonly dir: string;
  /** The `docker:` settings. */
  readonly docker: DockerFileSettings;
  /** Key -> 1-based line, for messages that name where a value came from. */
  readonly lines: Readonly<Record<string, number>>;
}

/** The config file for `cwd`: the nearest dockyard.yaml in it or a parent folder, or undefined. Pure apart from fs reads. */
export function findConfigFile(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Loads the config: `explicit` (--config) must exist; otherwise the nearest one, if any. */
export function loadProjectConfig(cwd: string, explicit?: string): ProjectConfig | undefined {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : findConfigFile(cwd);
  if (file === undefined) return undefined;
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e: any) {
    const why = e?.code === 'ENOENT' ? 'does not exist' : e?.code === 'EISDIR' ? 'is a folder' : `cannot be read (${e?.code ?? e})`;
    throw new DockyardError({ where: '--config', message: `config file "${explicit ?? file}" ${why}`, fix: `give the path of a ${CONFIG_FILE_NAMES[0]} file, e.g. --config ./${CONFIG_FILE_NAMES[0]}` });
  }
  // As the user would type it: relative to the current folder (`../dockyard.yaml`) unless the absolute path is shorter.
  const rel = path.relative(cwd, file);
  const shown = rel && !path.isAbsolute(rel) && rel.length <= file.length ? rel : file;
  return parseProjectConfig(text, shown, path.dirname(file));
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`);

/** Parses and checks the text of a config file; every problem at once, each at `file:line`. Pure. */
export function parseProjectConfig(text: string, file: string, dir: string): ProjectConfig {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { LineCounter, parseDocument, isMap, isScalar, isNode } = require('yaml') as typeof import('yaml');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (node: unknown, fallback = 1) => (isNode(node) && node.range ? lc.linePos(node.range[0]).line : fallback);
  if (doc.errors.length) {
    // An error at the end of the text (an unclosed quote) names the last line that has text.
    const last = text.replace(/\s+$/, '').split('\n').length;
    throw new DockyardError(doc.errors.map((err) => ({
      where: `${file}:${Math.min(lc.linePos(err.pos[0]).line, last)}`,
      message: `invalid YAML: ${err.message.split('\n')[0]}`,
      fix: /unique/i.test(err.message) ? 'keep one of the two keys' : 'fix the YAML syntax at this line',
    })));
  }
  const problems: Problem[] = [];
  const docker: Record<string, string | boolean | number | readonly string[] | undefined> = {};
  const lines: Record<string, number> = {};
  const root = doc.contents;
  if (root !== null && !(isScalar(root) && root.value === null) && !isMap(root)) {
    throw new DockyardError({ where: `${file}:${at(root)}`, message: `the config file must be a mapping with a "docker:" section, not ${typeName(doc.toJS())}`, fix: 'write e.g.\n    docker:\n      project: shop' });
  }
  for (const pair of isMap(root) ? root.items : []) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = at(pair.key);
    if (!(CONFIG_SECTIONS as readonly string[]).includes(key)) {
      const near = closestMatch(key, CONFIG_SECTIONS);
      problems.push({ where: `${file}:${line} ${key}`, message: `unknown section "${key}"${near ? ` (did you mean "${near}"?)` : ''}`, fix: near ? `rename it to "${near}"` : `the sections are: ${CONFIG_SECTIONS.join(', ')}; put Docker target settings under "docker:"` });
      continue;
    }
    const section = pair.value;
    if (section === null || (isScalar(section) && section.value === null)) continue;
    if (!isMap(section)) {
      problems.push({ where: `${file}:${line} ${key}`, message: `"${key}" must be a mapping of settings, not ${typeName((section as any)?.toJSON?.() ?? section)}`, fix: `write e.g.\n    ${key}:\n      project: shop` });
      continue;
    }
    for (const item of section.items) {
      const name = isScalar(item.key) ? String(item.key.value) : String(item.key);
      const itemLine = at(item.key, line);
      const where = `${file}:${itemLine} ${key}.${name}`;
      const spec = DOCKER_SETTINGS.find((s) => s.key === name);
      const value = isNode(item.value) ? item.value.toJSON() : item.value;
      if (!spec) { problems.push(unknownKey(where, name)); continue; }
      const checked = checkValue(spec, value, dir);
      if (typeof checked === 'object' && checked !== null && 'problem' in checked) { problems.push({ where, ...checked.problem }); continue; }
      docker[name] = checked as string | boolean | number | readonly string[];
      lines[name] = itemLine;
    }
  }
  if (problems.length) throw new DockyardError(problems, problems.length > 1 ? `${problems.length} problems in ${file}:` : undefined);
  return { file, dir, docker, lines };
}

/** An unknown key under `docker:`: the setting it most likely meant, and how to write it. */
function unknownKey(where: string, name: string): Problem {
  // Flag spellings (publish-address, no-pull) are the most likely mistake: name the key they mean.
  const byFlag = DOCKER_SETTINGS.find((s) => s.flag && (s.flag === name || s.flag === name.replace(/_/g, '-')));
  if (byFlag?.key === 'pull' || /^no-?pull$/i.test(name)) return { where, message: `unknown setting "${name}" (did you mean "pull"?)`, fix: 'write "pull: false" to use only images already on the engine' };
  const near = byFlag?.key ?? closestMatch(name, DOCKER_SETTINGS.map((s) => s.key));
  const valid = DOCKER_SETTINGS.map((s) => s.key).join(', ');
  return near
    ? { where, message: `unknown setting "${name}" (did you mean "${near}"?)`, fix: `rename it to "${near}" (e.g. ${near}: ${DOCKER_SETTINGS.find((s) => s.key === near)!.example})` }
    : { where, message: `unknown setting "${name}"`, fix: `use one of: ${valid}` };
}

/** A checked value, or the problem with it. Pure. */
function checkValue(spec: SettingSpec, value: unknown, dir: string): string | boolean | number | readonly string[] | { problem: Omit<Problem, 'where'> } {
  const fail = (message: string, fix = `e.g. ${spec.key}: ${spec.example}`) => ({ problem: { message, fix } });
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? value : fail(`"${spec.key}" must be true or false, not ${typeName(value)}`, `write ${spec.key}: ${spec.example} (no quotes)`);
    case 'seconds':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail(`"${spec.key}" must be a whole number of seconds, not ${typeName(value)}`, `e.g. ${spec.key}: ${spec.example}`);
    case 'count':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : fail(`"${spec.key}" must be a whole number of at least 1, not ${typeName(value)}`, `e.g. ${spec.key}: ${spec.example}`);
    case 'paths': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || list.length === 0 || list.some((x) => typeof x !== 'string' || x === '')) return fail(`"manifests" must be a file or folder, or a list of them, not ${typeName(value)}`, 'e.g. manifests: [dist/]');
      // Relative to the config file, so the commands work from any folder below it.
      return list.map((p: string) => (p === '-' ? p : path.resolve(dir, p)));
    }
    default: {
      if (typeof value !== 'string' || value.trim() === '') return fail(`"${spec.key}" must be a non-empty string, not ${typeName(value)}`);
      const why = checkString(spec.key, value);
      return why ? fail(`"${spec.key}" ${why}`) : value;
    }
  }
}

/** Why a string setting is invalid (same rules as the flags), or undefined. */
function checkString(key: string, v: string): string | undefined {
  if (key === 'project') { const bad = checkDnsLabel(v); return bad ? `"${v}" ${bad}` : undefined; }
  if (key === 'publishAddress') return isIP(v) ? undefined : `"${v}" is not an IP address (127.0.0.1 publishes on this machine only, 0.0.0.0 on every interface)`;
  if (key === 'host') return /^(unix|tcp|ssh|npipe|http|https):\/\/./.test(v) ? undefined : `"${v}" is not an engine URL (unix://, tcp:// or ssh://)`;
  if (key === 'proxyImage') return /\s/.test(v) ? `"${v}" is not an image reference (it contains a space)` : undefined;
  return undefined;
}

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'env' | 'file' | 'default';

/** One resolved setting: the value and who set it, for messages (`--proxy-image`, `dockyard.yaml:4 docker.proxyImage`). */
export interface ResolvedSetting {
  /** The value (undefined: not set anywhere, the default applies). */
  readonly value: string | boolean | number | readonly string[] | undefined;
  /** Who set it. */
  readonly source: SettingSource;
  /** The flag, variable or `file:line docker.key` that set it, for messages. */
  readonly origin?: string;
}

/**
 * Resolves every setting: flag > environment variable > config file > default (undefined). Pure.
 * `flags` are node:util parseArgs values (`no-pull: true` means `pull: false`).
 */
export function resolveSettings(flags: Readonly<Record<string, string | boolean | undefined>>, env: Readonly<Record<string, string | undefined>>, config?: ProjectConfig): Record<string, ResolvedSetting> {
  const out: Record<string, ResolvedSetting> = {};
  for (const s of DOCKER_SETTINGS) {
    const flag = s.flag ? flags[s.flag] : undefined;
    if (flag !== undefined && flag !== false) {
      const value = s.key === 'pull' ? false : s.kind === 'seconds' || s.kind === 'count' ? Number(flag) : flag;
      out[s.key] = { value, source: 'flag', origin: `--${s.flag}` };
    } else if (s.env && env[s.env]) {
      out[s.key] = { value: env[s.env], source: 'env', origin: s.env };
    } else if (config && config.docker[s.key] !== undefined) {
      out[s.key] = { value: config.docker[s.key], source: 'file', origin: `${config.file}:${config.lines[s.key]} docker.${s.key}` };
    } else {
      out[s.key] = { value: undefined, source: 'default' };
    }
  }
  return out;
}

/** How to change a setting, for fixes: `--proxy-image IMAGE (or proxyImage in dockyard.yaml)`. */
export function howToSet(key: string): string {
  const s = DOCKER_SETTINGS.find((x) => x.key === key);
  if (!s) return key;
  const flag = s.kind === 'boolean' ? `--${s.flag}` : `--${s.flag} ${s.example}`;
  return `${flag}${s.env ? ` or ${s.env}` : ''} (or "${s.key}:" under "docker:" in ${CONFIG_FILE_NAMES[0]})`;
}

import * as fs from 'node:fs';
import { CliCommand } from '../command';
import { parseFlags } from '../args';
import { DockyardError, formatProblem } from '../../core/errors';
import { loadManifests } from '../../core/manifests';
import { buildGraph } from '../../graph/model';
import { toMermaid } from '../../graph/mermaid';
import { toDot } from '../../graph/dot';

const usage = 'dockyard graph [--format mermaid|dot] [--svg FILE | --png FILE [--font FILE.ttf]] [-o FILE] <files|folders|->';

/**
 * `dockyard graph`: draws manifests as a diagram. Text (Mermaid or DOT) goes to stdout or `-o`;
 * `--svg`/`--png` write a picture. Warnings (a selector matching nothing, a reference to another
 * namespace) go to stderr and do not change the exit code: the drawing is still right.
 */
export const command: CliCommand = {
  summary: 'draw manifests as a Mermaid or DOT diagram, or an SVG/PNG picture',
  usage,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      format: { type: 'string', help: 'text format: mermaid or dot', defaultText: 'mermaid', valueName: 'FORMAT' },
      svg: { type: 'string', help: 'write an SVG picture to FILE', valueName: 'FILE' },
      png: { type: 'string', help: 'write a PNG picture to FILE', valueName: 'FILE' },
      font: { type: 'string', help: 'TrueType font for --png text', defaultText: '$DOCKYARD_FONT, else DejaVu Sans', valueName: 'FILE.ttf' },
      output: { type: 'string', short: 'o', help: 'write the text to FILE instead of stdout', defaultText: 'stdout', valueName: 'FILE' },
    }, usage);
    const format = values.format ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'dot') throw new DockyardError({ where: '--format', message: `unknown format "${format}"`, fix: 'use --format mermaid or --format dot; for a picture use --svg FILE or --png FILE' });
    if (values.svg && values.png) throw new DockyardError({ where: 'arguments', message: '--svg and --png were both given', fix: 'ask for one picture per run' });
    const picture = values.svg ?? values.png;
    if (picture && (values.output || values.format)) throw new DockyardError({ where: 'arguments', message: `${values.svg ? '--svg' : '--png'} writes a picture; -o and --format are for text output`, fix: 'drop -o/--format, or run twice' });

    const graph = buildGraph(loadManifests(positionals, io.stdin));
    for (const w of graph.warnings) io.err(`warning: ${formatProblem(w)}\n`);

    if (values.svg) {
      const { graphToSvg } = await import('../../graph/image');
      fs.writeFileSync(values.svg, await graphToSvg(graph));
    } else if (values.png) {
      const { graphToPng } = await import('../../graph/image');
      fs.writeFileSync(values.png, await graphToPng(graph, { fontFile: values.font ?? (io.env.DOCKYARD_FONT || undefined) }));
    } else {
      const text = format === 'dot' ? toDot(graph) : toMermaid(graph);
      if (values.output) fs.writeFileSync(values.output, text); else io.out(text);
    }
    if (picture || values.output) io.err(`wrote ${picture ?? values.output}: ${graph.nodes.length} node(s), ${graph.edges.length} edge(s), ${graph.warnings.length} warning(s)\n`);
    return 0;
  },
};

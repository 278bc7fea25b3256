/**
 * Pictures of a graph, offline: SVG from DOT with Graphviz compiled to WebAssembly (@viz-js/viz), and
 * PNG from that SVG with resvg compiled to WebAssembly (@resvg/resvg-wasm). Both are plain wasm files
 * inside their npm packages: no native binary per platform, nothing downloaded at run time. Both are
 * loaded only when a picture is asked for, so Mermaid and DOT output stay fast.
 */
import * as fs from 'node:fs';
import { DockyardError } from '../core/errors';
import { toDot } from './dot';
import { Graph } from './model';

type VizInstance = { renderString(src: string, options: { format: string; engine?: string }): string };
let viz: Promise<VizInstance> | undefined;
let resvgReady: Promise<void> | undefined;

/** Renders DOT text to an SVG document with Graphviz (`dot` layout). */
export async function dotToSvg(dot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  viz ??= (require('@viz-js/viz') as { instance(): Promise<VizInstance> }).instance();
  const svg = (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
  // Graphviz writes an XML prolog and a doctype first; the picture starts at <svg.
  return svg.slice(svg.indexOf('<svg'));
}

/** The SVG picture of a graph. */
export async function graphToSvg(graph: Graph): Promise<string> {
  return dotToSvg(toDot(graph));
}

/**
 * Font files tried for PNG text, in order. resvg has no system font lookup in WebAssembly, so it
 * needs a font file. DejaVu Sans Condensed and Liberation Sans are close to the Helvetica widths
 * Graphviz sizes boxes with, so labels fit their boxes; plain DejaVu Sans is a little wider.
 */
export const FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSansCondensed.ttf',
  '/usr/share/fonts/dejavu/DejaVuSansCondensed.ttf',
  '/usr/share/fonts/TTF/DejaVuSansCondensed.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  '/Library/Fonts/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
];

/** The font file PNG text is drawn with: the one given, else the first candidate that exists. */
export function findFont(given?: string, candidates: readonly string[] = FONT_CANDIDATES): string {
  if (given) {
    if (!fs.existsSync(given)) throw new DockyardError({ where: '--font', message: `font file ${given} does not exist`, fix: 'pass a .ttf or .otf file' });
    return given;
  }
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) {
    throw new DockyardError({
      where: '--png',
      message: 'no font file found to draw the labels with (resvg in WebAssembly cannot search system fonts)',
      fix: 'pass --font FILE.ttf (or set DOCKYARD_FONT), install a font package such as fonts-dejavu-core, or use --svg',
    });
  }
  return found;
}

/** Options of `svgToPng`. */
export interface PngOptions {
  /** Font file for the labels. @default - the first of `FONT_CANDIDATES` that exists */
  readonly fontFile?: string;
  /** Scale factor (2 = twice the SVG size, sharp on high-density screens). @default 2 */
  readonly scale?: number;
}

/** Rasterizes an SVG to PNG bytes on a white background. */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Buffer> {
  const font = fs.readFileSync(findFont(options.fontFile));
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const resvg = require('@resvg/resvg-wasm') as typeof import('@resvg/resvg-wasm');
  resvgReady ??= resvg.initWasm(fs.readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  await resvgReady;
  // With one font loaded and no system fonts, resvg draws every family asked for with that font.
  const r = new resvg.Resvg(svg, {
    font: { fontBuffers: [font], loadSystemFonts: false },
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
  });
  const rendered = r.render();
  const png = Buffer.from(rendered.asPng());
  rendered.free();
  r.free();
  return png;
}

/** The PNG picture of a graph. */
export async function graphToPng(graph: Graph, options: PngOptions = {}): Promise<Buffer> {
  return svgToPng(await graphToSvg(graph), options);
}

import { App } from 'cdk8s';
import { buildExamples } from '../../apps/index';
import { DockyardError } from '../../lib/core/errors';
import { graphOfApp } from '../../lib/graph/from-app';
import { findFont, FONT_CANDIDATES, graphToPng, graphToSvg } from '../../lib/graph/image';

describe('pictures (Graphviz and resvg as WebAssembly)', () => {
  const app = new App();
  buildExamples(app);
  const graph = graphOfApp(app);

  test('GIVEN every example THEN an SVG document naming every node, identical on a second run', async () => {
    const svg = await graphToSvg(graph);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const text = svg.replace(/&#45;/g, '-'); // Graphviz writes - as &#45;
    for (const n of graph.nodes) expect(text).toContain(`>${n.name}</text>`);
    expect(text).toContain('>namespace integration</text>');
    expect(await graphToSvg(graph)).toBe(svg);
  });

  const font = FONT_CANDIDATES.find((f) => require('node:fs').existsSync(f));
  (font ? test : test.skip)('GIVEN a font on the machine THEN a PNG of plausible size', async () => {
    const png = await graphToPng(graph, { scale: 1 });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(300);
    expect(height).toBeGreaterThan(300);
  });

  test('GIVEN no font anywhere THEN a user error naming --font', () => {
    expect(() => findFont(undefined, ['/nonexistent/a.ttf'])).toThrow(DockyardError);
    expect(() => findFont(undefined, ['/nonexistent/a.ttf'])).toThrow(/no font file found.*Fix: pass --font FILE.ttf/);
    expect(() => findFont('/nonexistent/b.ttf')).toThrow('[--font] font file /nonexistent/b.ttf does not exist');
  });
});

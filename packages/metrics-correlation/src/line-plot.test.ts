import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { heatmap } from './heatmap';
import { linePlot } from './line-plot';

async function rasterise(svg: string): Promise<{ pixels: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

/** Pixels whose colour is within `tol` of `rgb`. */
function count(pixels: Buffer, rgb: number[], tol = 40): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 3)
    if (Math.abs(pixels[i] - rgb[0]) + Math.abs(pixels[i + 1] - rgb[1]) + Math.abs(pixels[i + 2] - rgb[2]) <= tol) n++;
  return n;
}

describe('linePlot', () => {
  it('draws each series in its colour with a legend, markers, and gaps at non-finite points', async () => {
    const x = Array.from({ length: 50 }, (_, i) => i + 1);
    const svg = linePlot({
      series: [
        { name: 'loss', x, y: x.map((s) => 4 / s) },
        { name: 'other', x, y: x.map((s, i) => (i === 10 ? Number.NaN : 1 + s / 50)) },
      ],
      title: 'loss',
      xLabel: 'step',
      yLabel: 'loss',
      markers: [{ x: 25, label: 'resumed' }],
    });
    expect(svg.match(/<path /g)).toHaveLength(2);
    // The NaN splits the second line into two subpaths.
    expect(svg.match(/<path d="[^"]*"/g)![1].match(/M/g)).toHaveLength(2);
    expect(svg).toContain('>resumed</text>');
    expect(svg).toContain('>other</text>');
    const { pixels } = await rasterise(svg);
    expect(count(pixels, [0x00, 0x72, 0xb2])).toBeGreaterThan(100);
    expect(count(pixels, [0xd5, 0x5e, 0x00])).toBeGreaterThan(100);
  });

  it('rejects series of unequal length', () => {
    expect(() => linePlot({ series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(
      'linePlot: series[0] (a) must have as many x as y values',
    );
  });
});

describe('heatmap colour legend', () => {
  it('draws a colour bar from the lightest to the darkest with the end values and caption', async () => {
    const svg = heatmap({
      rows: ['a', 'b'],
      cols: ['x', 'y'],
      values: [
        [0.25, 0.5],
        [0.75, 0.9],
      ],
      format: (v) => (100 * v).toFixed(1),
      legendLabel: 'accuracy (%)',
    });
    expect(svg).toContain('class="legend"');
    expect(svg).toContain('>90.0</text>');
    expect(svg).toContain('>25.0</text>');
    expect(svg).toContain('>accuracy (%)</text>');
    const { pixels, width, height } = await rasterise(svg);
    // The bar's column holds the dark and the light ends of the scale.
    const column = Buffer.alloc(height * 3);
    const x = Number(/<rect class="legend" x="([\d.]+)"/.exec(svg)![1]) + 7;
    for (let y = 0; y < height; y++)
      pixels.copy(column, 3 * y, 3 * (y * width + Math.round(x)), 3 * (y * width + Math.round(x)) + 3);
    expect(count(column, [0x08, 0x30, 0x6b], 30)).toBeGreaterThan(3);
    expect(count(column, [0xf7, 0xfb, 0xff], 30)).toBeGreaterThan(3);
    expect(heatmap({ rows: ['a'], cols: ['x'], values: [[1]], legend: false })).not.toContain('legend');
  });
});

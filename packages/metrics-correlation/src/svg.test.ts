import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { heatmap } from './heatmap';
import { scatterPlot } from './scatter-plot';
import { escapeXml, niceTicks } from './svg';

type Rgb = [number, number, number];

async function rasterise(svg: string): Promise<{ pixels: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

function countNear(pixels: Buffer, [r, g, b]: Rgb, tolerance = 12): number {
  let count = 0;
  for (let i = 0; i < pixels.length; i += 3) {
    if (
      Math.abs(pixels[i] - r) <= tolerance &&
      Math.abs(pixels[i + 1] - g) <= tolerance &&
      Math.abs(pixels[i + 2] - b) <= tolerance
    )
      count++;
  }
  return count;
}

describe('svg helpers', () => {
  it('escapes every XML-special character', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });

  it('chooses round ticks (1, 2 or 5 x 10^k) inside the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.37, 2.9)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(59.5, 75.3)).toEqual([60, 65, 70, 75]);
  });
});

describe('scatterPlot', () => {
  const x = [0.38, 0.45, 0.73, 0.8, 0.9, 0.99, 1.06, 1.11];
  const y = [1.2, 1.4, 1.5, 2.0, 2.1, 2.3, 2.2, 2.6];
  const labels = ['InsDis', 'MoCo <v1>', 'A & B', '"quoted"', "it's", 'e', 'f', 'g'];

  it('escapes labels and shows r and rho in the title', () => {
    const svg = scatterPlot({ x, y, labels, title: 'Pets', xLabel: 'ImageNet', yLabel: 'Pets' });
    expect(svg).toContain('MoCo &lt;v1&gt;');
    expect(svg).toContain('A &amp; B');
    expect(svg).toMatch(/Pets: r = 0\.\d\d, ρ = 0\.\d\d/);
    expect(svg.match(/<circle /g)).toHaveLength(x.length);
  });

  it('rasterises (sharp) to a non-blank image with the points and the fit line in their colours', async () => {
    const svg = scatterPlot({
      x,
      y,
      labels,
      title: 'Pets',
      xLabel: 'ImageNet',
      yLabel: 'Pets',
      width: 400,
      height: 300,
    });
    const { pixels, width, height } = await rasterise(svg);
    expect([width, height]).toEqual([400, 300]);
    const white = countNear(pixels, [255, 255, 255], 8);
    expect(white).toBeLessThan(width * height * 0.97);
    // Eight discs of radius 4.5 cover ~8 * 60 px; allow for overlap and antialiasing.
    expect(countNear(pixels, [0x1f, 0x77, 0xb4])).toBeGreaterThan(250);
    expect(countNear(pixels, [0xd6, 0x27, 0x28], 30)).toBeGreaterThan(100);
  });

  it('rejects bad input naming the point', () => {
    expect(() => scatterPlot({ x: [1, 2, Number.NaN], y: [1, 2, 3], labels: ['a', 'b', 'c'] })).toThrow(
      'x[2] ("c") must be a finite number, got NaN',
    );
    expect(() => scatterPlot({ x: [1, 2, 3], y: [3, 1, 2], labels: ['a'] })).toThrow(
      'labels must have one entry per point (3), got 1',
    );
    expect(() => scatterPlot({ x: [1, 2, 3], y: [3, 1, 2], width: 10 })).toThrow(
      'width must be a number >= 160 pixels, got 10',
    );
  });
});

describe('heatmap', () => {
  const rows = ['byol', 'simclr <v2>'];
  const cols = ['cifar10', 'dtd', 'pets'];
  const values = [
    [0.9, 0.7, null],
    [0.8, 0.5, 0.6],
  ];

  it('rasterises with the maximum darkest, the minimum lightest and a grey missing cell', async () => {
    const svg = heatmap({ rows, cols, values, title: 'Linear probe top-1' });
    expect(svg).toContain('simclr &lt;v2&gt;');
    const { pixels } = await rasterise(svg);
    expect(countNear(pixels, [0x08, 0x30, 0x6b], 6)).toBeGreaterThan(500);
    expect(countNear(pixels, [0xf7, 0xfb, 0xff], 3)).toBeGreaterThan(500);
    expect(countNear(pixels, [0xdd, 0xdd, 0xdd], 3)).toBeGreaterThan(500);
  });

  it('names the offending cell', () => {
    expect(() =>
      heatmap({
        rows,
        cols,
        values: [
          [1, 2, 3],
          [1, 2],
        ],
      }),
    ).toThrow('values[1] (simclr <v2>) must have 3 entries, got 2');
    expect(() =>
      heatmap({
        rows,
        cols,
        values: [
          [1, 2, 3],
          [1, Number.POSITIVE_INFINITY, 2],
        ],
      }),
    ).toThrow('values[1][1] (simclr <v2>, dtd) must be a finite number, NaN or null, got Infinity');
  });
});

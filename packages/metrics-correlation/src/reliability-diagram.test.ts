import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { reliabilityDiagram } from './reliability-diagram';

const bins = [0, 1, 2, 3, 4].map((i) => ({
  lo: i / 5,
  hi: (i + 1) / 5,
  count: i === 0 ? 0 : 10,
  accuracy: i === 0 ? 0 : 0.15 * i,
  confidence: i === 0 ? 0 : i / 5 + 0.1,
}));

describe('reliabilityDiagram', () => {
  it('draws one accuracy bar and one gap per non-empty bin, the diagonal and the ECE', async () => {
    const svg = reliabilityDiagram({ bins, ece: 0.123, title: 'probe <test>' });
    expect(svg.match(/fill="#1f77b4"/g)).toHaveLength(4);
    expect(svg.match(/fill="#d62728"/g)).toHaveLength(4);
    expect(svg).toContain('ECE = 12.3%');
    expect(svg).toContain('probe &lt;test&gt;');
    // librsvg renders it: blue bars and red gaps are there in pixels.
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let blue = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i] < 60 && data[i + 2] > 150) blue++;
    expect(blue).toBeGreaterThan(500);
  });

  it('names the argument and the problem', () => {
    expect(() => reliabilityDiagram({ bins: [] })).toThrow(/bins must be a non-empty list/);
    expect(() => reliabilityDiagram({ bins: [{ ...bins[1], accuracy: 2 }] })).toThrow(
      /bins\[0\].accuracy must be in \[0, 1\], got 2/,
    );
    expect(() => reliabilityDiagram({ bins, width: 10 })).toThrow(/width must be a number >= 120/);
  });
});

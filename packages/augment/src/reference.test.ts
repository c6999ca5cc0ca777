import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { beforeAll, expect, it } from 'vitest';
import { describeWithReference, loadReference, type RefTensor, maxAbsDiff } from '@selfsup/testing';
import { adjustBrightness, adjustContrast, adjustSaturation } from './color-adjust';
import { centerCrop } from './center-crop';
import { gaussianBlur } from './gaussian-blur';
import { rgbToGrayscale } from './grayscale';
import { hflip } from './hflip';
import { adjustHue } from './hue';
import { normalize } from './normalize';
import { resize, resizedCrop } from './resized-crop';
import { solarize } from './solarize';

interface RefOp {
  image_id: number;
  op: string;
  params: Record<string, any>;
  output: RefTensor;
}
interface RefFile {
  images: Array<{ id: number; input: RefTensor }>;
  ops: RefOp[];
  pipelines: Array<{ name: string; image_id: number; steps: RefOp[]; output: RefTensor }>;
}

/** Our op for each torchvision call in the reference file, on a `[H, W, 3]` image. */
const OPS: Record<string, (img: tf.Tensor3D, p: Record<string, any>) => tf.Tensor3D> = {
  adjust_brightness: (img, p) => adjustBrightness(img, p.brightness_factor),
  adjust_contrast: (img, p) => adjustContrast(img, p.contrast_factor),
  adjust_saturation: (img, p) => adjustSaturation(img, p.saturation_factor),
  adjust_hue: (img, p) => adjustHue(img, p.hue_factor),
  rgb_to_grayscale: (img, p) => rgbToGrayscale(img, p.num_output_channels),
  solarize: (img, p) => solarize(img, p.threshold),
  gaussian_blur: (img, p) => gaussianBlur(img, p.kernel_size, p.sigma),
  hflip: (img) => hflip(img),
  resized_crop: (img, p) => resizedCrop(img, p.top, p.left, p.height, p.width, p.size, p.interpolation),
  normalize: (img, p) => normalize(img, p.mean, p.std),
  center_crop: (img, p) => centerCrop(img, p.output_size),
  resize: (img, p) => resize(img, p.size, p.interpolation),
};

// README tolerances: 1e-4 per element, 5e-4 once values are divided by std ~0.22.
const tolerance = (lastOp: string) => (lastOp === 'normalize' ? 5e-4 : 1e-4);

function maxAbsDiffToRef(actual: tf.Tensor, expected: RefTensor): number {
  expect(actual.shape).toEqual(expected.shape.slice(1));
  return maxAbsDiff(actual, expected.data);
}

describeWithReference('functional ops match torchvision (augment_functional.json)', () => {
  const ref = loadReference<RefFile>('augment_functional.json');
  const images = new Map(ref.images.map((im) => [im.id, im.input]));
  const input = (id: number) => {
    const t = images.get(id)!;
    return tf.tensor3d(t.data, t.shape.slice(1) as [number, number, number]);
  };

  for (const backend of ['wasm', 'cpu'] as const) {
    describeWithReference(`on ${backend}`, () => {
      beforeAll(async () => {
        await initBackend(backend);
      });

      it(`every op within tolerance and without leaks (${ref.ops.length} cases)`, () => {
        const failures: string[] = [];
        for (const c of ref.ops) {
          const img = input(c.image_id);
          const before = tf.memory().numTensors;
          const out = OPS[c.op](img, c.params);
          const diff = maxAbsDiffToRef(out, c.output);
          out.dispose();
          expect(tf.memory().numTensors).toBe(before);
          img.dispose();
          if (!(diff <= tolerance(c.op)))
            failures.push(`${c.op} ${JSON.stringify(c.params)} image ${c.image_id}: ${diff}`);
        }
        expect(failures).toEqual([]);
      });

      it(`every pipeline step within tolerance (${ref.pipelines.length} pipelines)`, () => {
        const failures: string[] = [];
        for (const p of ref.pipelines) {
          let img = input(p.image_id);
          for (const step of p.steps) {
            const next = OPS[step.op](img, step.params);
            img.dispose();
            img = next;
            const diff = maxAbsDiffToRef(img, step.output);
            if (!(diff <= tolerance(step.op))) failures.push(`${p.name} after ${step.op}: ${diff}`);
          }
          expect(maxAbsDiffToRef(img, p.output)).toBeLessThanOrEqual(tolerance(p.steps[p.steps.length - 1].op));
          img.dispose();
        }
        expect(failures).toEqual([]);
      });

      it('batched ops give each image its own parameter', () => {
        const a = input(0);
        const b = hflip(a);
        const batch = tf.stack([a, b]) as tf.Tensor4D;
        const out = adjustHue(batch, [0.1, -0.3]);
        const one = adjustHue(b, -0.3);
        expect(
          maxAbsDiffToRef(tf.squeeze(tf.slice(out, [1], [1]), [0]), {
            shape: [1, ...one.shape],
            data: Array.from(one.dataSync()),
          }),
        ).toBeLessThan(1e-6);
        tf.dispose([a, b, batch, out, one]);
      });
    });
  }
});

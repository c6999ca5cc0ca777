import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resnet18, resnet34, resnet50, type ResNet } from './resnet';
import { torchShape } from './torchvision-layout';

// state_dict() names and shapes of torchvision 0.14's resnet18/34/50, from test/fixtures/make_fixtures.py.
const torchvision: { models: Record<string, Array<[string, number[]]>> } = JSON.parse(
  readFileSync(new URL('../test/fixtures/torchvision-names.json', import.meta.url), 'utf8'),
);

const FACTORIES = { resnet18, resnet34, resnet50 };
const FEATURES = { resnet18: 512, resnet34: 512, resnet50: 2048 };
// Most tests use a narrow network: full-width initialisation alone takes seconds.
const WIDTH = 1 / 16;

/** torchvision's shape for `name` at width multiplier `w`: channel axes scale, kernel sizes and the 3 input channels do not. */
function scaledTorchvisionShape(name: string, shape: number[], w: number): number[] {
  return shape.map((d, axis) => (axis >= 2 || (name === 'conv1.weight' && axis === 1) ? d : d * w));
}

function expectedState(name: keyof typeof FACTORIES, w: number): Array<[string, number[]]> {
  return torchvision.models[name]
    .filter(([n]) => !n.startsWith('fc.') && !n.endsWith('num_batches_tracked'))
    .map(([n, shape]) => [n, scaledTorchvisionShape(n, shape, w)]);
}

describe('ResNet', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it("resnet18 at width 1 has exactly torchvision's state_dict names, order and shapes (minus fc and num_batches_tracked)", () => {
    const net = resnet18();
    expect([...net.state()].map(([n, v]) => [n, torchShape(v.shape)])).toEqual(expectedState('resnet18', 1));
    expect(net.outputDim).toBe(512);
    net.dispose();
  });

  for (const [name, make] of Object.entries(FACTORIES) as Array<[keyof typeof FACTORIES, typeof resnet18]>) {
    describe(name, () => {
      let net: ResNet;
      beforeAll(() => {
        net = make({ seed: 7, widthMultiplier: WIDTH });
      });
      afterAll(() => net.dispose());

      it("has torchvision's names and order, shapes scaled by the width, and only running stats untrainable", () => {
        const expected = expectedState(name, WIDTH);
        expect([...net.state()].map(([n, v]) => [n, torchShape(v.shape)])).toEqual(expected);
        const trainable = expected.map(([n]) => n).filter((n) => !n.includes('running_'));
        expect([...net.parameters().keys()]).toEqual(trainable);
        for (const [n, v] of net.state()) expect(v.trainable, n).toBe(!n.includes('running_'));
      });

      for (const [stem, size] of [
        ['imagenet', 64],
        ['cifar', 16],
      ] as const) {
        it(`maps [2, ${size}, ${size}, 3] to [2, ${FEATURES[name]} * width] with the ${stem} stem`, () => {
          const model = stem === 'imagenet' ? net : make({ stem, seed: 7, widthMultiplier: WIDTH });
          expect(model.outputDim).toBe(FEATURES[name] * WIDTH);
          const before = tf.memory().numTensors;
          const y = tf.tidy(() => model.apply(tf.randomUniform([2, size, size, 3]), { training: false }));
          expect(y.shape).toEqual([2, FEATURES[name] * WIDTH]);
          expect(y.dtype).toBe('float32');
          y.dispose();
          expect(tf.memory().numTensors).toBe(before);
          if (model !== net) model.dispose();
        });
      }
    });
  }

  it('scales every width with widthMultiplier and accepts other input channel counts', () => {
    const net = resnet50({ stem: 'cifar', widthMultiplier: 0.25, inputChannels: 1 });
    expect(net.outputDim).toBe(512);
    expect(net.state().get('conv1.weight')!.shape).toEqual([3, 3, 1, 16]);
    expect(net.state().get('layer4.2.conv3.weight')!.shape).toEqual([1, 1, 128, 512]);
    const y = tf.tidy(() => net.apply(tf.zeros([1, 8, 8, 1])));
    expect(y.shape).toEqual([1, 512]);
    y.dispose();
    net.dispose();
  });

  it('initialises as torchvision (Kaiming normal fan_out, BN 1/0), reproducibly from the seed', () => {
    const a = resnet18({ seed: 3, widthMultiplier: 0.25 });
    const b = resnet18({ seed: 3, widthMultiplier: 0.25 });
    const c = resnet18({ seed: 4, widthMultiplier: 0.25 });
    const w = a.state().get('layer4.0.conv2.weight')!; // [3, 3, 128, 128], fan_out = 128 * 9
    const std = tf.tidy(() => Math.sqrt(tf.moments(w).variance.dataSync()[0]));
    expect(std / Math.sqrt(2 / (128 * 9))).toBeCloseTo(1, 2);
    expect(Array.from(a.state().get('bn1.weight')!.dataSync())).toEqual(new Array(16).fill(1));
    expect(Array.from(a.state().get('layer1.0.bn2.bias')!.dataSync())).toEqual(new Array(16).fill(0));
    expect(Array.from(a.state().get('bn1.running_var')!.dataSync())).toEqual(new Array(16).fill(1));
    for (const [n, v] of a.state())
      expect(tf.util.arraysEqual(v.dataSync(), b.state().get(n)!.dataSync()), n).toBe(true);
    expect(c.state().get('conv1.weight')!.dataSync()[0]).not.toBe(a.state().get('conv1.weight')!.dataSync()[0]);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('uses batch statistics in training mode and updates running statistics only then', () => {
    const net = resnet18({ stem: 'cifar', widthMultiplier: 0.125 });
    const x = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const runningMean = () => Array.from(net.state().get('layer2.0.bn1.running_mean')!.dataSync());
    const initial = runningMean();
    const eval1 = net.apply(x);
    const eval2 = net.apply(x, { training: false });
    expect(runningMean()).toEqual(initial);
    expect(Array.from(eval2.dataSync())).toEqual(Array.from(eval1.dataSync()));
    const train = net.apply(x, { training: true });
    expect(runningMean()).not.toEqual(initial);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(train, eval1))).dataSync()[0]);
    expect(diff).toBeGreaterThan(1e-3);
    tf.dispose([x, eval1, eval2, train]);
    net.dispose();
  });

  it('clone() is a deep copy with the same names and values under a new tfjs scope', () => {
    const net = resnet18({ stem: 'cifar', widthMultiplier: 0.125 });
    const copy = net.clone();
    expect([...copy.state().keys()]).toEqual([...net.state().keys()]);
    expect(copy.scope).not.toBe(net.scope);
    expect(copy.state().get('conv1.weight')!.name).not.toBe(net.state().get('conv1.weight')!.name);
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const a = net.apply(x);
    const b = copy.apply(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));

    const original = net.state().get('conv1.weight')!.dataSync().slice();
    tf.tidy(() =>
      copy
        .state()
        .get('conv1.weight')!
        .assign(tf.zerosLike(copy.state().get('conv1.weight')!)),
    );
    copy.apply(x, { training: true }).dispose();
    expect(net.state().get('conv1.weight')!.dataSync()).toEqual(original);
    expect(
      net
        .state()
        .get('bn1.running_mean')!
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    copy.dispose();
    expect(net.state().get('conv1.weight')!.isDisposed).toBe(false);
    expect(() => copy.parameters()).toThrow(/used after dispose/);
    tf.dispose([x, a, b]);
    net.dispose();
  });

  it('passes a gradient to every parameter, on the wasm training kernels', () => {
    const net = resnet18({ stem: 'imagenet', widthMultiplier: 0.125 });
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const params = [...net.parameters().values()];
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.square(net.apply(x, { training: true }))) as tf.Scalar,
      params,
    );
    const names = [...net.parameters()].map(([n]) => n);
    expect(Object.keys(grads).length).toBe(params.length);
    params.forEach((p, i) => {
      const norm = tf.tidy(() => tf.norm(grads[p.name]).dataSync()[0]);
      expect(norm, names[i]).toBeGreaterThan(0);
      expect(Number.isFinite(norm), names[i]).toBe(true);
    });
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });

  it('explains bad options and inputs', () => {
    expect(() => resnet18({ stem: 'tiny' as never })).toThrow(
      /resnet18: options.stem must be 'imagenet' or 'cifar', got "tiny"/,
    );
    expect(() => resnet34({ widthMultiplier: 0 })).toThrow(
      /resnet34: options.widthMultiplier must be a positive number, got 0/,
    );
    expect(() => resnet50({ seed: NaN })).toThrow(/resnet50: options.seed must be a finite number, got NaN/);
    expect(() => resnet18({ inputChannels: 1.5 })).toThrow(/options.inputChannels must be a positive integer, got 1.5/);
    const net = resnet18({ widthMultiplier: 0.125 });
    tf.tidy(() => {
      expect(() => net.apply(tf.zeros([1, 8, 8, 1]) as tf.Tensor4D)).toThrow(
        /resnet18.apply: x must have shape \[N, H, W, 3\], got \[1,8,8,1\]/,
      );
      expect(() => net.apply(tf.zeros([8, 8, 3]) as unknown as tf.Tensor4D)).toThrow(/got \[8,8,3\]/);
    });
    net.dispose();
  });
});

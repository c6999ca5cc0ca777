import type * as tf from '@tensorflow/tfjs-core';

export interface ResNet18Options {
  width?: number;
  inChannels?: number;
  classes?: number;
  seed?: number;
}
export interface ResNet18Fixture {
  variables: tf.Variable[];
  apply(x: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}
export function createResNet18(options?: ResNet18Options): ResNet18Fixture;
export function resnet18ForwardFlops(options?: ResNet18Options & { size?: number }): number;
export function trainingStep(
  net: ResNet18Fixture,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  labels: tf.Tensor2D,
): number;

import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@selfsup/runtime';
import { batches, classCounts, loadImageFolder, sampleEpisodes, split, subset } from '@selfsup/datasets/node';

await initBackend('wasm');
const data = process.env.SELFSUP_DATA ?? './data'; // holds cifar10/test/<class>/<image>.jpg

// Decode an ImageFolder (sharp, 8 files at a time); classes are the sorted folder names.
const train = await loadImageFolder(`${data}/cifar10/test`, {
  onProgress: (done, total) => done === total && console.log(`decoded ${total} images`),
});
console.log(train.shape, train.classes.length); // [1000, 32, 32, 3] 10

// Seeded, class-balanced: 50 images per class, then 20% of each class held out.
const { train: fit, val } = split(subset(train, 50, 0), 0.2, 0);
console.log(classCounts(fit), classCounts(val)); // 40 and 10 per class

// Shuffled mini-batches as float32 tensors in [0, 1]; epoch e is shuffled with seed + e.
for await (const { images, labels, epoch } of batches(fit, { batchSize: 128, seed: 0, epochs: 2, dropLast: true })) {
  const meanPixel = tf.tidy(() => tf.mean(images).dataSync()[0]);
  console.log(`epoch ${epoch}: batch ${images.shape} mean ${meanPixel.toFixed(3)}`);
  tf.dispose([images, labels]);
}

// 5-way 5-shot episodes with 5 queries per class (the paper uses 15 queries and 600 episodes).
const episodes = sampleEpisodes(val.labels, { ways: 5, shots: 5, queries: 5, episodes: 3, seed: 0 });
console.log(episodes[0].classes, episodes[0].support.length, episodes[0].query.length); // 5 classes, 25, 25

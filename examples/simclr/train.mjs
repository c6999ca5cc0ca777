// SimCLR (Chen et al. 2020, arXiv 2002.05709) from the selfsup building blocks.
// Settings: the paper's CIFAR-10 recipe (Appendix B.9) and the official code's CIFAR-10
// command (github.com/google-research/simclr, README: batch 512, lr 1.0, wd 1e-4, temperature 0.5,
// colour strength 0.5, no blur), at this machine's scale (README).
import { simclr } from '@selfsup/augment';
import { mlpHead } from '@selfsup/heads';
import { ntXentLoss } from '@selfsup/losses';
import { runExample } from '../shared/run-example.mjs';
import { shortRunLars } from '../shared/short-run.mjs';

await runExample('simclr', ({ encoder, imageSize, steps, batchSize, seed }) => {
  // g(.): Linear -> BN -> ReLU -> Linear to 128 (hidden = encoder width, as 2048 for ResNet-50).
  const projector = mlpHead({
    inputDim: encoder.outputDim,
    hiddenDim: encoder.outputDim,
    outputDim: 128,
    seed: seed + 1,
  });
  const view = simclr({ size: imageSize, strength: 0.5, blur: 0 });
  const optimizer = shortRunLars({ baseLr: 1.0, weightDecay: 1e-4, batchSize, steps });
  const train = { training: true };
  const project = (x) => projector.apply(encoder.apply(x, train), train);
  return {
    modules: { encoder, projector },
    optimizer,
    augment: [view, view],
    loss: (x1, x2) => ntXentLoss(project(x1), project(x2), 0.5),
  };
});

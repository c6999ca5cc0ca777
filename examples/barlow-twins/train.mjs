// Barlow Twins (Zbontar et al. 2021, arXiv 2103.03230) from the selfsup building blocks.
// Settings: the paper's recipe (Sec. 4 and Appendix: LARS, lr 0.2 x batch/256, wd 1.5e-6,
// 10 warm-up epochs then cosine, lambda 5e-3, 3-layer projector with BN and ReLU, BYOL's
// asymmetric views) and the official code (github.com/facebookresearch/barlowtwins, main.py).
import { byolView1, byolView2 } from '@selfsup/augment';
import { mlpHead } from '@selfsup/heads';
import { barlowTwinsLoss } from '@selfsup/losses';
import { runExample } from '../shared/run-example.mjs';
import { shortRunLars } from '../shared/short-run.mjs';

await runExample('barlow-twins', ({ encoder, imageSize, steps, batchSize, seed }) => {
  const dim = 1024; // 8192 in the paper, scaled with the encoder
  const projector = mlpHead({ inputDim: encoder.outputDim, hiddenDim: dim, outputDim: dim, layers: 3, seed: seed + 1 });
  const optimizer = shortRunLars({ baseLr: 0.2, weightDecay: 1.5e-6, batchSize, steps });
  const train = { training: true };
  const project = (x) => projector.apply(encoder.apply(x, train), train);
  return {
    modules: { encoder, projector },
    optimizer,
    augment: [byolView1({ size: imageSize }), byolView2({ size: imageSize })],
    loss: (x1, x2) => barlowTwinsLoss(project(x1), project(x2), { lambda: 5e-3 }),
  };
});

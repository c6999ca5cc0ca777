// VICReg (Bardes, Ponce & LeCun 2022, arXiv 2105.04906) from the selfsup building blocks.
// Settings: the paper's recipe (Sec. 4.1 and Appendix: LARS, base lr 0.2 x batch/256,
// wd 1e-6, 10 warm-up epochs then cosine, lambda = mu = 25, nu = 1, 3-layer expander with BN
// and ReLU, BYOL's asymmetric views) and the official code (github.com/facebookresearch/vicreg).
import { byolView1, byolView2 } from '@selfsup/augment';
import { mlpHead } from '@selfsup/heads';
import { vicregLoss } from '@selfsup/losses';
import { runExample } from '../shared/run-example.mjs';
import { shortRunLars } from '../shared/short-run.mjs';

await runExample('vicreg', ({ encoder, imageSize, steps, batchSize, seed }) => {
  const dim = 1024; // 8192 in the paper, scaled with the encoder
  const expander = mlpHead({ inputDim: encoder.outputDim, hiddenDim: dim, outputDim: dim, layers: 3, seed: seed + 1 });
  const optimizer = shortRunLars({ baseLr: 0.2, weightDecay: 1e-6, batchSize, steps });
  const train = { training: true };
  const expand = (x) => expander.apply(encoder.apply(x, train), train);
  return {
    modules: { encoder, expander },
    optimizer,
    augment: [byolView1({ size: imageSize }), byolView2({ size: imageSize })],
    loss: (x1, x2) => vicregLoss(expand(x1), expand(x2), { sim: 25, var: 25, cov: 1 }),
  };
});

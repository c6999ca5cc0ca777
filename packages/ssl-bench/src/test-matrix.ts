/**
 * The datasets, protocols and reference of the small real configs that tests run: the bundled
 * MNIST and DTD subsets (real images, see demo-data/DATA.md), few images per class, fast protocols.
 */
export const SMALL_MATRIX = {
  datasets: [
    {
      name: 'mnist',
      format: 'imagefolder',
      train: 'mnist/train',
      test: 'mnist/test',
      perClass: { train: 12, test: 8 },
    },
    { name: 'dtd10', format: 'imagefolder', train: 'dtd10/train', test: 'dtd10/test', perClass: { train: 8, test: 8 } },
  ],
  protocols: [
    { kind: 'linear', cGrid: [10, 0.1] },
    { kind: 'knn', k: 5 },
    { kind: 'fewshot', ways: 3, shots: [2], queries: 3, episodes: 20 },
  ],
  reference: { dataset: 'mnist', protocol: 'linear' },
};

/** One file of a downloadable dataset. */
export interface RemoteFile {
  /** Name on disk (also the last path segment used with `baseUrl`). */
  file: string;
  url: string;
  /** SHA-256 of the file, lowercase hex. */
  sha256: string;
  /** Unpack after download. */
  extract?: 'tar.gz' | 'zip';
}

export interface DownloadSpec {
  files: RemoteFile[];
  /** Folder below the download dir that the matching loader takes ('' = the dir itself). */
  root: string;
}

export type DownloadName = 'cifar10' | 'cifar100' | 'fashion-mnist' | 'eurosat';

const FASHION_MNIST = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';

/**
 * Official locations and SHA-256 checksums. The dataset pages publish MD5 only
 * (CIFAR: https://www.cs.toronto.edu/~kriz/cifar.html; Fashion-MNIST:
 * https://github.com/zalandoresearch/fashion-mnist README), so the SHA-256s
 * are taken from public downloaders that pin these exact files:
 * - CIFAR binaries: JuliaML MLDatasets.jl (CIFAR10/CIFAR100 DataDeps) and
 *   gomlx's cifar downloader agree on both values.
 * - Fashion-MNIST: the `batchup` package (fashion_mnist.py) and an independent
 *   mnist downloader script agree on all four.
 * - EuroSAT (RGB, 27,000 64x64 JPEGs in 2750/<class>/): torchvision's prototype
 *   datasets (`_builtin/eurosat.py`).
 */
export const DOWNLOADS: Record<DownloadName, DownloadSpec> = {
  cifar10: {
    files: [
      {
        file: 'cifar-10-binary.tar.gz',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
        sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
        extract: 'tar.gz',
      },
    ],
    root: 'cifar-10-batches-bin',
  },
  cifar100: {
    files: [
      {
        file: 'cifar-100-binary.tar.gz',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
        sha256: '58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec',
        extract: 'tar.gz',
      },
    ],
    root: 'cifar-100-binary',
  },
  'fashion-mnist': {
    files: [
      {
        file: 'train-images-idx3-ubyte.gz',
        url: `${FASHION_MNIST}/train-images-idx3-ubyte.gz`,
        sha256: '08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc',
      },
      {
        file: 'train-labels-idx1-ubyte.gz',
        url: `${FASHION_MNIST}/train-labels-idx1-ubyte.gz`,
        sha256: 'b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc',
      },
      {
        file: 't10k-images-idx3-ubyte.gz',
        url: `${FASHION_MNIST}/t10k-images-idx3-ubyte.gz`,
        sha256: '78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229',
      },
      {
        file: 't10k-labels-idx1-ubyte.gz',
        url: `${FASHION_MNIST}/t10k-labels-idx1-ubyte.gz`,
        sha256: '42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf',
      },
    ],
    root: '',
  },
  eurosat: {
    files: [
      {
        file: 'EuroSAT.zip',
        url: 'https://madm.dfki.de/files/sentinel/EuroSAT.zip',
        sha256: '8ebea626349354c5328b142b96d0430e647051f26efc2dc974c843f25ecf70bd',
        extract: 'zip',
      },
    ],
    root: '2750',
  },
};

/** Fashion-MNIST class names in label order (from its README), for `loadIdx(..., { classes })`. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/**
 * The protocol settings of Ericsson et al. (CVPR 2021) and the SSL kNN monitor:
 * eval-transfer owns them; ssl-bench and the CLIs import them.
 */
export const PROTOCOL_DEFAULTS = {
  /** kNN: 200 neighbours voting with weight exp(cos / 0.1) (InstDisc, Wu et al. 2018; solo-learn; lightly). */
  knn: { k: 200, temperature: 0.1 },
  /** Few-shot: 5-way, 5- and 20-shot, 15 queries per class, 600 episodes (after Chen et al. 2019). */
  fewShot: { ways: 5, shots: [5, 20] as readonly number[], queries: 15, episodes: 600 },
  /** Many-shot linear probe: top-1 accuracy unless the dataset asks for another metric. */
  linear: { metric: 'top1' as const },
} as const;

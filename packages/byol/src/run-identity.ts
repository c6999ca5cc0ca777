/** What makes a checkpoint resumable by a run: the same data, batch, seed; epochs may only grow. */
export interface RunIdentity {
  images: number;
  batchSize: number;
  epochs: number;
  totalSteps: number;
  seed: number | undefined;
}

/** A longer schedule than the checkpoint's run was planned with. */
export interface RunExtension {
  epochs: { from: number; to: number };
  totalSteps: { from: number; to: number };
}

/**
 * Compare a checkpoint's stored identity (JSON text) with the run about to resume it.
 * Returns null when they match, the extension when only `epochs` grew (the
 * schedules are then re-planned over the new length), and throws otherwise.
 */
export function compareRunIdentity(
  stored: string | undefined,
  current: RunIdentity,
  where: string,
): RunExtension | null {
  const text = stored ?? 'null';
  if (text === JSON.stringify(current)) return null;
  let old: RunIdentity | null = null;
  try {
    old = JSON.parse(text) as RunIdentity | null;
  } catch {
    // Falls through to "another run".
  }
  const same = (k: keyof RunIdentity) => old !== null && old[k] === current[k];
  if (old && same('images') && same('batchSize') && same('seed')) {
    if (current.epochs > old.epochs) {
      return {
        epochs: { from: old.epochs, to: current.epochs },
        totalSteps: { from: old.totalSteps, to: current.totalSteps },
      };
    }
    throw new Error(
      `trainByol: ${where} was planned for ${old.epochs} epochs; a resumed run can extend it (more epochs) but not shorten it to ${current.epochs}`,
    );
  }
  throw new Error(`trainByol: ${where} belongs to another run (${text}); this one is ${JSON.stringify(current)}`);
}

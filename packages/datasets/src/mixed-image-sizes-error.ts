/**
 * Thrown by the folder loaders when, without a resize size, two images differ in size.
 * Callers that can fall back to resizing (e.g. `selfsup-byol train`) recognise it with
 * {@link isMixedImageSizesError} instead of matching the message.
 */
export class MixedImageSizesError extends Error {
  override readonly name = 'MixedImageSizesError';
}

/** True for a {@link MixedImageSizesError}, also across copies of this package (checked by name). */
export function isMixedImageSizesError(err: unknown): err is MixedImageSizesError {
  return err instanceof Error && err.name === 'MixedImageSizesError';
}

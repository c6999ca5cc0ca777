/** A problem with what the user typed or pointed at: one line, exit code 2. */
export class UsageError extends Error {}

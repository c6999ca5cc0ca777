// Moved to the private @selfsup/testing package (packages/testing); kept so older imports work.
export * from '../packages/testing/src/test-data';

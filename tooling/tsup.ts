import { defineConfig, type Options } from 'tsup';

/**
 * One build recipe for every package: dual ESM + CJS with declarations, so each
 * package can be published on its own. Dependencies and peers (tfjs above all)
 * stay external: a user must end up with a single tfjs engine.
 */
export function packageConfig(entry: Record<string, string> = { index: 'src/index.ts' }, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...extra,
  });
}

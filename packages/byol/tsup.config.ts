import { packageConfig } from '../../tooling/tsup';

// The CLI is its own entry with a shebang, so `npm i -g` / `npx selfsup-byol` runs it directly.
export default [
  packageConfig({ index: 'src/index.ts', node: 'src/node.ts' }),
  packageConfig({ 'selfsup-byol': 'src/bin.ts' }, { format: ['esm'], dts: false, clean: false, banner: { js: '#!/usr/bin/env node' } }),
];

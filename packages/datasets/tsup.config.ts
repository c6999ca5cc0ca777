import { packageConfig } from '../../tooling/tsup';

export default packageConfig({ index: 'src/index.ts', core: 'src/core.ts' });

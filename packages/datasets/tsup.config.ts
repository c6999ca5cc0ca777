import { packageConfig } from '../../tooling/tsup';

export default packageConfig({ index: 'src/index.ts', node: 'src/node.ts' });

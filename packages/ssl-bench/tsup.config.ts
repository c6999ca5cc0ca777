import { packageConfig } from '../../tooling/tsup';

// shims: the CJS build needs import.meta.url to find the bundled demo data.
export default packageConfig({ index: 'src/index.ts', pg: 'src/pg.ts' }, { shims: true });

// `npm run lint`: checks the conventions of docs/ARCHITECTURE.md and CONTRIBUTING.md that the compiler cannot.
// - every package: publishable package.json (exports with types for import and
//   require, files: ["dist"], sideEffects, tfjs as a peer and never a dependency),
//   a README with an example, tests, and at least one test on real data;
// - blocks that do no file I/O: the main entry, followed through its relative
//   imports, uses no Node-only module, sharp, or another package's Node entry.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const BROWSER_SAFE = [
  'augment',
  'backbones',
  'heads',
  'losses',
  'ema',
  'optim',
  'metrics-correlation',
  'eval-transfer',
  'byol',
  'datasets',
  'runtime',
];
const NODE_ONLY = /^(node:|fs$|path$|os$|child_process$|sharp$|better-sqlite3$|@selfsup\/[a-z-]+\/node$)/;
const REAL_DATA = /describeWithData|describeWithReference|dataPath\(|loadReference\(|DEMO_DATA_DIR/;

const problems = [];
const problem = (pkg, text) => problems.push(`packages/${pkg}: ${text}`);

function walk(dir, test) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name), test) : test(d.name) ? [join(dir, d.name)] : [],
  );
}

function checkManifest(pkg, json) {
  if (json.name !== `@selfsup/${pkg}`) problem(pkg, `name must be @selfsup/${pkg}, is ${json.name}`);
  const main = json.exports?.['.'];
  if (!main?.import?.types || !main?.require?.types)
    problem(pkg, 'exports["."] needs types for both import and require');
  if (!json.files?.includes('dist')) problem(pkg, 'files must include "dist"');
  if (json.sideEffects === undefined) problem(pkg, 'sideEffects must be stated');
  const tfjsDeps = Object.keys(json.dependencies ?? {}).filter((d) => d.startsWith('@tensorflow/'));
  if (tfjsDeps.length)
    problem(pkg, `tfjs must be a peer dependency, never bundled: ${tfjsDeps.join(', ')} in dependencies`);
  if (pkg !== 'metrics-correlation' && json.peerDependencies?.['@tensorflow/tfjs-core'] !== '^4.22.0') {
    problem(pkg, 'peerDependencies must have "@tensorflow/tfjs-core": "^4.22.0"');
  }
}

function checkDocsAndTests(pkg, dir) {
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) problem(pkg, 'has no README.md');
  else if (!/```(ts|js|sh)\n/.test(readFileSync(readme, 'utf8'))) problem(pkg, 'README.md has no example code block');
  else if (!readFileSync(readme, 'utf8').includes('../../docs/ARCHITECTURE.md'))
    problem(pkg, 'README.md does not link ../../docs/ARCHITECTURE.md');
  const tests = walk(join(dir, 'src'), (f) => f.endsWith('.test.ts'));
  if (tests.length === 0) problem(pkg, 'has no tests');
  if (!tests.some((t) => REAL_DATA.test(readFileSync(t, 'utf8')))) problem(pkg, 'has no test on real data');
}

/** Files reachable from the entry through relative imports, with the bare modules each imports. */
function reachableImports(entry) {
  const seen = new Set();
  const bare = [];
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec);
        visit(base.endsWith('.ts') ? base : existsSync(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'));
      } else bare.push({ file, spec });
    }
  };
  visit(entry);
  return bare;
}

for (const pkg of readdirSync('packages').sort()) {
  const dir = join('packages', pkg);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // A private package (the test toolkit) is never published: no publishing rules.
  if (!manifest.private) checkManifest(pkg, manifest);
  checkDocsAndTests(pkg, dir);
  if (BROWSER_SAFE.includes(pkg)) {
    for (const { file, spec } of reachableImports(join(dir, 'src', 'index.ts'))) {
      if (NODE_ONLY.test(spec))
        problem(pkg, `main entry must run in browsers, but ${file} imports '${spec}' (move it to the ./node entry)`);
    }
  }
}

if (problems.length) {
  console.error(`lint: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('lint: every package follows the conventions');

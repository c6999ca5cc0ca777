// `npm run bench`: run every packages/*/bench/*.bench.mjs (and bench/*.bench.mjs)
// in its own process, one after another, streaming their JSON lines.
// `npm run bench -- <filter>` runs only files whose path contains <filter>.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const dirs = ['bench', ...readdirSync('packages').map((p) => join('packages', p, 'bench'))];
const files = dirs
  .filter((d) => existsSync(d))
  .flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.bench.mjs'))
      .map((f) => join(d, f)),
  )
  .filter((f) => f.includes(filter));
let failed = 0;
for (const file of files) {
  console.error(`# ${file}`);
  const res = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
if (failed) {
  console.error(`${failed} benchmark file(s) failed`);
  process.exit(1);
}

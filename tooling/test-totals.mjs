// Print vitest's totals from its JSON report as the plain line CI reads:
// "N passed, N failed" (", N skipped" when some were skipped).
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}: the test run did not finish`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
// A test file that fails to load counts as a failure even though it ran no test.
const failed = r.numFailedTests + (r.numFailedTestSuites ?? 0) - countFilesFailedWithTests(r);
console.log(`${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || r.numTotalTests === 0 ? 1 : 0);

function countFilesFailedWithTests(report) {
  return (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
}

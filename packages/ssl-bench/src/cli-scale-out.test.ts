import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from './cli';
import { DEMO_CONFIG } from './demo-config';

describe('ssl-bench submit / worker / status usage', () => {
  it('prints help for the scale-out commands', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    try {
      for (const command of ['submit', 'worker', 'status']) expect(await main([command, '--help'])).toBe(0);
      expect(await main(['--help'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toMatch(/--visibility-timeout <s>/);
    expect(out.join('')).toMatch(/submit <config> +queue a config's cells in a PostgreSQL store/);
  });

  it('rejects what cannot work with one clear message and exit code 2, before connecting anywhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-bench-scale-cli-'));
    const config = join(dir, 'bench.json');
    writeFileSync(config, JSON.stringify(DEMO_CONFIG));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...DEMO_CONFIG, protocols: [{ kind: 'knn', k: 0 }] }));
    const url = 'postgresql://nobody@127.0.0.1:1/db';
    const cases: [string[], RegExp][] = [
      [['submit', config], /submit needs --store postgresql:/],
      [
        ['submit', config, '--store', join(dir, 'results.sqlite')],
        /submit needs a PostgreSQL store .* use ssl-bench run/,
      ],
      [['submit', bad, '--store', url], /bad.json: invalid config:\n {2}- protocols\[0\]\.k/],
      [['submit', config, '--store', url, '--retries', '1.5'], /--retries must be an integer >= 0/],
      [['worker'], /worker needs --store/],
      [['worker', '--store', url, '--backend', 'tpu'], /--backend must be one of auto, tensorflow, wasm, cpu/],
      [['worker', '--store', url, '--data-root', 'rel=/x'], /--data-root 'rel=\/x': expected <absolute/],
      [
        ['worker', '--store', url, '--heartbeat', '30'],
        /--visibility-timeout \(60\) must exceed twice --heartbeat \(30\)/,
      ],
      [['status', '--store', 'results.sqlite'], /status needs a PostgreSQL store/],
      [['report', '--store', join(dir, 'none.sqlite')], /no results store at/],
      [['report', join(dir, 'x.sqlite'), '--run', 'abc'], /--run applies to a PostgreSQL store only/],
    ];
    for (const [argv, message] of cases) {
      const lines: string[] = [];
      expect(await main(argv, (l) => lines.push(l)), argv.join(' ')).toBe(2);
      expect(lines.join('\n')).toMatch(message);
    }
  });

  it('says which server it cannot reach (exit 1, no stack trace, no password)', async () => {
    const lines: string[] = [];
    expect(await main(['status', '--store', 'postgresql://me:hunter2@127.0.0.1:1/db'], (l) => lines.push(l))).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ssl-bench: results store postgresql:\/\/me:\*\*\*@127\.0\.0\.1:1\/db: cannot connect/);
  });
});

import { isAbsolute, resolve, sep } from 'node:path';
import type { BenchConfig, EncoderSpec, SplitSource } from './config-schema';

/**
 * How a worker finds a submitted config's files on its own machine. By default paths are used as
 * submitted: relative ones against the submitter's config folder, so every machine needs the same
 * layout. `base` replaces that folder; `prefixes` rewrite absolute paths (the config folder included).
 */
export interface DataRoot {
  base?: string;
  prefixes: [from: string, to: string][];
}

/** Parse `--data-root` values: `<dir>` (the config folder here) or `<submitted-prefix>=<local-prefix>`. */
export function parseDataRoot(values: string[]): DataRoot {
  const root: DataRoot = { prefixes: [] };
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) {
      if (root.base !== undefined) throw new Error(`--data-root: two folders given ('${root.base}', '${v}'); give one`);
      root.base = resolve(v);
      continue;
    }
    const [from, to] = [v.slice(0, eq), v.slice(eq + 1)];
    if (!isAbsolute(from) || !to)
      throw new Error(`--data-root '${v}': expected <absolute submitted prefix>=<local prefix>`);
    root.prefixes.push([trimSep(from), trimSep(resolve(to))]);
  }
  return root;
}

function trimSep(p: string): string {
  return p.length > 1 && p.endsWith(sep) ? p.slice(0, -1) : p;
}

function mapAbsolute(p: string, root: DataRoot): string {
  if (!isAbsolute(p)) return p;
  for (const [from, to] of root.prefixes) {
    if (p === from) return to;
    if (p.startsWith(from + sep)) return to + p.slice(from.length);
  }
  return p;
}

function mapSource(s: SplitSource, root: DataRoot): SplitSource {
  return typeof s === 'string'
    ? mapAbsolute(s, root)
    : { images: mapAbsolute(s.images, root), labels: mapAbsolute(s.labels, root) };
}

/** The config with its file paths as this machine sees them (names, and so spec hashes, unchanged). */
export function mapDataPaths(config: BenchConfig, root: DataRoot): BenchConfig {
  return {
    ...config,
    baseDir: root.base ?? mapAbsolute(config.baseDir, root),
    datasets: config.datasets.map((d) => ({
      ...d,
      train: mapSource(d.train, root),
      test: mapSource(d.test, root),
      val: d.val === undefined ? undefined : mapSource(d.val, root),
    })),
    encoders: config.encoders.map((e) => ('path' in e ? { ...e, path: mapAbsolute(e.path, root) } : e) as EncoderSpec),
  };
}

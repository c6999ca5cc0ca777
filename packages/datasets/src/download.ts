import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DOWNLOADS, type DownloadName, type DownloadSpec, type RemoteFile } from './catalog';
import { fetchFile, type DownloadProgress } from './fetch-file';
import { extractTarGz } from './tar';
import { extractZip } from './zip';

export interface DownloadOptions {
  /** Called as bytes arrive, with the file's name. */
  onProgress?: (progress: DownloadProgress & { file: string }) => void;
  /** Fetch every file from `${baseUrl}/${file}` instead of its official URL (a mirror or a local server). */
  baseUrl?: string;
  /** Retries after a cut connection, each resuming (default 3). */
  retries?: number;
  /** A connection silent for this long counts as cut (default 60000 ms). */
  stallTimeoutMs?: number;
}

export interface DownloadResult {
  /** The folder to hand to the loader (`loadCifar`, `loadIdx`'s files, `loadImageFolder`). */
  path: string;
  /** Paths of the verified downloaded files. */
  files: string[];
}

/**
 * Unpack an archive into `dir` atomically: into a temp folder first, then each
 * top-level entry is renamed into place and a marker is written last, so an
 * interrupted run is redone and a finished one is not.
 */
async function extractOnce(archive: string, kind: NonNullable<RemoteFile['extract']>, dir: string): Promise<void> {
  const marker = `${archive}.extracted`;
  if (existsSync(marker)) return;
  const temp = join(dir, `.extract-${process.pid}-${Date.now()}`);
  try {
    await (kind === 'zip' ? extractZip(archive, temp) : extractTarGz(archive, temp));
    for (const entry of await readdir(temp)) {
      rmSync(join(dir, entry), { recursive: true, force: true });
      renameSync(join(temp, entry), join(dir, entry));
    }
    writeFileSync(marker, '');
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Download a dataset into `dir` (or reuse what is already there and verified):
 * every file is checked against its SHA-256, downloads resume after a cut
 * connection, and archives are unpacked. `spec` is a name from `DOWNLOADS` or
 * your own `DownloadSpec`.
 */
export async function download(
  spec: DownloadName | DownloadSpec,
  dir: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const resolved = typeof spec === 'string' ? DOWNLOADS[spec] : spec;
  if (!resolved || !Array.isArray(resolved.files)) {
    throw new Error(
      `download: unknown dataset ${JSON.stringify(spec)}, expected one of ${Object.keys(DOWNLOADS).join(', ')} or a DownloadSpec`,
    );
  }
  const files: string[] = [];
  for (const remote of resolved.files) {
    const url = options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/${remote.file}` : remote.url;
    const dest = join(dir, remote.file);
    await fetchFile(url, dest, {
      sha256: remote.sha256,
      retries: options.retries,
      stallTimeoutMs: options.stallTimeoutMs,
      onProgress: options.onProgress && ((p) => options.onProgress?.({ ...p, file: remote.file })),
    });
    if (remote.extract) await extractOnce(dest, remote.extract, dir);
    files.push(dest);
  }
  return { path: join(dir, resolved.root), files };
}

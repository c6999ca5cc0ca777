import type { CellStore } from './cell-store';
import type { ReportContext } from './report/context';
import type { ReferenceSource } from './report/correlation';
import { ResultsStore, type CellResult } from './results-store';

/** The embedded SQLite results store (`ResultsStore`, what `ssl-bench run` writes) behind the `CellStore` interface. */
export class SqliteCellStore implements CellStore {
  private constructor(
    private readonly store: ResultsStore,
    readonly location: string,
  ) {}

  static open(path: string, options: { readOnly?: boolean } = {}): SqliteCellStore {
    return new SqliteCellStore(ResultsStore.open(path, options), path);
  }

  async get(encoder: string, dataset: string, protocol: string, specHash: string): Promise<CellResult | undefined> {
    return this.store.get(encoder, dataset, protocol, specHash);
  }

  async put(result: CellResult): Promise<boolean> {
    if (this.store.get(result.encoder, result.dataset, result.protocol, result.specHash)) return false;
    this.store.put(result);
    return true;
  }

  async cells(): Promise<CellResult[]> {
    return this.store.all();
  }

  async reference(): Promise<ReferenceSource | undefined> {
    return this.store.getMeta<ReferenceSource>('reference');
  }

  async context(): Promise<ReportContext | undefined> {
    return this.store.getMeta<ReportContext>('context');
  }

  async close(): Promise<void> {
    this.store.close();
  }
}

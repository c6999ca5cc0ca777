/** A models × metrics table: first column model names, then one numeric column per metric. */
export interface CsvTable {
  columns: string[];
  /** values[column][model] */
  values: Record<string, Record<string, number>>;
}

function splitLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

/** Parse the CSV; empty cells are missing values (that model is left out of that column). */
export function parseCsvTable(text: string): CsvTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new Error('expected a header row and at least one model row');
  const [, ...columns] = splitLine(lines[0]);
  if (columns.length < 2) throw new Error('expected a model column and at least two metric columns');
  const values: CsvTable['values'] = Object.fromEntries(columns.map((c) => [c, {}]));
  lines.slice(1).forEach((line, r) => {
    const [model, ...cells] = splitLine(line);
    if (cells.length !== columns.length)
      throw new Error(`row ${r + 2} has ${cells.length + 1} cells, the header ${columns.length + 1}`);
    cells.forEach((cell, c) => {
      if (cell === '') return;
      const v = Number(cell);
      if (!Number.isFinite(v))
        throw new Error(`row ${r + 2} (${model}), column '${columns[c]}': '${cell}' is not a number`);
      values[columns[c]][model] = v;
    });
  });
  return { columns, values };
}

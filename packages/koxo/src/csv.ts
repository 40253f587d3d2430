import { KOXO_COLUMNS, type KoxoRow } from './columns.js';

const BOM = '\uFEFF';

/** A field as KoXo reads it: quoted when it holds `;`, a quote or a line break (quotes doubled). */
export function csvField(value: string): string {
  // A line break inside a name is never legitimate: flatten it rather than rely on quoting.
  const v = value.replace(/[\r\n]+/g, ' ');
  return /[;"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The whole file: UTF-8 BOM, the header line, one line per row, CRLF line ends (Windows). */
export function serializeKoxoCsv(rows: readonly KoxoRow[]): string {
  const lines = [KOXO_COLUMNS.join(';')];
  for (const row of rows) lines.push(KOXO_COLUMNS.map((c) => csvField(row[c])).join(';'));
  return BOM + lines.join('\r\n') + '\r\n';
}

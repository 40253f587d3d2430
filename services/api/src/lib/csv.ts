/**
 * One CSV field (RFC 4180): quoted when needed. A value a spreadsheet would run as a formula
 * (starting with = + - @ or a tab) is prefixed with an apostrophe: rejects hold raw AAF data.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (with CRLF, as RFC 4180 says). */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

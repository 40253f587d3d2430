import type { CredentialSheet } from './credential-sheet.js';

export const CSV_COLUMNS = [
  'uai',
  'classe',
  'nom',
  'prenom',
  'login',
  'mot_de_passe',
  'motif',
] as const;

/**
 * One CSV field (RFC 4180), quoted when needed; a value a spreadsheet would run as a formula
 * (starting with = + - @ or a tab: a name from AAF) gets a leading apostrophe. Passwords never
 * start so (their alphabet has none of these characters), so they stay exact.
 */
function field(value: string | null): string {
  if (value === null) return '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The sheet as CSV (UTF-8, CRLF, a header line), one line per account, by class then name. */
export function renderCredentialsCsv(sheet: CredentialSheet): string {
  let out = `${CSV_COLUMNS.join(',')}\r\n`;
  for (const c of sheet.classes) {
    for (const e of c.entries) {
      out += [
        field(sheet.uai),
        field(c.code),
        field(e.sn),
        field(e.givenName),
        field(e.login),
        field(e.password),
        field(e.reason),
      ].join(',');
      out += '\r\n';
    }
  }
  return out;
}

import type { CredentialSheet, SheetClass } from './credential-sheet.js';

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Handed out with each block (French: the sheets go to pupils and families). */
export const SHEET_INSTRUCTIONS =
  'Identifiant et mot de passe provisoire du réseau pédagogique de l’établissement. ' +
  'Recopiez-les exactement (majuscules et minuscules comptent), gardez ce papier en lieu sûr ' +
  'et ne communiquez votre mot de passe à personne.';

const STYLE = `
  body { font-family: sans-serif; margin: 1cm; }
  section.classe { break-after: page; page-break-after: always; }
  section.classe:last-of-type { break-after: auto; page-break-after: auto; }
  h1 { font-size: 14pt; margin: 0 0 0.4cm; }
  .fiche { border: 1px dashed #555; padding: 0.3cm 0.5cm; margin: 0 0 0.3cm;
    break-inside: avoid; page-break-inside: avoid; }
  .nom { font-weight: bold; }
  .secret { font-family: monospace; font-size: 13pt; letter-spacing: 0.08em; }
  .consigne { font-size: 9pt; margin: 0.2cm 0 0; }
`;

function classTitle(sheet: CredentialSheet, c: SheetClass): string {
  const where = sheet.establishment ? `${sheet.establishment} (${sheet.uai})` : sheet.uai;
  const cls = c.code === null ? 'sans classe' : `classe ${c.label ?? c.code}`;
  return `${where} — ${cls}`;
}

/**
 * A printable sheet: one section per class (a page break after each), one block per account
 * with name, login, password and a short instruction, cut along the dashed lines.
 */
export function renderCredentialsHtml(sheet: CredentialSheet): string {
  const sections = sheet.classes.map((c) => {
    const blocks = c.entries.map(
      (e) => `    <div class="fiche">
      <div class="nom">${esc(e.sn)} ${esc(e.givenName)}${c.code ? ` — ${esc(c.code)}` : ''}</div>
      <div>Identifiant : <span class="secret">${esc(e.login)}</span></div>
      <div>Mot de passe : <span class="secret">${esc(e.password)}</span></div>
      <p class="consigne">${esc(SHEET_INSTRUCTIONS)}</p>
    </div>`,
    );
    return `  <section class="classe">
    <h1>${esc(classTitle(sheet, c))}</h1>
${blocks.join('\n')}
  </section>`;
  });
  const pending =
    sheet.pending > 0
      ? `  <p class="attente">${sheet.pending} mot(s) de passe pas encore posé(s) sur le serveur : à retirer plus tard.</p>\n`
      : '';
  return `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>${esc(`Identifiants ${sheet.uai}${sheet.classCode ? ` ${sheet.classCode}` : ''}`)}</title>
  <style>${STYLE}</style>
</head>
<body>
${pending}${sections.join('\n')}
</body>
</html>
`;
}

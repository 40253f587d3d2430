import type { ImportReport } from '@aaf-sync/ingest';

function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => String(c).padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The human-readable form of an import report (the CLI without --json). */
/** Warning lines printed under the tables (all of them are in --json and the API). */
const WARNING_LINES = 20;

export function renderReport(r: ImportReport): string {
  const lines = [
    `import ${r.importId}: ${r.delivery} (${r.kind} ${r.date}, ${r.level}, scope ${r.scope})${r.dryRun ? ' [dry run]' : ''}`,
    `status: ${r.status}${r.error ? ` — ${String(r.error.message ?? r.error.code)}` : ''}`,
  ];
  if (r.files.length > 0) {
    lines.push(
      '',
      table([
        [
          'file',
          'status',
          'records',
          'created',
          'updated',
          'unchanged',
          'departed',
          'rejected',
          'held',
          'rejects',
          'unknown attributes',
        ],
        ...r.files.map((f) => [
          f.name,
          f.status,
          f.records,
          f.outcomes.created,
          f.outcomes.updated + f.outcomes.restored,
          f.outcomes.unchanged,
          f.outcomes.departed,
          f.outcomes.rejected,
          f.outcomes.held,
          f.rejects,
          Object.keys(f.unknownAttributes).join(',') || '-',
        ]),
      ]),
    );
  }
  const none = r.noEstablishment;
  const noneRow =
    none && none.created + none.updated + none.unchanged + none.rejects + none.departed > 0
      ? [
          [
            '(no establishment)',
            '-',
            none.created,
            none.updated,
            none.unchanged,
            none.restored,
            none.departed,
            none.left,
            '-',
            none.rejects,
            '-',
            '-',
            '-',
            '-',
          ],
        ]
      : [];
  if (r.establishments.length > 0 || noneRow.length > 0) {
    lines.push(
      '',
      table([
        [
          'uai',
          'status',
          'created',
          'updated',
          'unchanged',
          'restored',
          'departed',
          'left',
          'memberships +/-',
          'rejects',
          'warnings',
          'stale links',
          'relative accounts',
          'contacts',
        ],
        ...r.establishments.map((e) => [
          e.uai ?? e.structure,
          e.status,
          e.created,
          e.updated,
          e.unchanged,
          e.restored,
          e.departed,
          e.left,
          `${e.membershipsAdded}/${e.membershipsRemoved}`,
          e.rejects,
          e.warnings,
          e.staleTeachingLinks,
          e.relativeAccounts,
          e.relativeContacts,
        ]),
        ...noneRow,
      ]),
    );
  }
  if (r.references) {
    const line = (name: string, c: NonNullable<ImportReport['references']>['structures']) =>
      `${name} ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ` +
      `${c.rejected} rejected${c.held > 0 ? `, ${c.held} held for approval` : ''}`;
    const { structures, subjects, mefs } = r.references;
    lines.push(
      '',
      `${line('structures', structures)}; ${line('subjects', subjects)}; ${line('MEFs', mefs)}`,
    );
  }
  const codes = Object.entries(r.rejectsByCode);
  if (codes.length > 0) lines.push('', `rejects: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  const warned = Object.entries(r.warningsByCode);
  if (warned.length > 0) {
    lines.push('', `warnings (records kept): ${warned.map(([c, n]) => `${c} ${n}`).join(', ')}`);
    for (const w of r.warnings.slice(0, WARNING_LINES))
      lines.push(`  ${w.uai ?? '-'}  ${w.code}  ${w.subject}  ${w.message}`);
    const more = r.warnings.length - WARNING_LINES;
    if (more > 0 || r.warningsTruncated)
      lines.push(`  … every one: GET /v1/imports/${r.importId}/warnings`);
  }
  const held = r.establishments.filter((e) => e.status === 'held');
  if (held.length > 0) {
    lines.push(
      '',
      `held for approval: ${held
        .map((e) =>
          e.holdReason === 'uai_conflict'
            ? `${e.structure} (new jointure for UAI ${e.uai ?? '?'})`
            : `${e.uai ?? e.structure} (${e.departures}/${e.activeBefore} departures)`,
        )
        .join(', ')}`,
    );
    lines.push(`approve with: pnpm aaf-sync ingest --approve-held <uai> --import ${r.importId}`);
  }
  return `${lines.join('\n')}\n`;
}

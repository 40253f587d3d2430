import type { ReadBackAccount, ReadBackReport, ReadBackRunResult } from '@aaf-sync/koxo';

function who(a: ReadBackAccount): string {
  return `${a.jointure} ${a.name}`;
}

function section(title: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [`  ${title} (${items.length}):`, ...items.map((i) => `    ${i}`)];
}

/** The read-back run and report as text for the terminal (`aaf-sync koxo readback`). */
export function renderReadBack(run: ReadBackRunResult, report: ReadBackReport): string {
  const lines: string[] = [];
  if (run.status === 'ok') {
    const c = run.counts;
    lines.push(
      `read-back of ${report.target}: ${c['entries'] ?? 0} AD entries, ${c['matched'] ?? 0} ` +
        `matched, ${c['unknown'] ?? 0} unknown, ${c['missing'] ?? 0} published accounts not found`,
    );
  } else {
    const last = report.lastSuccessfulRun;
    lines.push(
      `read-back of ${report.target} FAILED: ${run.error ?? 'unknown error'}`,
      last
        ? `showing the last successful read-back (${last.startedAt})`
        : 'no successful read-back yet',
    );
  }
  for (const e of report.establishments) {
    lines.push(
      `${e.uai}: ${e.found} of ${e.listed} listed accounts found (${e.published} published once)`,
      ...section(
        'login chosen by KoXo',
        e.differentLogin.map((a) => `${who(a)}: ours ${a.login ?? '-'}, AD ${a.samAccountName}`),
      ),
      ...section(
        `missing after ${report.missingAfterSyncs} read-backs`,
        e.missing.map((a) => `${who(a)} (${a.login ?? '-'}): ${a.missingRuns} runs`),
      ),
      ...section(
        'deleted instead of disabled',
        e.deletedInsteadOfDisabled.map(
          (a) =>
            `${who(a)} (${a.samAccountName ?? '-'}), directory: ${a.directoryState}` +
            `${a.listed ? ', still sent' : ''}, last seen ${a.seenAt ?? '-'}`,
        ),
      ),
      ...section(
        'disabled',
        e.disabled.map(
          (a) => `${who(a)} (${a.samAccountName ?? '-'})${a.listed ? ', still sent' : ''}`,
        ),
      ),
      ...section(
        'unknown employeeNumber',
        e.unknownEntries.map((u) => `${u.employeeNumber}: ${u.dn}`),
      ),
    );
  }
  if (report.unattributedUnknownEntries) {
    lines.push(
      ...section(
        'unknown employeeNumber, no establishment',
        report.unattributedUnknownEntries.map((u) => `${u.employeeNumber}: ${u.dn}`),
      ).map((l) => l.slice(2)),
    );
  }
  return `${lines.join('\n')}\n`;
}

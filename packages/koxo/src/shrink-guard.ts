/**
 * Why a new snapshot must be held, or null: a file that loses more than `threshold` of the rows
 * it had in the last published snapshot (a file that disappears loses them all). KoXo treats a
 * missing row as a departure, so a partial directory must never reach the site unapproved. The
 * guard is per file (one KoXo synchronisation profile each), not on the establishment's total.
 */
export function shrinkReason(
  previous: ReadonlyMap<string, number>,
  next: ReadonlyMap<string, number>,
  threshold: number,
): string | null {
  const problems: string[] = [];
  for (const [name, before] of previous) {
    if (before === 0) continue;
    const after = next.get(name) ?? 0;
    const lost = (before - after) / before;
    if (lost > threshold) {
      problems.push(
        `${name} ${before} → ${after} rows (−${(lost * 100).toFixed(1)} %, threshold ${(threshold * 100).toFixed(1)} %)`,
      );
    }
  }
  return problems.length > 0 ? problems.join('; ') : null;
}

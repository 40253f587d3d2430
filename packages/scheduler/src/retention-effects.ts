import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transition } from '@aaf-sync/calendar';
import { purgeCredentials } from '@aaf-sync/credentials';
import type { EffectContext, EffectOutcome, EffectRegistry } from './effects.js';

/** `at` minus `months` calendar months (UTC). */
export function monthsBefore(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** Deletes the entries of the archive folder last modified before `before`; returns their names. */
export async function purgeArchiveBefore(archiveDir: string, before: Date): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(archiveDir).catch(() => [] as string[])) {
    const path = join(archiveDir, name);
    const s = await stat(path).catch(() => null);
    if (s && s.mtimeMs < before.getTime()) {
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed.sort();
}

/**
 * `retention.import-archives`: archived import files (the ingester's AAF_ARCHIVE_DIR) older than
 * the document's `maxAgeMonths` are deleted. `retention.credential-exports`: the clear copies of
 * the year's initial passwords are erased (packages/credentials `purgeCredentials`, audited).
 */
export function retentionEffects(o: { archiveDir: string }): EffectRegistry {
  return {
    'retention.import-archives': async (
      ctx: EffectContext,
      t: Transition,
    ): Promise<EffectOutcome> => {
      const months = Number(t.details.maxAgeMonths ?? 6);
      const before = monthsBefore(ctx.clock.now(), months);
      const removed = await purgeArchiveBefore(o.archiveDir, before);
      ctx.log.info({ removed: removed.length, before }, 'import archives purged');
      return {
        summary: `${removed.length} archived deliveries older than ${months} months deleted`,
        counts: { removed: removed.length },
      };
    },
    'retention.credential-exports': async (
      ctx: EffectContext,
      t: Transition,
    ): Promise<EffectOutcome> => {
      const purged = await purgeCredentials(ctx.db, { before: t.at, actor: 'calendar' });
      return {
        summary: `${purged} initial passwords of the year erased`,
        counts: { purged },
      };
    },
  };
}

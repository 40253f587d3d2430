import { sql, type RawBuilder } from '@aaf-sync/db';
import type { CampaignKind } from '@aaf-sync/calendar';

/**
 * Who a campaign deletes (SQL over `person p`), checked at the preview and again for each item
 * when the campaign runs (an account back in the directory meanwhile is skipped):
 * - departed pupils, and relatives who departed or lost their account (no active child they are
 *   legally responsible for any more);
 * - departed staff (teachers and administrative staff).
 */
export function eligiblePerson(kind: CampaignKind): RawBuilder<boolean> {
  switch (kind) {
    case 'departed-pupils':
      return sql<boolean>`((p.category = 'pupil' and p.state = 'departed')
        or (p.category = 'relative' and (p.state = 'departed' or not p.has_account)))`;
    case 'departed-staff':
      return sql<boolean>`(p.category = 'staff' and p.state = 'departed')`;
    case 'empty-groups':
      return sql<boolean>`false`;
  }
}

/** The target still holds something for the account (an entry, even disabled). */
export const HELD = sql<boolean>`(r.target_key is not null or r.present)`;
